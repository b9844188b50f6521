/**
 * Cisco IOS "type 7" password encoding (`password 7 ...`, `ntp authentication-key 1 md5 ... 7`).
 *
 * Type 7 is a reversible Vigenère-style obfuscation, not encryption: it only keeps a password
 * from being read over a shoulder. The encoded form is two decimal digits giving the seed
 * (an offset into a fixed key string), then one upper-case hex byte per plaintext byte, each
 * the plaintext byte XORed with the key byte at `(seed + index) % key.length`.
 */

/** The fixed key IOS XORs type 7 passwords with. */
const TYPE7_KEY = new TextEncoder().encode("dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87");

/** IOS only ever writes seeds 00..15. */
export const TYPE7_MAX_SEED = 15;

/** Width of the decimal seed prefix. */
const SEED_DIGITS = 2;

/** Characters per encoded byte. */
const HEX_DIGITS_PER_BYTE = 2;

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8", { fatal: true });

/** Outcome of decoding a type 7 string: the plaintext, or why the input is not type 7. */
export type Type7DecodeResult = { ok: true; value: string } | { ok: false; reason: string };

/**
 * Encode `plain` as a type 7 string.
 *
 * IOS picks a fresh random seed each time it encrypts, so the same password renders
 * differently on every `write memory`. We want `show running-config` to be a pure function
 * of state (stable golden tests, no spurious config diffs), so the default seed is derived
 * from the plaintext instead: the sum of its UTF-8 bytes modulo 16. This leaks nothing that
 * the reversible encoding does not already give away.
 *
 * Plaintext is taken as UTF-8; IOS passwords are ASCII in practice, where the two agree.
 *
 * @param plain the password to encode
 * @param seed key offset 0..15; defaults to the plaintext-derived seed described above
 * @throws RangeError if `seed` is not an integer in 0..15 (a programming error)
 */
export function encodeType7(plain: string, seed?: number): string {
  const bytes = utf8Encoder.encode(plain);
  const chosenSeed = seed ?? defaultSeed(bytes);
  if (!Number.isInteger(chosenSeed) || chosenSeed < 0 || chosenSeed > TYPE7_MAX_SEED) {
    throw new RangeError(`type 7 seed must be an integer 0..${TYPE7_MAX_SEED}, got ${chosenSeed}`);
  }
  let encoded = String(chosenSeed).padStart(SEED_DIGITS, "0");
  bytes.forEach((byte, index) => {
    const cipherByte = byte ^ keyByte(chosenSeed + index);
    encoded += cipherByte.toString(16).toUpperCase().padStart(HEX_DIGITS_PER_BYTE, "0");
  });
  return encoded;
}

/**
 * Decode a type 7 string back to its plaintext.
 *
 * Hex digits are accepted in either case (IOS writes upper case); anything else that is not
 * a two-digit seed 00..15 followed by whole hex bytes that XOR to valid UTF-8 is reported
 * with a reason rather than thrown.
 */
export function decodeType7(encoded: string): Type7DecodeResult {
  const seedText = encoded.slice(0, SEED_DIGITS);
  const hexText = encoded.slice(SEED_DIGITS);
  if (!/^[0-9]{2}$/.test(seedText)) {
    return { ok: false, reason: "type 7 string must start with a two-digit decimal seed" };
  }
  const seed = Number(seedText);
  if (seed > TYPE7_MAX_SEED) {
    return { ok: false, reason: `type 7 seed ${seedText} is outside 00..${TYPE7_MAX_SEED}` };
  }
  if (hexText.length % HEX_DIGITS_PER_BYTE !== 0) {
    return { ok: false, reason: "type 7 string has an odd number of hex digits" };
  }
  if (!/^[0-9A-Fa-f]*$/.test(hexText)) {
    return { ok: false, reason: "type 7 string has a character that is not a hex digit" };
  }
  const plainBytes = new Uint8Array(hexText.length / HEX_DIGITS_PER_BYTE);
  for (let index = 0; index < plainBytes.length; index++) {
    const start = index * HEX_DIGITS_PER_BYTE;
    const cipherByte = Number.parseInt(hexText.slice(start, start + HEX_DIGITS_PER_BYTE), 16);
    plainBytes[index] = cipherByte ^ keyByte(seed + index);
  }
  try {
    return { ok: true, value: utf8Decoder.decode(plainBytes) };
  } catch {
    return { ok: false, reason: "type 7 string does not decode to valid UTF-8 text" };
  }
}

/** The seed written when the caller does not choose one; see {@link encodeType7}. */
function defaultSeed(plainBytes: Uint8Array): number {
  let sum = 0;
  for (const byte of plainBytes) sum += byte;
  return sum % (TYPE7_MAX_SEED + 1);
}

function keyByte(position: number): number {
  // The modulo keeps the index in range, so the lookup always succeeds.
  return TYPE7_KEY[position % TYPE7_KEY.length]!;
}

/**
 * Symmetric-key MACs for NTP packets (RFC 5905 §7.3 MAC trailer, RFC 8573).
 *
 * - Legacy keyed digests: digest = H(secret || packet), not HMAC (RFC 5905 §7.3; what ntpd,
 *   NTPsec, chrony and IOS `md5`/`sha1`/`sha2` keys compute).
 * - AES-CMAC (RFC 8573 §4, RFC 4493) over the packet; 16-octet tag. AES-128 takes a 16-octet key,
 *   AES-256 a 32-octet key (chrony `AES128`/`AES256` keys, NTPsec `AES-128`/`AES-256`).
 *   IOS documents `cmac-aes-128` keys as "16 or 32 bytes"; the 32 is read here as 32 hex digits,
 *   i.e. the same 16-octet AES-128 key, so the config layer maps it to "aes-128-cmac".
 *
 * Digest length: a digest longer than 20 octets is truncated to 20 in NTPv4 packets, because a
 * MAC of more than 24 octets could be misparsed as an extension field (RFC 7822 §3 allows 24 at
 * most). Every interoperable peer agrees: chrony truncates in v4 (`generate_symmetric_auth`,
 * `NTP_MAX_V4_MAC_LENGTH`), NTPsec always truncates (`MAX_BARE_MAC_LENGTH 20`), classic ntpd's
 * test vectors expect 20-octet SHA-256 MACs (`tests/libntp/digests.c`). In NTPv3 packets there are
 * no extension fields and chrony sends the full 32-octet SHA-256 digest (its client even falls back
 * to v3 for such keys), so v3 keeps full length. Verification accepts exactly those two lengths.
 *
 * Keys get a prepared state, cached per key object: a hash already fed the secret (cloned per
 * packet) or an `AesCmac` with its key schedule and subkeys. Treat a `SymmetricKey` as immutable.
 *
 * Engine: node:crypto costs about 1.2 µs per MD5 and 0.8 µs per CMAC here, plus GC work for a Hash
 * object per digest, which halved the authenticated server's rate. The I/O layer may install a
 * faster `MacEngine` computing the same bytes (`io/nativeMac.ts`: Node's own OpenSSL through an
 * addon, ~0.2 µs); this module keeps node:crypto as the reference and the fallback.
 */
import { createHash, type Hash, timingSafeEqual } from "node:crypto";
import { AesCmac, CMAC_BLOCK_LENGTH } from "./aesCmac.js";

export type MacAlgorithm = "md5" | "sha1" | "sha256" | "aes-128-cmac" | "aes-256-cmac";

export const MAC_ALGORITHMS: readonly MacAlgorithm[] = [
  "md5",
  "sha1",
  "sha256",
  "aes-128-cmac",
  "aes-256-cmac",
];

/** A symmetric key as `ntp authentication-key` defines it. */
export interface SymmetricKey {
  /** Key identifier carried in the packet, 1..2^32-1 (0 marks a crypto-NAK). */
  readonly id: number;
  readonly algorithm: MacAlgorithm;
  readonly secret: Buffer;
}

/** Untruncated output length of each algorithm, octets. */
export const FULL_DIGEST_LENGTH: Readonly<Record<MacAlgorithm, number>> = {
  md5: 16,
  sha1: 20,
  sha256: 32,
  "aes-128-cmac": CMAC_BLOCK_LENGTH,
  "aes-256-cmac": CMAC_BLOCK_LENGTH,
};

/** Longest digest in an NTPv4 MAC: 24-octet MAC minus the 4-octet key id (RFC 7822 §3). */
export const MAX_V4_DIGEST_LENGTH = 20;

/** Shortest digest any supported algorithm produces (MD5, CMAC). */
export const MIN_DIGEST_LENGTH = 16;

/** Longest digest accepted in an NTPv3 MAC (SHA-512, chrony's `NTP_MAX_MAC_LENGTH` - 4). */
export const MAX_DIGEST_LENGTH = 64;

/** Largest key id; key ids are u32 (RFC 5905 §7.3). */
export const MAX_KEY_ID = 0xffff_ffff;

/** Digest length to send with `algorithm` in a packet of `ntpVersion` (see the module comment). */
export function digestLengthForVersion(algorithm: MacAlgorithm, ntpVersion: number): number {
  const full = FULL_DIGEST_LENGTH[algorithm];
  return ntpVersion >= 4 ? Math.min(full, MAX_V4_DIGEST_LENGTH) : full;
}

/** Whether a received digest of `length` octets is a valid length for `algorithm`: full, or v4-truncated. */
export function isAcceptedDigestLength(algorithm: MacAlgorithm, length: number): boolean {
  const full = FULL_DIGEST_LENGTH[algorithm];
  return length === full || length === Math.min(full, MAX_V4_DIGEST_LENGTH);
}

/** Whether `length` octets is a usable secret for `algorithm`. */
export function isValidSecretLength(algorithm: MacAlgorithm, length: number): boolean {
  if (algorithm === "aes-128-cmac") return length === 16;
  if (algorithm === "aes-256-cmac") return length === 32;
  return length >= 1;
}

/** The MAC of `data` under `key`, truncated to `digestLength` (default: full length). */
export function computeMac(key: SymmetricKey, data: Uint8Array, digestLength?: number): Buffer {
  const length = checkedDigestLength(key, digestLength);
  const out = Buffer.allocUnsafe(length);
  preparedKey(key).writeDigest(data, data.length, out, 0, length);
  return out;
}

/**
 * Writes the MAC of `data` under `key`, truncated to `digestLength` (default: full length), into
 * `out` at `offset`; returns the octets written. `data` and the output range must not overlap.
 */
export function writeMac(
  key: SymmetricKey,
  data: Uint8Array,
  out: Buffer,
  offset: number,
  digestLength?: number,
): number {
  return writePrefixMac(key, data, data.length, out, offset, digestLength);
}

/**
 * `writeMac` over `bytes[0, prefixLength)`, without a subarray: an NTP MAC always covers the
 * leading octets of its packet (header and extension fields, RFC 5905 §7.3), and this is the
 * per-packet path of the server. The output range may lie in `bytes` beyond the prefix.
 */
export function writePrefixMac(
  key: SymmetricKey,
  bytes: Uint8Array,
  prefixLength: number,
  out: Buffer,
  offset: number,
  digestLength?: number,
): number {
  const length = checkedDigestLength(key, digestLength);
  if (offset + length > out.length)
    throw new RangeError(`MAC of ${length} octets does not fit at offset ${offset}`);
  if (!(prefixLength >= 0 && prefixLength <= bytes.length))
    throw new RangeError(`MAC input of ${prefixLength} octets exceeds ${bytes.length}`);
  preparedKey(key).writeDigest(bytes, prefixLength, out, offset, length);
  return length;
}

/**
 * Whether `digest` is the MAC of `data` under `key`, at full or v4-truncated length. The
 * comparison is constant-time in the digest contents.
 */
export function verifyMac(key: SymmetricKey, data: Uint8Array, digest: Uint8Array): boolean {
  return verifyPrefixMac(key, data, data.length, digest);
}

/** `verifyMac` over `bytes[0, prefixLength)` (see `writePrefixMac`). */
export function verifyPrefixMac(
  key: SymmetricKey,
  bytes: Uint8Array,
  prefixLength: number,
  digest: Uint8Array,
): boolean {
  if (!isAcceptedDigestLength(key.algorithm, digest.length)) return false;
  if (!isUsableKey(key) || !(prefixLength >= 0 && prefixLength <= bytes.length)) return false;
  const state = preparedKey(key);
  if (state.verify !== undefined) return state.verify(bytes, prefixLength, digest);
  const expected = verifyScratch.subarray(0, digest.length);
  state.writeDigest(bytes, prefixLength, expected, 0, digest.length);
  return timingSafeEqual(expected, digest);
}

/** One usable key's MAC function, prepared once (key schedule, secret absorbed). Arguments are already checked. */
export interface PreparedMac {
  /** Writes the first `length` octets of the MAC of `data[0, dataLength)` into `out` at `offset`. */
  writeDigest(data: Uint8Array, dataLength: number, out: Uint8Array, offset: number, length: number): void;
  /** Optional fast path: whether `digest` is the MAC of `data[0, dataLength)` truncated to its length, in constant time. */
  verify?(data: Uint8Array, dataLength: number, digest: Uint8Array): boolean;
}

/** Another implementation of these MACs; it must produce exactly the bytes node:crypto does. */
export interface MacEngine {
  /** The prepared MAC for a usable `key`, or undefined to leave that key to node:crypto. */
  prepare(key: SymmetricKey): PreparedMac | undefined;
}

let engine: MacEngine | undefined;
let prepared = new WeakMap<SymmetricKey, PreparedMac>();

/** Installs (or, with undefined, removes) a MAC engine for keys prepared from now on. */
export function useMacEngine(next: MacEngine | undefined): void {
  engine = next;
  prepared = new WeakMap();
}

const verifyScratch = Buffer.alloc(MAX_DIGEST_LENGTH);

const HASH_NAME = { md5: "md5", sha1: "sha1", sha256: "sha256" } as const;

/** The node:crypto implementation: the reference the engines are tested against. */
export function prepareNodeCryptoMac(key: SymmetricKey): PreparedMac {
  const prefix = (data: Uint8Array, dataLength: number): Uint8Array =>
    dataLength === data.length ? data : data.subarray(0, dataLength);
  if (key.algorithm === "aes-128-cmac" || key.algorithm === "aes-256-cmac") {
    const cmac = new AesCmac(key.secret);
    return {
      writeDigest: (data, dataLength, out, offset, length) =>
        cmac.computeInto(prefix(data, dataLength), out, offset, length),
    };
  }
  const keyed: Hash = createHash(HASH_NAME[key.algorithm]).update(key.secret);
  return {
    writeDigest(data, dataLength, out, offset, length) {
      const digest = keyed.copy().update(prefix(data, dataLength)).digest();
      out.set(length === digest.length ? digest : digest.subarray(0, length), offset);
    },
  };
}

function preparedKey(key: SymmetricKey): PreparedMac {
  let state = prepared.get(key);
  if (state === undefined) {
    state = engine?.prepare(key) ?? prepareNodeCryptoMac(key);
    prepared.set(key, state);
  }
  return state;
}

function isUsableKey(key: SymmetricKey): boolean {
  return (
    Number.isInteger(key.id) &&
    key.id >= 1 &&
    key.id <= MAX_KEY_ID &&
    isValidSecretLength(key.algorithm, key.secret.length)
  );
}

function checkedDigestLength(key: SymmetricKey, digestLength: number | undefined): number {
  if (!isUsableKey(key)) {
    throw new RangeError(
      `key ${key.id}: invalid id or ${key.secret.length}-octet secret for ${key.algorithm}`,
    );
  }
  const full = FULL_DIGEST_LENGTH[key.algorithm];
  const length = digestLength ?? full;
  if (!Number.isInteger(length) || length < 1 || length > full) {
    throw new RangeError(`digest length ${length} is outside 1..${full} for ${key.algorithm}`);
  }
  return length;
}

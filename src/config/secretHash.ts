/**
 * Cisco IOS secret hashing (`enable secret`, `username NAME secret TYPE ...`).
 *
 * - type 5: MD5-crypt, `$1$SALT$HASH` (the FreeBSD/Linux md5crypt algorithm).
 * - type 8: PBKDF2-HMAC-SHA256, 20000 iterations, `$8$SALT$HASH`.
 * - type 9: scrypt N=16384 r=1 p=1, `$9$SALT$HASH`.
 *
 * Types 8 and 9 feed the 14-character salt to the KDF as its ASCII text (it is never decoded)
 * and write the 32-byte key in base64 with standard bit order but the crypt alphabet
 * `./0-9A-Za-z` and no padding. This is not passlib's little-endian "hash64": the published
 * vectors (hashcat example hashes for -m 9200 / -m 9300, and the IOS sample
 * `$8$dsYGNam3K1SIJO$7nv/35M/...`) only reproduce with the standard order.
 */

import { createHash, pbkdf2Sync, randomBytes, scryptSync, timingSafeEqual } from "node:crypto";

/** Secret types IOS accepts in `secret TYPE VALUE`; 0 is plaintext (hashed on entry by IOS). */
export type SecretType = 0 | 5 | 8 | 9;

/** Secret types that are stored hashed. */
export type HashedSecretType = 5 | 8 | 9;

/** A secret as held in the configuration. */
export interface StoredSecret {
  readonly type: SecretType;
  readonly value: string;
}

/** Outcome of checking a stored secret's shape; `reason` says what is wrong with it. */
export type StoredSecretCheck = { ok: true } | { ok: false; reason: string };

/** The crypt alphabet used by md5crypt and by Cisco types 8 and 9. */
const CRYPT64_ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const STANDARD_BASE64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** md5crypt reads at most 8 salt characters. */
const MD5_CRYPT_MAX_SALT_LENGTH = 8;
/** IOS writes 4-character type 5 salts (e.g. `$1$mERr$hx5rVt7rPNoS4wqbXKX7m0`). */
const TYPE5_DEFAULT_SALT_LENGTH = 4;
const MD5_CRYPT_ROUNDS = 1000;
const MD5_DIGEST_BYTES = 16;

/** Types 8 and 9 use 14 salt characters (Cisco documents an 80-bit salt; it is written as 14 crypt64 characters). */
const KDF_SALT_LENGTH = 14;
const KDF_KEY_BYTES = 32;
const TYPE8_PBKDF2_ITERATIONS = 20000;
/** RFC 7914 parameters as IOS uses them; memory 128 * N * r = 2 MiB, under node's 32 MiB default. */
const TYPE9_SCRYPT = { N: 16384, r: 1, p: 1 } as const;

const CRYPT64_CHAR = "[./0-9A-Za-z]";
const TYPE5_PATTERN = new RegExp(`^\\$1\\$(${CRYPT64_CHAR}{0,8})\\$(${CRYPT64_CHAR}{22})$`);
const TYPE8_PATTERN = new RegExp(`^\\$8\\$(${CRYPT64_CHAR}{14})\\$(${CRYPT64_CHAR}{43})$`);
const TYPE9_PATTERN = new RegExp(`^\\$9\\$(${CRYPT64_CHAR}{14})\\$(${CRYPT64_CHAR}{43})$`);
const HASH_PATTERNS: ReadonlyMap<HashedSecretType, RegExp> = new Map([
  [5, TYPE5_PATTERN],
  [8, TYPE8_PATTERN],
  [9, TYPE9_PATTERN],
]);

/** The salt and hash fields of a well-formed `$N$SALT$HASH` string. */
interface HashFields {
  readonly salt: string;
  readonly hash: string;
}

type HashFieldsResult = ({ ok: true } & HashFields) | { ok: false; reason: string };

/**
 * Hash `plain` the way IOS stores `secret TYPE`.
 *
 * @param type 5, 8 or 9
 * @param plain the password; taken as UTF-8
 * @param salt crypt64 characters (`./0-9A-Za-z`): 0..8 of them for type 5, exactly 14 for types
 *   8 and 9. Defaults to a random salt of the length IOS writes (4 for type 5, 14 otherwise).
 * @throws RangeError if `salt` is given but does not fit the type (a programming error)
 */
export function hashSecret(type: HashedSecretType, plain: string, salt?: string): string {
  const chosenSalt = salt ?? randomSalt(type === 5 ? TYPE5_DEFAULT_SALT_LENGTH : KDF_SALT_LENGTH);
  const saltProblem = checkSalt(type, chosenSalt);
  if (saltProblem !== undefined) throw new RangeError(saltProblem);
  return `${formatPrefix(type)}${chosenSalt}$${hashWithSalt(type, plain, chosenSalt)}`;
}

/** `$1$` for type 5 (md5crypt's own magic), `$8$` and `$9$` for the others. */
function formatPrefix(type: HashedSecretType): string {
  return type === 5 ? "$1$" : `$${type}$`;
}

/**
 * Whether `candidate` matches a stored secret.
 *
 * Type 0 compares plaintext; every comparison is constant-time in the contents (plaintext is
 * compared through SHA-256 digests so that its length does not leak either). A malformed
 * stored value never matches and never throws.
 */
export function verifySecret(stored: StoredSecret, candidate: string): boolean {
  if (stored.type === 0) {
    return stored.value.length > 0 && timingSafeEqual(sha256(stored.value), sha256(candidate));
  }
  const fields = parseHashFields(stored.type, stored.value);
  if (!fields.ok) return false;
  const expected = Buffer.from(fields.hash, "latin1");
  const actual = Buffer.from(hashWithSalt(stored.type, candidate, fields.salt), "latin1");
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * Whether `value` is a valid stored secret of `type`, as checked when loading a configuration
 * (`username x secret 9 $9$...` must carry a well-formed type 9 string).
 */
export function isWellFormedSecret(type: SecretType, value: string): boolean {
  return checkStoredSecret(type, value).ok;
}

/** Like {@link isWellFormedSecret}, but says why a value is rejected, for config diagnostics. */
export function checkStoredSecret(type: SecretType, value: string): StoredSecretCheck {
  if (type === 0) {
    return value.length > 0 ? { ok: true } : { ok: false, reason: "plaintext secret is empty" };
  }
  const fields = parseHashFields(type, value);
  return fields.ok ? { ok: true } : { ok: false, reason: fields.reason };
}

function parseHashFields(type: HashedSecretType, value: string): HashFieldsResult {
  // Looked up rather than defaulted, so a type smuggled past the checker (e.g. from untyped
  // YAML) is rejected instead of being read as type 9.
  const pattern = HASH_PATTERNS.get(type);
  if (pattern === undefined) return { ok: false, reason: `secret type ${String(type)} is not hashed` };
  const match = pattern.exec(value);
  const salt = match?.[1];
  const hash = match?.[2];
  if (salt === undefined || hash === undefined) {
    return { ok: false, reason: `not a type ${type} string (${describeFormat(type)})` };
  }
  const canonical = type === 5 ? isCanonicalMd5CryptHash(hash) : isCanonicalKdfHash(hash);
  if (!canonical) {
    return { ok: false, reason: `type ${type} hash has bits set past the end of its digest` };
  }
  return { ok: true, salt, hash };
}

function describeFormat(type: HashedSecretType): string {
  return type === 5
    ? "expected $1$ + up to 8 salt characters + $ + 22 hash characters"
    : `expected ${formatPrefix(type)} + 14 salt characters + $ + 43 hash characters`;
}

/** `undefined` if `salt` suits `type`, else the reason it does not. */
function checkSalt(type: HashedSecretType, salt: string): string | undefined {
  if (!/^[./0-9A-Za-z]*$/.test(salt)) {
    return `type ${type} salt must use only the characters ./0-9A-Za-z`;
  }
  if (type === 5 && salt.length > MD5_CRYPT_MAX_SALT_LENGTH) {
    return `type 5 salt must be at most ${MD5_CRYPT_MAX_SALT_LENGTH} characters`;
  }
  if (type !== 5 && salt.length !== KDF_SALT_LENGTH) {
    return `type ${type} salt must be exactly ${KDF_SALT_LENGTH} characters`;
  }
  return undefined;
}

/** The HASH field for `plain` under `salt`; the salt is assumed already checked. */
function hashWithSalt(type: HashedSecretType, plain: string, salt: string): string {
  const password = Buffer.from(plain, "utf8");
  const saltBytes = Buffer.from(salt, "latin1");
  switch (type) {
    case 5:
      return md5CryptHash(password, saltBytes);
    case 8:
      return encodeKdfKey(pbkdf2Sync(password, saltBytes, TYPE8_PBKDF2_ITERATIONS, KDF_KEY_BYTES, "sha256"));
    case 9:
      return encodeKdfKey(scryptSync(password, saltBytes, KDF_KEY_BYTES, TYPE9_SCRYPT));
  }
}

function randomSalt(length: number): string {
  // 256 is a multiple of 64, so masking each byte picks characters uniformly.
  return Array.from(randomBytes(length), (byte) => CRYPT64_ALPHABET.charAt(byte & 0x3f)).join("");
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

/** Standard-order base64 of a KDF key, in the crypt alphabet, without padding. */
function encodeKdfKey(key: Buffer): string {
  const standard = key.toString("base64").replace(/=+$/, "");
  return Array.from(standard, (char) => CRYPT64_ALPHABET.charAt(STANDARD_BASE64_ALPHABET.indexOf(char))).join(
    "",
  );
}

/** 43 characters carry 258 bits for a 256-bit key; a canonical encoding leaves the spare 2 at zero. */
function isCanonicalKdfHash(hash: string): boolean {
  const standard = Array.from(hash, (char) =>
    STANDARD_BASE64_ALPHABET.charAt(CRYPT64_ALPHABET.indexOf(char)),
  ).join("");
  const key = Buffer.from(standard, "base64");
  return key.length === KDF_KEY_BYTES && encodeKdfKey(key) === hash;
}

/** The last md5crypt character carries only the top 2 bits of digest byte 11. */
function isCanonicalMd5CryptHash(hash: string): boolean {
  return CRYPT64_ALPHABET.indexOf(hash.charAt(hash.length - 1)) < 4;
}

/**
 * The md5crypt HASH field (Poul-Henning Kamp's algorithm, as in FreeBSD and glibc `$1$`).
 * `salt` is at most 8 bytes and contains no `$`.
 */
function md5CryptHash(password: Buffer, salt: Buffer): string {
  const magic = Buffer.from("$1$", "latin1");
  const alternate = md5(password, salt, password);

  const initial = createHash("md5").update(password).update(magic).update(salt);
  for (let remaining = password.length; remaining > 0; remaining -= MD5_DIGEST_BYTES) {
    initial.update(alternate.subarray(0, Math.min(remaining, MD5_DIGEST_BYTES)));
  }
  // For each bit of the password length: a NUL byte if set, else the first password byte.
  for (let bits = password.length; bits > 0; bits >>= 1) {
    initial.update((bits & 1) !== 0 ? Buffer.of(0) : password.subarray(0, 1));
  }

  let digest: Buffer = initial.digest();
  for (let round = 0; round < MD5_CRYPT_ROUNDS; round++) {
    const odd = round % 2 === 1;
    const parts: Buffer[] = [odd ? password : digest];
    if (round % 3 !== 0) parts.push(salt);
    if (round % 7 !== 0) parts.push(password);
    parts.push(odd ? digest : password);
    digest = md5(...parts);
  }
  return encodeMd5CryptDigest(digest);
}

/** md5crypt's digest byte triples, each written least-significant 6 bits first. */
const MD5_CRYPT_TRIPLES: readonly (readonly [number, number, number])[] = [
  [0, 6, 12],
  [1, 7, 13],
  [2, 8, 14],
  [3, 9, 15],
  [4, 10, 5],
];
const MD5_CRYPT_LAST_BYTE = 11;

function encodeMd5CryptDigest(digest: Buffer): string {
  const byteAt = (index: number): number => digest[index] ?? 0;
  let out = "";
  for (const [high, middle, low] of MD5_CRYPT_TRIPLES) {
    out += crypt64LittleEndian((byteAt(high) << 16) | (byteAt(middle) << 8) | byteAt(low), 4);
  }
  return out + crypt64LittleEndian(byteAt(MD5_CRYPT_LAST_BYTE), 2);
}

function crypt64LittleEndian(value: number, characters: number): string {
  let out = "";
  for (let index = 0; index < characters; index++) {
    out += CRYPT64_ALPHABET.charAt((value >> (6 * index)) & 0x3f);
  }
  return out;
}

function md5(...parts: Buffer[]): Buffer {
  const hash = createHash("md5");
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/**
 * Verify a candidate against a secret or password as the configuration model holds it: hashes
 * for types 5/8/9, and the clear text for passwords of type 0 and 7 (type 7 only says how the
 * password is printed; model.ts `SecretConfig`).
 */
export function verifyConfiguredSecret(
  stored: { readonly type: number; readonly value: string },
  candidate: string,
): boolean {
  const type = stored.type === 7 ? 0 : stored.type;
  if (type !== 0 && type !== 5 && type !== 8 && type !== 9) return false;
  return verifySecret({ type, value: stored.value }, candidate);
}

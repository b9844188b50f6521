import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  computeMac,
  digestLengthForVersion,
  FULL_DIGEST_LENGTH,
  isAcceptedDigestLength,
  isValidSecretLength,
  MAC_ALGORITHMS,
  type MacAlgorithm,
  type SymmetricKey,
  verifyMac,
  writeMac,
} from "../../../../src/services/ntp/proto/mac.js";

const hex = (text: string): Buffer => Buffer.from(text, "hex");

function keyOf(algorithm: MacAlgorithm, secret: Buffer, id = 1): SymmetricKey {
  return { id, algorithm, secret };
}

describe("legacy keyed digests are H(secret || data) (RFC 5905 §7.3)", () => {
  // chrony test/unit/hash.c: HSH_Hash(id, "abcdefghijklmnopqrstuvwxyz", "12345678910").
  const secret = Buffer.from("abcdefghijklmnopqrstuvwxyz");
  const data = Buffer.from("12345678910");
  const vectors: readonly (readonly [MacAlgorithm, string])[] = [
    ["md5", "fc24971b5266dc46efe0e8084689b688"],
    ["sha1", "d885b386ceea93eb92cd7b94b98dc28e3e3113dd"],
    ["sha256", "0e3514e7157a1dddea1178d341f6b93ea04296733c54740bfa6b9e2959ad69d3"],
  ];
  for (const [algorithm, digest] of vectors) {
    it(`${algorithm} matches chrony's vector`, () => {
      expect(computeMac(keyOf(algorithm, secret), data)).toEqual(hex(digest));
    });
  }

  it("agrees with node:crypto over arbitrary keys and data", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<MacAlgorithm>("md5", "sha1", "sha256"),
        fc.uint8Array({ minLength: 1, maxLength: 40 }),
        fc.uint8Array({ maxLength: 300 }),
        (algorithm, secret, data) => {
          const expected = createHash(algorithm).update(secret).update(data).digest();
          expect(computeMac(keyOf(algorithm, Buffer.from(secret)), data)).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("AES-CMAC keys (RFC 8573)", () => {
  it("aes-128-cmac matches chrony's AES128 vector", () => {
    const key = keyOf("aes-128-cmac", hex("fc24971b5266dc46efe0e8084689b688"));
    expect(computeMac(key, Buffer.from("abcdefghijklmnopqrstuvwxyz0123456789"))).toEqual(
      hex("af3cfec266710804d4af5b162b11f485"),
    );
  });

  it("needs 16-octet keys for AES-128 and 32-octet keys for AES-256", () => {
    expect(isValidSecretLength("aes-128-cmac", 16)).toBe(true);
    expect(isValidSecretLength("aes-128-cmac", 32)).toBe(false);
    expect(isValidSecretLength("aes-256-cmac", 32)).toBe(true);
    expect(isValidSecretLength("md5", 0)).toBe(false);
    expect(() => computeMac(keyOf("aes-128-cmac", Buffer.alloc(20)), Buffer.alloc(48))).toThrow(RangeError);
  });
});

describe("digest lengths", () => {
  it("truncates digests longer than 20 octets in NTPv4 only (RFC 7822 §3; chrony, NTPsec, ntpd)", () => {
    expect(digestLengthForVersion("sha256", 4)).toBe(20);
    expect(digestLengthForVersion("sha256", 3)).toBe(32);
    expect(digestLengthForVersion("md5", 4)).toBe(16);
    expect(digestLengthForVersion("sha1", 4)).toBe(20);
    expect(digestLengthForVersion("aes-128-cmac", 4)).toBe(16);
  });

  it("accepts exactly the full and the v4-truncated lengths", () => {
    expect(isAcceptedDigestLength("sha256", 32)).toBe(true);
    expect(isAcceptedDigestLength("sha256", 20)).toBe(true);
    expect(isAcceptedDigestLength("sha256", 16)).toBe(false);
    expect(isAcceptedDigestLength("md5", 20)).toBe(false);
  });

  it("a truncated MAC is the prefix of the full one", () => {
    const key = keyOf("sha256", Buffer.from("secret"));
    const data = Buffer.from("packet");
    expect(computeMac(key, data, 20)).toEqual(computeMac(key, data).subarray(0, 20));
  });
});

describe("verifyMac", () => {
  const arbitraryKey = fc
    .record({
      algorithm: fc.constantFrom(...MAC_ALGORITHMS),
      id: fc.integer({ min: 1, max: 0xffff_ffff }),
      seed: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    })
    .map(({ algorithm, id, seed }): SymmetricKey => {
      const length =
        algorithm === "aes-128-cmac" ? 16 : algorithm === "aes-256-cmac" ? 32 : 1 + (seed[0]! % 31);
      return { id, algorithm, secret: Buffer.from(seed.subarray(0, length)) };
    });

  it("accepts its own MAC at every acceptable length", () => {
    fc.assert(
      fc.property(arbitraryKey, fc.uint8Array({ maxLength: 200 }), (key, data) => {
        for (const version of [3, 4]) {
          const digest = computeMac(key, data, digestLengthForVersion(key.algorithm, version));
          expect(verifyMac(key, data, digest)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("detects any single flipped bit in data or digest", () => {
    fc.assert(
      fc.property(
        arbitraryKey,
        fc.uint8Array({ minLength: 1, maxLength: 200 }),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        (key, data, where, bit) => {
          const digest = computeMac(key, data);
          const tamperedData = Buffer.from(data);
          tamperedData[where % data.length]! ^= 1 << bit;
          expect(verifyMac(key, tamperedData, digest)).toBe(false);
          const tamperedDigest = Buffer.from(digest);
          tamperedDigest[where % digest.length]! ^= 1 << bit;
          expect(verifyMac(key, data, tamperedDigest)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("rejects a digest made with another key, or of an unacceptable length", () => {
    const a = keyOf("sha1", Buffer.from("alpha"));
    const b = keyOf("sha1", Buffer.from("bravo"));
    const data = Buffer.from("payload");
    expect(verifyMac(b, data, computeMac(a, data))).toBe(false);
    expect(verifyMac(a, data, computeMac(a, data, 16))).toBe(false);
    expect(verifyMac(a, data, Buffer.alloc(0))).toBe(false);
  });

  it("writeMac writes at an offset and reports the length", () => {
    const key = keyOf("md5", Buffer.from("k"));
    const out = Buffer.alloc(20);
    expect(writeMac(key, Buffer.from("x"), out, 4)).toBe(FULL_DIGEST_LENGTH.md5);
    expect(out.subarray(4)).toEqual(createHash("md5").update("kx").digest());
    expect(() => writeMac(key, Buffer.from("x"), out, 5)).toThrow(RangeError);
  });

  it("refuses key id 0, which marks a crypto-NAK", () => {
    expect(() => computeMac(keyOf("md5", Buffer.from("k"), 0), Buffer.alloc(1))).toThrow(RangeError);
  });
});

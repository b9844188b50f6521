/**
 * The OpenSSL MAC engine (native/ntpmac) must compute exactly the bytes of the node:crypto
 * implementation in proto/mac.ts: published vectors, arbitrary keys, data and prefixes, and the
 * server's signed answers. CI builds the addon, so a missing engine fails here instead of skipping.
 */
import { createHash } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chooseMacEngine,
  loadNativeMacEngine,
  nativeMacUnavailableReason,
} from "../../../../src/services/ntp/io/nativeMac.js";
import {
  computeMac,
  MAC_ALGORITHMS,
  type MacAlgorithm,
  prepareNodeCryptoMac,
  type SymmetricKey,
  useMacEngine,
  verifyMac,
  verifyPrefixMac,
  writePrefixMac,
} from "../../../../src/services/ntp/proto/mac.js";
import { decodePacket } from "../../../../src/services/ntp/proto/packet.js";
import { verifyPacketMac } from "../../../../src/services/ntp/proto/packetMac.js";
import { NtpServer, SERVER_RESPONSE_BUFFER_LENGTH } from "../../../../src/services/ntp/proto/server.js";
import { keyMap, RECEIVE_TIME, signedRequest, TestClock, testPolicy } from "../proto/serverTestKit.js";

const hex = (text: string): Buffer => Buffer.from(text, "hex");

beforeAll(() => {
  useMacEngine(loadNativeMacEngine());
});

afterAll(() => {
  useMacEngine(undefined);
});

describe("ntpmac addon", () => {
  it("is built, loads and passes its self-test (CI builds it at npm ci)", () => {
    expect(nativeMacUnavailableReason()).toBeUndefined();
    expect(loadNativeMacEngine()).toBeDefined();
  });

  it("MERIDIAN_MAC chooses: js keeps node:crypto, native and auto take OpenSSL, others are refused", () => {
    expect(chooseMacEngine({ MERIDIAN_MAC: "js" })).toEqual({ engine: undefined, fallbackReason: undefined });
    expect(chooseMacEngine({ MERIDIAN_MAC: "native" }).engine).toBe(loadNativeMacEngine());
    expect(chooseMacEngine({})).toEqual({ engine: loadNativeMacEngine(), fallbackReason: undefined });
    expect(() => chooseMacEngine({ MERIDIAN_MAC: "fast" })).toThrow(/MERIDIAN_MAC/);
  });
});

describe("OpenSSL engine: published vectors", () => {
  it("keyed digests match chrony's vectors (test/unit/hash.c)", () => {
    const secret = Buffer.from("abcdefghijklmnopqrstuvwxyz");
    const data = Buffer.from("12345678910");
    expect(computeMac({ id: 1, algorithm: "md5", secret }, data)).toEqual(
      hex("fc24971b5266dc46efe0e8084689b688"),
    );
    expect(computeMac({ id: 1, algorithm: "sha1", secret }, data)).toEqual(
      hex("d885b386ceea93eb92cd7b94b98dc28e3e3113dd"),
    );
    expect(computeMac({ id: 1, algorithm: "sha256", secret }, data)).toEqual(
      hex("0e3514e7157a1dddea1178d341f6b93ea04296733c54740bfa6b9e2959ad69d3"),
    );
  });

  // RFC 4493 §4 (AES-128) and NIST SP 800-38B Appendix D.3 (AES-256), examples 1-4.
  const message = hex(
    "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710",
  );
  const cases: readonly (readonly [MacAlgorithm, string, readonly string[]])[] = [
    [
      "aes-128-cmac",
      "2b7e151628aed2a6abf7158809cf4f3c",
      [
        "bb1d6929e95937287fa37d129b756746",
        "070a16b46b4d4144f79bdd9dd04a287c",
        "dfa66747de9ae63030ca32611497c827",
        "51f0bebf7e3b9d92fc49741779363cfe",
      ],
    ],
    [
      "aes-256-cmac",
      "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
      [
        "028962f61b7bf89efc6b551f4667d983",
        "28a7023f452e8f82bd4bf28d8c37c35c",
        "aaf3d8f1de5640c232f5b169b9c911e6",
        "e1992190549f6ed5696a2c056c315410",
      ],
    ],
  ];
  for (const [algorithm, secret, tags] of cases) {
    it(`${algorithm} matches the published examples (0, 16, 40, 64 octets)`, () => {
      const key: SymmetricKey = { id: 1, algorithm, secret: hex(secret) };
      [0, 16, 40, 64].forEach((length, i) => {
        expect(computeMac(key, message.subarray(0, length)).toString("hex")).toBe(tags[i]);
      });
    });
  }
});

describe("OpenSSL engine agrees with node:crypto", () => {
  const arbitraryKey = fc
    .record({
      algorithm: fc.constantFrom(...MAC_ALGORITHMS),
      seed: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    })
    .map(({ algorithm, seed }): SymmetricKey => {
      const length =
        algorithm === "aes-128-cmac" ? 16 : algorithm === "aes-256-cmac" ? 32 : 1 + (seed[0]! % 31);
      return { id: 7, algorithm, secret: Buffer.from(seed.subarray(0, length)) };
    });

  it("over arbitrary keys, data and prefixes, at every digest length", () => {
    fc.assert(
      fc.property(arbitraryKey, fc.uint8Array({ maxLength: 300 }), fc.nat(), (key, data, cut) => {
        const bytes = Buffer.from(data);
        const prefixLength = bytes.length === 0 ? 0 : cut % (bytes.length + 1);
        const full = computeMac(key, bytes).length;
        for (const length of [full, Math.min(full, 20), 16]) {
          const reference = Buffer.alloc(length);
          prepareNodeCryptoMac(key).writeDigest(bytes, prefixLength, reference, 0, length);
          const ours = Buffer.alloc(length + 4);
          writePrefixMac(key, bytes, prefixLength, ours, 4, length);
          expect(ours.subarray(4)).toEqual(reference);
          if (length === full || length === Math.min(full, 20)) {
            expect(verifyPrefixMac(key, bytes, prefixLength, reference)).toBe(true);
            reference[0]! ^= 0x80;
            expect(verifyPrefixMac(key, bytes, prefixLength, reference)).toBe(false);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it("writes the digest even when the output lies in the input buffer, after the prefix", () => {
    const key: SymmetricKey = { id: 1, algorithm: "md5", secret: Buffer.from("secret") };
    const packet = Buffer.alloc(68, 0x5a);
    writePrefixMac(key, packet, 48, packet, 52, 16);
    expect(packet.subarray(52)).toEqual(
      createHash("md5").update("secret").update(Buffer.alloc(48, 0x5a)).digest(),
    );
    expect(verifyMac(key, packet.subarray(0, 48), packet.subarray(52))).toBe(true);
  });

  it("refuses bad arguments like the JS engine", () => {
    const key: SymmetricKey = { id: 1, algorithm: "aes-128-cmac", secret: Buffer.alloc(16) };
    expect(() => writePrefixMac(key, Buffer.alloc(48), 49, Buffer.alloc(16), 0)).toThrow(RangeError);
    expect(() => writePrefixMac(key, Buffer.alloc(48), 48, Buffer.alloc(16), 1)).toThrow(RangeError);
    expect(verifyPrefixMac(key, Buffer.alloc(48), 49, Buffer.alloc(16))).toBe(false);
    expect(verifyMac(key, Buffer.alloc(48), Buffer.alloc(15))).toBe(false);
  });
});

describe("the server signs with the OpenSSL engine", () => {
  it("answers every algorithm with a response that node:crypto verifies", () => {
    for (const algorithm of MAC_ALGORITHMS) {
      const key: SymmetricKey = {
        id: 42,
        algorithm,
        secret: Buffer.alloc(algorithm === "aes-256-cmac" ? 32 : 16, 0x3c),
      };
      const server = new NtpServer(testPolicy({ keys: keyMap(key) }), new TestClock());
      const out = Buffer.alloc(SERVER_RESPONSE_BUFFER_LENGTH);
      const decision = server.handle("192.0.2.1", RECEIVE_TIME, signedRequest(key), out, 0);
      expect(decision).toMatchObject({ action: "respond", authenticated: true });
      if (decision.action !== "respond") continue;
      const decoded = decodePacket(out.subarray(0, decision.length));
      expect(decoded.ok).toBe(true);
      if (!decoded.ok) continue;
      useMacEngine(undefined);
      try {
        expect(verifyPacketMac(decoded, key), algorithm).toBe(true);
      } finally {
        useMacEngine(loadNativeMacEngine());
      }
    }
  });
});

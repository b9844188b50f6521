import { createCipheriv } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AesCmac } from "../../../../src/services/ntp/proto/aesCmac.js";

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ""), "hex");

/** The 64-octet message shared by RFC 4493 §4 and NIST SP 800-38B Appendix D. */
const MESSAGE = hex(`
  6bc1bee2 2e409f96 e93d7e11 7393172a
  ae2d8a57 1e03ac9c 9eb76fac 45af8e51
  30c81c46 a35ce411 e5fbc119 1a0a52ef
  f69f2445 df4f9b17 ad2b417b e66c3710`);

describe("AES-128-CMAC, RFC 4493 §4 test vectors", () => {
  const cmac = new AesCmac(hex("2b7e1516 28aed2a6 abf71588 09cf4f3c"));
  const examples: readonly (readonly [name: string, length: number, tag: string])[] = [
    ["Example 1: len = 0", 0, "bb1d6929 e9593728 7fa37d12 9b756746"],
    ["Example 2: len = 16", 16, "070a16b4 6b4d4144 f79bdd9d d04a287c"],
    ["Example 3: len = 40", 40, "dfa66747 de9ae630 30ca3261 1497c827"],
    ["Example 4: len = 64", 64, "51f0bebf 7e3b9d92 fc497417 79363cfe"],
  ];

  for (const [name, length, tag] of examples) {
    it(name, () => {
      expect(cmac.compute(MESSAGE.subarray(0, length))).toEqual(hex(tag));
    });
  }

  it("gives the same tags when the examples run again on the same instance, in any order", () => {
    for (const [, length, tag] of [...examples].reverse()) {
      expect(cmac.compute(MESSAGE.subarray(0, length))).toEqual(hex(tag));
    }
  });
});

describe("AES-256-CMAC, NIST SP 800-38B Appendix D.3", () => {
  const cmac = new AesCmac(hex("603deb10 15ca71be 2b73aef0 857d7781 1f352c07 3b6108d7 2d9810a3 0914dff4"));
  const examples: readonly (readonly [length: number, tag: string])[] = [
    [0, "028962f6 1b7bf89e fc6b551f 4667d983"],
    [16, "28a7023f 452e8f82 bd4bf28d 8c37c35c"],
    [40, "aaf3d8f1 de5640c2 32f5b169 b9c911e6"],
    [64, "e1992190 549f6ed5 696a2c05 6c315410"],
  ];
  for (const [length, tag] of examples) {
    it(`Mlen = ${length * 8}`, () => {
      expect(cmac.compute(MESSAGE.subarray(0, length))).toEqual(hex(tag));
    });
  }
});

describe("chrony test/unit/cmac.c vectors", () => {
  const data = Buffer.from("abcdefghijklmnopqrstuvwxyz0123456789");
  it("AES128", () => {
    const cmac = new AesCmac(hex("fc24971b5266dc46efe0e8084689b688"));
    expect(cmac.compute(data)).toEqual(hex("af3cfec266710804d4af5b162b11f485"));
  });
  it("AES256", () => {
    const cmac = new AesCmac(hex("14028e7d173c2f4e170f3796c32cc59918dd5523b7d79bc57636883fc582b583"));
    expect(cmac.compute(data)).toEqual(hex("fef794961404110b87e4d43f81b3b22d"));
  });
});

/** Textbook CMAC with a fresh CBC cipher per message: the oracle for the chained fast path. */
function referenceCmac(key: Buffer, message: Buffer): Buffer {
  const algorithm = key.length === 16 ? "aes-128" : "aes-256";
  const ecb = createCipheriv(`${algorithm}-ecb`, key, null).setAutoPadding(false);
  const double = (block: Buffer): Buffer => {
    const value = (BigInt(`0x${block.toString("hex")}`) << 1n) & ((1n << 128n) - 1n);
    const reduced = block[0]! & 0x80 ? value ^ 0x87n : value;
    return Buffer.from(reduced.toString(16).padStart(32, "0"), "hex");
  };
  const k1 = double(ecb.update(Buffer.alloc(16)));
  const k2 = double(k1);
  const blocks = Math.max(1, Math.ceil(message.length / 16));
  const padded = Buffer.alloc(blocks * 16);
  message.copy(padded);
  const complete = message.length > 0 && message.length % 16 === 0;
  if (!complete) padded[message.length] = 0x80;
  const subkey = complete ? k1 : k2;
  for (let i = 0; i < 16; i++) padded[padded.length - 16 + i]! ^= subkey[i]!;
  const cbc = createCipheriv(`${algorithm}-cbc`, key, Buffer.alloc(16)).setAutoPadding(false);
  return cbc.update(padded).subarray(-16);
}

describe("the chained CBC fast path", () => {
  it("matches a fresh-cipher CMAC over any sequence of messages", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(16, 32),
        fc.array(fc.uint8Array({ maxLength: 200 }), { minLength: 1, maxLength: 8 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (keyLength, messages, keyBytes) => {
          const key = Buffer.from(keyBytes.subarray(0, keyLength));
          const cmac = new AesCmac(key);
          for (const message of messages) {
            expect(cmac.compute(message)).toEqual(referenceCmac(key, Buffer.from(message)));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("writes a truncated tag at an offset", () => {
    const cmac = new AesCmac(hex("2b7e151628aed2a6abf7158809cf4f3c"));
    const out = Buffer.alloc(12, 0xee);
    cmac.computeInto(MESSAGE.subarray(0, 16), out, 2, 8);
    expect(out).toEqual(
      Buffer.concat([Buffer.from([0xee, 0xee]), hex("070a16b46b4d4144"), Buffer.from([0xee, 0xee])]),
    );
  });

  it("rejects keys that are not 16 or 32 octets", () => {
    expect(() => new AesCmac(Buffer.alloc(24))).toThrow(RangeError);
  });
});

import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAC_ALGORITHMS, type SymmetricKey } from "../../../../src/services/ntp/proto/mac.js";
import {
  decodePacket,
  encodePacketToBuffer,
  type NtpPacket,
} from "../../../../src/services/ntp/proto/packet.js";
import { encodeAuthenticatedPacket, verifyPacketMac } from "../../../../src/services/ntp/proto/packetMac.js";
import { arbitraryPacket } from "./packetArbitraries.js";
import { requestPacket } from "./serverTestKit.js";

const REQUEST: NtpPacket = requestPacket({
  leap: 3,
  transmitTimestamp: { seconds: 0xdbab02d6, fraction: 0x9e354130 },
});

const MD5_KEY: SymmetricKey = { id: 10, algorithm: "md5", secret: Buffer.from("NTPKEY1") };

function decodeOrThrow(bytes: Buffer) {
  const result = decodePacket(bytes);
  if (!result.ok) throw new Error(result.reason);
  return result;
}

describe("an MD5-authenticated client request, as IOS `ntp authentication-key 10 md5 NTPKEY1` sends it", () => {
  // Expected bytes built independently: header, key id, MD5(secret || header) (RFC 5905 §7.3).
  const header = encodePacketToBuffer(REQUEST);
  const expected = Buffer.concat([
    header,
    Buffer.from("0000000a", "hex"),
    createHash("md5").update("NTPKEY1").update(header).digest(),
  ]);

  it("encodes to header || key id || digest", () => {
    const out = Buffer.alloc(128);
    const length = encodeAuthenticatedPacket(REQUEST, MD5_KEY, out);
    expect(out.subarray(0, length)).toEqual(expected);
  });

  it("decodes with the MAC range and verifies without re-encoding", () => {
    const result = decodeOrThrow(expected);
    expect(result.packet.mac?.keyId).toBe(10);
    expect(result.layout.macOffset).toBe(48);
    expect(verifyPacketMac(result, MD5_KEY)).toBe(true);
  });

  it("fails with the wrong secret or a key of another id", () => {
    const result = decodeOrThrow(expected);
    expect(verifyPacketMac(result, { ...MD5_KEY, secret: Buffer.from("WRONGKEY") })).toBe(false);
    expect(verifyPacketMac(result, { ...MD5_KEY, id: 11 })).toBe(false);
  });
});

describe("SHA-256 digest length follows the packet version", () => {
  const key: SymmetricKey = { id: 5, algorithm: "sha256", secret: Buffer.from("sha2key") };

  it("sends 20 octets in NTPv4 and 32 in NTPv3 (chrony's behaviour)", () => {
    const out = Buffer.alloc(128);
    expect(encodeAuthenticatedPacket(REQUEST, key, out)).toBe(48 + 4 + 20);
    expect(encodeAuthenticatedPacket({ ...REQUEST, version: 3 }, key, out)).toBe(48 + 4 + 32);
    expect(verifyPacketMac(decodeOrThrow(out.subarray(0, 84)), key)).toBe(true);
  });
});

describe("MAC round trip and tamper detection over arbitrary packets and keys", () => {
  const arbitraryKey = fc
    .record({
      algorithm: fc.constantFrom(...MAC_ALGORITHMS),
      id: fc.integer({ min: 1, max: 0xffff_ffff }),
      seed: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    })
    .map(({ algorithm, id, seed }): SymmetricKey => {
      const length = algorithm === "aes-128-cmac" ? 16 : algorithm === "aes-256-cmac" ? 32 : 20;
      return { id, algorithm, secret: Buffer.from(seed.subarray(0, length)) };
    });

  it("verifies what it signs, and rejects any flipped bit", () => {
    fc.assert(
      fc.property(
        arbitraryPacket,
        arbitraryKey,
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        (packet, key, where, bit) => {
          const out = Buffer.alloc(2048);
          const length = encodeAuthenticatedPacket(packet, key, out);
          const bytes = Buffer.from(out.subarray(0, length));
          expect(verifyPacketMac(decodeOrThrow(bytes), key)).toBe(true);

          const tampered = Buffer.from(bytes);
          tampered[where % length]! ^= 1 << bit;
          const result = decodePacket(tampered);
          expect(result.ok && verifyPacketMac(result, key)).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });
});

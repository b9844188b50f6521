/** fast-check generators for NTP packets, shared by the codec and MAC tests. */
import fc from "fast-check";
import type { ExtensionField } from "../../../../src/services/ntp/proto/extensionField.js";
import type { NtpTimestamp } from "../../../../src/services/ntp/proto/ntpTimestamp.js";
import { CRYPTO_NAK, type NtpPacket, type PacketMac } from "../../../../src/services/ntp/proto/packet.js";
import type { LeapIndicator, NtpMode } from "../../../../src/services/ntp/proto/protocolConstants.js";

const u32 = fc.integer({ min: 0, max: 0xffff_ffff });

export const arbitraryTimestamp: fc.Arbitrary<NtpTimestamp> = fc.record({ seconds: u32, fraction: u32 });

const arbitraryHeader = fc.record({
  leap: fc.constantFrom<LeapIndicator>(0, 1, 2, 3),
  mode: fc.constantFrom<NtpMode>(0, 1, 2, 3, 4, 5),
  stratum: fc.integer({ min: 0, max: 255 }),
  pollLog2: fc.integer({ min: -128, max: 127 }),
  precisionLog2: fc.integer({ min: -128, max: 127 }),
  rootDelay: u32,
  rootDispersion: u32,
  referenceId: u32,
  referenceTimestamp: arbitraryTimestamp,
  originTimestamp: arbitraryTimestamp,
  receiveTimestamp: arbitraryTimestamp,
  transmitTimestamp: arbitraryTimestamp,
});

const bytesOfLength = (length: number): fc.Arbitrary<Buffer> =>
  fc.uint8Array({ minLength: length, maxLength: length }).map((bytes) => Buffer.from(bytes));

/** Digest MACs of the lengths the encoder accepts for a version, or a crypto-NAK, or none. */
function arbitraryMac(version: number): fc.Arbitrary<PacketMac | undefined> {
  const digestLengths = version === 4 ? [16, 20] : [16, 20, 24, 32, 48, 64];
  const digestMac = fc
    .record({ keyId: u32, digestLength: fc.constantFrom(...digestLengths) })
    .chain(({ keyId, digestLength }) => bytesOfLength(digestLength).map((digest) => ({ keyId, digest })));
  return fc.oneof(fc.constant(undefined), fc.constant(CRYPTO_NAK), digestMac);
}

/**
 * Extension fields already in the form the wire preserves: values a whole number of words,
 * fields at least 16 octets, and the last at least 28 when no digest MAC follows (RFC 7822 §3).
 */
function arbitraryFields(mac: PacketMac | undefined): fc.Arbitrary<ExtensionField[]> {
  const macFollows = mac !== undefined && mac.digest.length > 0;
  const field = fc
    .record({ type: fc.integer({ min: 0, max: 0xffff }), words: fc.integer({ min: 3, max: 40 }) })
    .chain(({ type, words }) => bytesOfLength(words * 4).map((value) => ({ type, value })));
  return fc.array(field, { maxLength: 4 }).map((fields) => {
    const last = fields.at(-1);
    if (last !== undefined && !macFollows && last.value.length < 24) {
      fields[fields.length - 1] = {
        type: last.type,
        value: Buffer.concat([last.value, Buffer.alloc(24 - last.value.length)]),
      };
    }
    return fields;
  });
}

/** Any packet `encodePacket` accepts, in the exact form `decodePacket` gives back. */
export const arbitraryPacket: fc.Arbitrary<NtpPacket> = fc
  .record({ header: arbitraryHeader, version: fc.integer({ min: 1, max: 4 }) })
  .chain(({ header, version }) =>
    arbitraryMac(version).chain((mac) =>
      (version === 4 ? arbitraryFields(mac) : fc.constant([])).map(
        (extensionFields): NtpPacket => ({ ...header, version, extensionFields, mac }),
      ),
    ),
  );

/**
 * Byte strings shaped like NTPv4 packets (a version-4 first octet, word-aligned, and a trailer of
 * plausible extension field headers), so random testing reaches the trailer parser.
 */
export const arbitraryPlausibleDatagram: fc.Arbitrary<Uint8Array> = fc
  .record({
    header: fc.uint8Array({ minLength: 48, maxLength: 48 }),
    chunks: fc.array(
      fc.record({
        type: fc.constantFrom(0x0104, 0x0204, 0x0304, 0x0404, 0x0000, 0xffff),
        length: fc.constantFrom(0, 4, 12, 16, 20, 24, 28, 32, 36, 64, 66, 1500),
        bodyWords: fc.integer({ min: 0, max: 20 }),
      }),
      { maxLength: 5 },
    ),
    tailWords: fc.integer({ min: 0, max: 17 }),
  })
  .map(({ header, chunks, tailWords }) => {
    const parts: Buffer[] = [Buffer.from(header)];
    parts[0]![0] = (parts[0]![0]! & 0xc7) | (4 << 3);
    for (const { type, length, bodyWords } of chunks) {
      const chunk = Buffer.alloc(4 + bodyWords * 4, 0x5a);
      chunk.writeUInt16BE(type, 0);
      chunk.writeUInt16BE(length, 2);
      parts.push(chunk);
    }
    parts.push(Buffer.alloc(tailWords * 4, 0xa5));
    return new Uint8Array(Buffer.concat(parts));
  });

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NtsExtensionFieldType } from "../../../../src/services/ntp/proto/extensionField.js";
import {
  KissCode,
  kissCodeName,
  refIdFromAscii,
  refIdToAscii,
} from "../../../../src/services/ntp/proto/kissCode.js";
import { ZERO_TIMESTAMP } from "../../../../src/services/ntp/proto/ntpTimestamp.js";
import {
  CRYPTO_NAK,
  type DecodeResult,
  decodePacket,
  encodePacket,
  encodePacketToBuffer,
  isCryptoNak,
  type NtpPacket,
} from "../../../../src/services/ntp/proto/packet.js";
import { Leap, Mode } from "../../../../src/services/ntp/proto/protocolConstants.js";
import { arbitraryPacket, arbitraryPlausibleDatagram } from "./packetArbitraries.js";

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ""), "hex");

function decoded(bytes: Uint8Array): Extract<DecodeResult, { ok: true }> {
  const result = decodePacket(bytes);
  if (!result.ok) throw new Error(`expected a packet, got ${result.reason}`);
  return result;
}

// A client request laid out by hand from RFC 5905 §7.3 Figure 8: LI 3 (unsynchronized), VN 4,
// mode 3; stratum 0, poll 2^6, precision 2^-20; everything zero but the transmit timestamp.
const CLIENT_REQUEST = hex(`
  e3 00 06 ec
  00000000 00000000 00000000
  00000000 00000000
  00000000 00000000
  00000000 00000000
  dbab02d6 9e354130`);

const CLIENT_REQUEST_FIELDS: NtpPacket = {
  leap: Leap.Unsynchronized,
  version: 4,
  mode: Mode.Client,
  stratum: 0,
  pollLog2: 6,
  precisionLog2: -20,
  rootDelay: 0,
  rootDispersion: 0,
  referenceId: 0,
  referenceTimestamp: ZERO_TIMESTAMP,
  originTimestamp: ZERO_TIMESTAMP,
  receiveTimestamp: ZERO_TIMESTAMP,
  transmitTimestamp: { seconds: 0xdbab02d6, fraction: 0x9e354130 },
  extensionFields: [],
  mac: undefined,
};

// The server's answer: LI 0, VN 4, mode 4, stratum 2, poll 2^6, precision 2^-23, root delay
// 0x0a3d/65536 s (~40 ms), root dispersion 0x0c8f/65536 s, refid 192.168.1.1, origin = the
// client's transmit timestamp.
const SERVER_RESPONSE = hex(`
  24 02 06 e9
  00000a3d 00000c8f c0a80101
  dbab02c0 00000000
  dbab02d6 9e354130
  dbab02d6 a1b2c3d4
  dbab02d6 a1b3d5e6`);

const SERVER_RESPONSE_FIELDS: NtpPacket = {
  leap: Leap.NoWarning,
  version: 4,
  mode: Mode.Server,
  stratum: 2,
  pollLog2: 6,
  precisionLog2: -23,
  rootDelay: 0x0a3d,
  rootDispersion: 0x0c8f,
  referenceId: 0xc0a80101,
  referenceTimestamp: { seconds: 0xdbab02c0, fraction: 0 },
  originTimestamp: { seconds: 0xdbab02d6, fraction: 0x9e354130 },
  receiveTimestamp: { seconds: 0xdbab02d6, fraction: 0xa1b2c3d4 },
  transmitTimestamp: { seconds: 0xdbab02d6, fraction: 0xa1b3d5e6 },
  extensionFields: [],
  mac: undefined,
};

describe("golden packets", () => {
  it("decodes a client request", () => {
    const { packet, layout } = decoded(CLIENT_REQUEST);
    expect(packet).toEqual(CLIENT_REQUEST_FIELDS);
    expect(layout.macOffset).toBe(48);
    expect(layout.extensionFieldOffsets).toEqual([]);
  });

  it("encodes a client request", () => {
    expect(encodePacketToBuffer(CLIENT_REQUEST_FIELDS)).toEqual(CLIENT_REQUEST);
  });

  it("decodes and encodes a server response", () => {
    expect(decoded(SERVER_RESPONSE).packet).toEqual(SERVER_RESPONSE_FIELDS);
    expect(encodePacketToBuffer(SERVER_RESPONSE_FIELDS)).toEqual(SERVER_RESPONSE);
  });

  it("keeps the raw transmit timestamp so a server can echo it bit for bit", () => {
    const { layout } = decoded(CLIENT_REQUEST);
    expect(layout.transmitTimestampBytes).toEqual(hex("dbab02d69e354130"));
    const response = Buffer.from(SERVER_RESPONSE);
    layout.transmitTimestampBytes.copy(response, 24);
    expect(response).toEqual(SERVER_RESPONSE);
  });

  it("writes at an offset into a larger reused buffer", () => {
    const out = Buffer.alloc(100, 0xff);
    expect(encodePacket(SERVER_RESPONSE_FIELDS, out, 8)).toBe(48);
    expect(out.subarray(8, 56)).toEqual(SERVER_RESPONSE);
    expect(out[7]).toBe(0xff);
    expect(out[56]).toBe(0xff);
  });

  it("decodes a Uint8Array that is not a Buffer, without copying", () => {
    const view = new Uint8Array(CLIENT_REQUEST);
    expect(decoded(view).packet).toEqual(CLIENT_REQUEST_FIELDS);
  });

  it("decodes a kiss-o'-death RATE response", () => {
    const kod = Buffer.from(SERVER_RESPONSE);
    kod[1] = 0; // stratum 0: the reference id is a kiss code (RFC 5905 §7.4)
    kod.write("RATE", 12, "ascii");
    const { packet } = decoded(kod);
    expect(packet.referenceId).toBe(KissCode.RATE);
    expect(kissCodeName(packet.referenceId)).toBe("RATE");
  });
});

describe("extension fields and MACs on the wire (RFC 7822 §3)", () => {
  it("decodes an NTS-shaped request: unique identifier, cookie, authenticator", () => {
    const uid = Buffer.alloc(32, 0x11);
    const cookie = Buffer.alloc(100, 0x22);
    const authenticator = Buffer.concat([hex("0010 0010"), Buffer.alloc(16, 0x33), Buffer.alloc(16, 0x44)]);
    const bytes = Buffer.concat([
      CLIENT_REQUEST,
      hex("0104 0024"),
      uid,
      hex("0204 0068"),
      cookie,
      hex("0404 0028"),
      authenticator,
    ]);
    const { packet, layout } = decoded(bytes);
    expect(packet.extensionFields).toEqual([
      { type: NtsExtensionFieldType.UniqueIdentifier, value: uid },
      { type: NtsExtensionFieldType.Cookie, value: cookie },
      { type: NtsExtensionFieldType.Authenticator, value: authenticator },
    ]);
    expect(layout.extensionFieldOffsets).toEqual([48, 84, 188]);
    expect(layout.macOffset).toBe(bytes.length);
    expect(packet.mac).toBeUndefined();
    expect(encodePacketToBuffer(packet)).toEqual(bytes);
  });

  it("takes a 20- or 24-octet remainder as a MAC, even after a 16-octet field", () => {
    const field = hex(`ff00 0010 ${"ab".repeat(12)}`);
    const mac = hex(`0000002a ${"cd".repeat(20)}`);
    const { packet, layout } = decoded(Buffer.concat([CLIENT_REQUEST, field, mac]));
    expect(packet.extensionFields).toEqual([{ type: 0xff00, value: Buffer.alloc(12, 0xab) }]);
    expect(packet.mac).toEqual({ keyId: 42, digest: Buffer.alloc(20, 0xcd) });
    expect(layout.macOffset).toBe(64);
  });

  it("recognises a crypto-NAK: a MAC of just key id 0", () => {
    const bytes = Buffer.concat([CLIENT_REQUEST, hex("00000000")]);
    const { packet } = decoded(bytes);
    expect(isCryptoNak(packet.mac)).toBe(true);
    expect(encodePacketToBuffer(packet)).toEqual(bytes);
  });

  it("pads a last field to 28 octets before a crypto-NAK, so it cannot read as a MAC", () => {
    const packet = {
      ...CLIENT_REQUEST_FIELDS,
      extensionFields: [{ type: 1, value: Buffer.alloc(12) }],
      mac: CRYPTO_NAK,
    };
    const bytes = encodePacketToBuffer(packet);
    expect(bytes.length).toBe(48 + 28 + 4);
    expect(decoded(bytes).packet).toEqual({
      ...packet,
      extensionFields: [{ type: 1, value: Buffer.alloc(24) }],
    });
  });

  it("pads a lone field without a MAC to 28 octets", () => {
    const bytes = encodePacketToBuffer({
      ...CLIENT_REQUEST_FIELDS,
      extensionFields: [{ type: 7, value: Buffer.from("hi") }],
    });
    expect(bytes.subarray(48).toString("hex")).toBe(`0007001c6869${"00".repeat(22)}`);
  });

  it("reads NTPv3 trailers as MACs of any supported length, e.g. chrony's full SHA-256", () => {
    const v3 = Buffer.from(CLIENT_REQUEST);
    v3[0] = 0xdb; // LI 3, VN 3, mode 3
    const bytes = Buffer.concat([v3, hex("00000007"), Buffer.alloc(32, 0x77)]);
    expect(decoded(bytes).packet.mac).toEqual({ keyId: 7, digest: Buffer.alloc(32, 0x77) });
  });

  it("leniently takes an unparsable v4 remainder of MAC shape as a long MAC", () => {
    const bytes = Buffer.concat([CLIENT_REQUEST, hex("00000007"), Buffer.alloc(32, 0x77)]);
    const { packet, layout } = decoded(bytes);
    expect(packet.extensionFields).toEqual([]);
    expect(packet.mac).toEqual({ keyId: 7, digest: Buffer.alloc(32, 0x77) });
    expect(layout.macOffset).toBe(48);
  });

  it("prefers a valid extension field over a long v4 MAC (RFC 7822 ambiguity: such MACs need v3)", () => {
    const bytes = Buffer.concat([CLIENT_REQUEST, hex("00010024"), Buffer.alloc(32, 0x77)]);
    const { packet } = decoded(bytes);
    expect(packet.mac).toBeUndefined();
    expect(packet.extensionFields).toEqual([{ type: 1, value: Buffer.alloc(32, 0x77) }]);
  });
});

describe("rejections are data, with a reason", () => {
  const withFirstOctet = (octet: number): Buffer => {
    const bytes = Buffer.from(CLIENT_REQUEST);
    bytes[0] = octet;
    return bytes;
  };
  const cases: readonly (readonly [name: string, bytes: Buffer, reason: string])[] = [
    ["empty", Buffer.alloc(0), "too-short"],
    ["47 octets", CLIENT_REQUEST.subarray(0, 47), "too-short"],
    ["50 octets", Buffer.concat([CLIENT_REQUEST, Buffer.alloc(2)]), "length-not-word-aligned"],
    ["version 0", withFirstOctet(0x03), "unsupported-version"],
    ["version 5", withFirstOctet(0x2b), "unsupported-version"],
    ["mode 6 (control)", withFirstOctet(0x26), "unsupported-mode"],
    ["mode 7 (private)", withFirstOctet(0x27), "unsupported-mode"],
    ["4 octets of nonzero key id", Buffer.concat([CLIENT_REQUEST, hex("00000001")]), "malformed-mac"],
    ["v4, 8 stray octets", Buffer.concat([CLIENT_REQUEST, Buffer.alloc(8)]), "malformed-extension-field"],
    [
      "v4, field longer than the packet",
      Buffer.concat([CLIENT_REQUEST, hex("0104 0400"), Buffer.alloc(76)]),
      "malformed-extension-field",
    ],
    [
      "v4, misaligned field length",
      Buffer.concat([CLIENT_REQUEST, hex("0104 0051"), Buffer.alloc(76)]),
      "malformed-extension-field",
    ],
    ["v3, 8 stray octets", Buffer.concat([withFirstOctet(0x1b), Buffer.alloc(8)]), "malformed-mac"],
    ["v3, 72-octet trailer", Buffer.concat([withFirstOctet(0x1b), Buffer.alloc(72)]), "malformed-mac"],
  ];
  for (const [name, bytes, reason] of cases) {
    it(name, () => {
      expect(decodePacket(bytes)).toEqual({ ok: false, reason });
    });
  }
});

describe("encoding refuses what the wire cannot carry", () => {
  it("extension fields before NTPv4", () => {
    const packet = {
      ...CLIENT_REQUEST_FIELDS,
      version: 3,
      extensionFields: [{ type: 1, value: Buffer.alloc(12) }],
    };
    expect(() => encodePacketToBuffer(packet)).toThrow(RangeError);
  });

  it("a digest over 20 octets in NTPv4 (RFC 7822 §3)", () => {
    const packet = { ...CLIENT_REQUEST_FIELDS, mac: { keyId: 1, digest: Buffer.alloc(32) } };
    expect(() => encodePacketToBuffer(packet)).toThrow(RangeError);
    expect(() => encodePacketToBuffer({ ...packet, version: 3 })).not.toThrow();
  });

  it("control and private modes, and a buffer that is too small", () => {
    expect(() => encodePacketToBuffer({ ...CLIENT_REQUEST_FIELDS, mode: Mode.Control })).toThrow(RangeError);
    expect(() => encodePacket(CLIENT_REQUEST_FIELDS, Buffer.alloc(47))).toThrow(RangeError);
  });
});

describe("properties", () => {
  it("decode(encode(p)) equals p for every encodable packet", () => {
    fc.assert(
      fc.property(arbitraryPacket, (packet) => {
        const bytes = encodePacketToBuffer(packet);
        const result = decoded(bytes);
        expect(result.packet).toEqual(packet);
        expect(result.layout.macOffset).toBe(
          packet.mac === undefined ? bytes.length : bytes.length - 4 - packet.mac.digest.length,
        );
      }),
      { numRuns: 1000 },
    );
  });

  it("never throws on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1500 }), (bytes) => {
        decodePacket(bytes);
      }),
      { numRuns: 5000 },
    );
  });

  it("never throws on NTPv4-shaped bytes, and re-encoding a decoded packet is stable", () => {
    fc.assert(
      fc.property(arbitraryPlausibleDatagram, (bytes) => {
        const first = decodePacket(bytes);
        if (!first.ok) return;
        const mac = first.packet.mac;
        if (first.packet.version === 4 && mac !== undefined && mac.digest.length > 20) return; // lenient-only form
        const once = encodePacketToBuffer(first.packet);
        const twice = encodePacketToBuffer(decoded(once).packet);
        expect(twice).toEqual(once);
      }),
      { numRuns: 5000 },
    );
  });
});

describe("reference ids", () => {
  it("packs ASCII left-justified and zero-padded", () => {
    expect(refIdFromAscii("DENY")).toBe(0x44454e59);
    expect(refIdFromAscii("GPS")).toBe(0x47505300);
    expect(refIdToAscii(0x47505300)).toBe("GPS");
    expect(refIdToAscii(KissCode.NTSN)).toBe("NTSN");
    expect(refIdToAscii(0xc0a80101)).toBeUndefined();
  });

  it("names the RFC 5905 §7.4 and RFC 8915 kiss codes", () => {
    expect(kissCodeName(refIdFromAscii("DENY"))).toBe("DENY");
    expect(kissCodeName(refIdFromAscii("NTSN"))).toBe("NTSN");
    expect(kissCodeName(refIdFromAscii("LOCL"))).toBeUndefined();
  });
});

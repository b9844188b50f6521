import { describe, expect, it } from "vitest";
import { refIdFromAscii } from "../../../../src/services/ntp/proto/kissCode.js";
import type { SymmetricKey } from "../../../../src/services/ntp/proto/mac.js";
import type { NtpTimestamp } from "../../../../src/services/ntp/proto/ntpTimestamp.js";
import {
  CRYPTO_NAK,
  decodePacket,
  encodePacketToBuffer,
  type NtpPacket,
} from "../../../../src/services/ntp/proto/packet.js";
import { encodeAuthenticatedPacket } from "../../../../src/services/ntp/proto/packetMac.js";
import { type ReplyExpectation, validateReply } from "../../../../src/services/ntp/proto/replyValidation.js";

const OURS: NtpTimestamp = { seconds: 0x1234_5678, fraction: 0x9abc_def0 };
const T2: NtpTimestamp = { seconds: 0xe9a1_0100, fraction: 0 };
const T3: NtpTimestamp = { seconds: 0xe9a1_0100, fraction: 0x1000 };
const KEY: SymmetricKey = { id: 3, algorithm: "md5", secret: Buffer.from("NTPKEY1") };

function reply(overrides: Partial<NtpPacket> = {}, key?: SymmetricKey) {
  const packet: NtpPacket = {
    leap: 0,
    version: 4,
    mode: 4,
    stratum: 2,
    pollLog2: 6,
    precisionLog2: -20,
    rootDelay: 0x100,
    rootDispersion: 0x100,
    referenceId: 0x0a000001,
    referenceTimestamp: { seconds: 0xe9a1_0000, fraction: 0 },
    originTimestamp: OURS,
    receiveTimestamp: T2,
    transmitTimestamp: T3,
    extensionFields: [],
    mac: undefined,
    ...overrides,
  };
  let bytes: Buffer;
  if (key === undefined) bytes = encodePacketToBuffer(packet);
  else {
    const out = Buffer.alloc(100);
    bytes = out.subarray(0, encodeAuthenticatedPacket(packet, key, out));
  }
  const decoded = decodePacket(bytes);
  if (!decoded.ok) throw new Error(decoded.reason);
  return decoded;
}

const EXPECT: ReplyExpectation = {
  associationKind: "server",
  outstandingTransmit: OURS,
  lastReceivedTransmit: undefined,
  key: undefined,
  requireAuthentication: false,
};

describe("RFC 5905 §8 packet tests on a reply", () => {
  it("accepts a good reply as a sample", () => {
    expect(validateReply(reply(), EXPECT)).toEqual({ kind: "sample", authenticated: false });
  });

  it("test 1: a duplicate (same transmit timestamp as the last one)", () => {
    expect(validateReply(reply(), { ...EXPECT, lastReceivedTransmit: T3 })).toEqual({
      kind: "reject",
      reason: "duplicate",
    });
  });

  it("test 2: bogus — the origin is not our transmit, or nothing is outstanding", () => {
    expect(validateReply(reply({ originTimestamp: T2 }), EXPECT)).toEqual({
      kind: "reject",
      reason: "bogus",
    });
    expect(validateReply(reply(), { ...EXPECT, outstandingTransmit: undefined })).toEqual({
      kind: "reject",
      reason: "bogus",
    });
  });

  it("a mode a server association does not answer to", () => {
    expect(validateReply(reply({ mode: 2 }), EXPECT)).toEqual({ kind: "reject", reason: "bad-mode" });
    expect(validateReply(reply({ mode: 4 }), { ...EXPECT, associationKind: "peer" })).toEqual({
      kind: "reject",
      reason: "bad-mode",
    });
  });

  it("test 3: zero receive or transmit timestamps", () => {
    expect(validateReply(reply({ receiveTimestamp: { seconds: 0, fraction: 0 } }), EXPECT)).toEqual({
      kind: "reject",
      reason: "bad-header",
    });
  });

  it("test 6: an unsynchronized server (leap 3, stratum 16, stratum 0 without a kiss code)", () => {
    expect(validateReply(reply({ leap: 3 }), EXPECT).kind).toBe("unsynchronized");
    expect(validateReply(reply({ stratum: 16 }), EXPECT).kind).toBe("unsynchronized");
    expect(validateReply(reply({ stratum: 0, referenceId: 0, leap: 3 }), EXPECT).kind).toBe("unsynchronized");
  });

  it("test 7: root distance beyond MAXDISP or a reference time after the transmit time", () => {
    expect(validateReply(reply({ rootDispersion: 16 << 16 }), EXPECT)).toEqual({
      kind: "reject",
      reason: "bad-header",
    });
    expect(
      validateReply(reply({ referenceTimestamp: { seconds: 0xe9a1_0200, fraction: 0 } }), EXPECT),
    ).toEqual({
      kind: "reject",
      reason: "bad-header",
    });
  });

  it("recognizes kiss codes only in a genuine reply", () => {
    const kiss = { stratum: 0, leap: 3 as const, referenceId: refIdFromAscii("RATE") };
    expect(validateReply(reply(kiss), EXPECT)).toEqual({ kind: "kiss", code: "RATE", authenticated: false });
    expect(validateReply(reply({ ...kiss, originTimestamp: T2 }), EXPECT)).toEqual({
      kind: "reject",
      reason: "bogus",
    });
  });
});

describe("authentication tests (RFC 5905 §8 test 5, RFC 8573)", () => {
  const keyed: ReplyExpectation = { ...EXPECT, key: KEY, requireAuthentication: true };

  it("accepts a reply with a valid MAC under the association's key", () => {
    expect(validateReply(reply({}, KEY), keyed)).toEqual({ kind: "sample", authenticated: true });
  });

  it("rejects a missing MAC when one is required, and accepts it otherwise", () => {
    expect(validateReply(reply(), keyed)).toEqual({ kind: "reject", reason: "unauthenticated" });
    expect(validateReply(reply(), EXPECT).kind).toBe("sample");
  });

  it("rejects a wrong digest or another key id", () => {
    const other: SymmetricKey = { ...KEY, id: 4 };
    const wrong: SymmetricKey = { ...KEY, secret: Buffer.from("WRONGKEY") };
    expect(validateReply(reply({}, other), keyed)).toEqual({ kind: "reject", reason: "bad-mac" });
    expect(validateReply(reply({}, wrong), keyed)).toEqual({ kind: "reject", reason: "bad-mac" });
  });

  it("reports a crypto-NAK", () => {
    expect(validateReply(reply({ mac: CRYPTO_NAK }), keyed)).toEqual({
      kind: "reject",
      reason: "crypto-nak",
    });
  });
});

describe("symmetric peers", () => {
  const peer: ReplyExpectation = { ...EXPECT, associationKind: "peer" };

  it("takes a mode-1 packet answering us as a sample, and any other as the peer's own request", () => {
    expect(validateReply(reply({ mode: 1 }), peer).kind).toBe("sample");
    expect(validateReply(reply({ mode: 1, originTimestamp: T2 }), peer)).toEqual({
      kind: "peer-request",
      authenticated: false,
    });
  });
});

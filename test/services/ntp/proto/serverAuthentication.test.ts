import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MAC_ALGORITHMS, type SymmetricKey } from "../../../../src/services/ntp/proto/mac.js";
import { readTimestamp } from "../../../../src/services/ntp/proto/ntpTimestamp.js";
import { CRYPTO_NAK, decodePacket } from "../../../../src/services/ntp/proto/packet.js";
import { verifyPacketMac } from "../../../../src/services/ntp/proto/packetMac.js";
import { HeaderOffset } from "../../../../src/services/ntp/proto/protocolConstants.js";
import {
  CLIENT_TRANSMIT,
  CLOCK_NOW,
  KEYS,
  keyMap,
  request,
  requestPacket,
  ServerHarness,
  signedRequest,
  TestClock,
  testPolicy,
} from "./serverTestKit.js";

const ALL_KEYS = keyMap(...Object.values(KEYS));

describe("a request signed with a trusted key (RFC 5905 §7.3, RFC 8573)", () => {
  it.each(MAC_ALGORITHMS)("%s: the response is signed with the same key and verifies", (algorithm) => {
    const key = KEYS[algorithm];
    const harness = new ServerHarness(testPolicy({ keys: ALL_KEYS }));
    const datagram = signedRequest(key);
    const decision = harness.send(datagram);
    expect(decision).toMatchObject({ action: "respond", mode: 4, reason: "server", authenticated: true });
    const response = harness.response(decision);
    expect(response.length).toBe(datagram.length);
    const decoded = decodePacket(response);
    if (!decoded.ok) throw new Error(decoded.reason);
    expect(decoded.packet.mac?.keyId).toBe(key.id);
    // The client verifies with its own copy of the key, over the bytes as received.
    const clientKey: SymmetricKey = { ...key, secret: Buffer.from(key.secret) };
    expect(verifyPacketMac(decoded, clientKey)).toBe(true);
    expect(decoded.packet.originTimestamp).toEqual(CLIENT_TRANSMIT);
    expect(decoded.packet.transmitTimestamp).toEqual(CLOCK_NOW);
  });

  it("matches an independently computed MD5 MAC: MD5(secret || 48-octet header)", () => {
    const harness = new ServerHarness(testPolicy({ keys: ALL_KEYS }));
    const response = harness.response(harness.send(signedRequest(KEYS.md5)));
    const expected = createHash("md5").update("NTPKEY1").update(response.subarray(0, 48)).digest();
    expect(response.readUInt32BE(48)).toBe(1);
    expect(response.subarray(52)).toEqual(expected);
  });

  it("computes the MAC after writing the transmit timestamp, read last", () => {
    const clock = new TestClock();
    const harness = new ServerHarness(testPolicy({ keys: ALL_KEYS }), clock);
    let keyIdAtNow = -1;
    clock.onNow = () => {
      keyIdAtNow = harness.out.readUInt32BE(48);
    };
    const response = harness.response(harness.send(signedRequest(KEYS.sha1)));
    expect(keyIdAtNow).toBe(KEYS.sha1.id);
    expect(readTimestamp(response, HeaderOffset.TransmitTimestamp)).toEqual(CLOCK_NOW);
    const decoded = decodePacket(response);
    expect(decoded.ok && verifyPacketMac(decoded, KEYS.sha1)).toBe(true);
  });

  it("mirrors the request's digest length, so the response is never longer (NTPv3 SHA-256)", () => {
    const harness = new ServerHarness(testPolicy({ keys: ALL_KEYS }));
    // chrony sends full 32-octet SHA-256 digests in NTPv3; NTPsec truncates to 20.
    const full = signedRequest(KEYS.sha256, { version: 3 });
    expect(full.length).toBe(48 + 4 + 32);
    expect(harness.send(full)).toMatchObject({ length: 84, authenticated: true });
    const truncated = Buffer.from(full.subarray(0, 48 + 4 + 20));
    const header = Buffer.from(full.subarray(0, 48));
    createHash("sha256").update(KEYS.sha256.secret).update(header).digest().copy(truncated, 52, 0, 20);
    const decision = harness.send(truncated);
    expect(decision).toMatchObject({ action: "respond", length: 72, authenticated: true });
    const decoded = decodePacket(harness.response(decision));
    expect(decoded.ok && verifyPacketMac(decoded, KEYS.sha256)).toBe(true);
  });
});

describe("crypto-NAK (RFC 5905 Appendix A.5.1: A_ERROR is answered with a crypto-NAK)", () => {
  const expectCryptoNak = (harness: ServerHarness, datagram: Buffer, reason: string) => {
    const decision = harness.send(datagram);
    expect(decision).toMatchObject({ action: "respond", mode: 4, reason, authenticated: false, length: 52 });
    const decoded = decodePacket(harness.response(decision));
    if (!decoded.ok) throw new Error(decoded.reason);
    expect(decoded.packet.mac).toEqual(CRYPTO_NAK);
    expect(decoded.packet.originTimestamp).toEqual(CLIENT_TRANSMIT);
  };

  it("answers a MAC that does not verify", () => {
    const harness = new ServerHarness(testPolicy({ keys: ALL_KEYS }));
    const tampered = signedRequest(KEYS.md5);
    tampered[60] = (tampered[60] ?? 0) ^ 0x01;
    expectCryptoNak(harness, tampered, "crypto-nak-bad-mac");
    const wrongSecret = signedRequest({ ...KEYS.md5, secret: Buffer.from("WRONGKEY") });
    expectCryptoNak(harness, wrongSecret, "crypto-nak-bad-mac");
    expect(harness.server.stats.snapshot()).toMatchObject({ badMac: 2, kodSent: { cryptoNak: 2 } });
  });

  it("answers a key id that is not trusted, or not configured at all", () => {
    const harness = new ServerHarness(testPolicy({ keys: keyMap(KEYS.md5) }));
    expectCryptoNak(harness, signedRequest(KEYS.sha1), "crypto-nak-unknown-key");
    expectCryptoNak(harness, signedRequest({ ...KEYS.md5, id: 77 }), "crypto-nak-unknown-key");
    expect(harness.server.stats.snapshot().unknownKey).toBe(2);
  });

  it("answers even when authentication is not required (the client asked for it)", () => {
    const harness = new ServerHarness(testPolicy());
    expectCryptoNak(harness, signedRequest(KEYS.md5), "crypto-nak-unknown-key");
  });

  it("ignores a request that is itself a crypto-NAK", () => {
    const harness = new ServerHarness(testPolicy({ keys: ALL_KEYS }));
    const decision = harness.send(request({ mac: CRYPTO_NAK }));
    expect(decision).toEqual({ action: "ignore", reason: "crypto-nak-received" });
  });
});

describe("requireAuthentication (IOS `ntp authenticate`, RFC 5905 P_NOTRUST)", () => {
  const policy = testPolicy({ keys: keyMap(KEYS["aes-128-cmac"]), requireAuthentication: true });

  it("serves only requests with a valid MAC", () => {
    const harness = new ServerHarness(policy);
    expect(harness.send(request())).toEqual({ action: "ignore", reason: "authentication-required" });
    expect(harness.send(signedRequest(KEYS["aes-128-cmac"]))).toMatchObject({
      action: "respond",
      authenticated: true,
    });
  });

  it("serves unauthenticated clients when off", () => {
    const harness = new ServerHarness({ ...policy, requireAuthentication: false });
    expect(harness.send(request())).toMatchObject({ action: "respond", authenticated: false });
  });

  it("signs symmetric passive answers too", () => {
    const harness = new ServerHarness({ ...policy, passive: true });
    const decision = harness.send(signedRequest(KEYS["aes-128-cmac"], { mode: 1 }));
    expect(decision).toMatchObject({ action: "respond", mode: 2, reason: "passive", authenticated: true });
    const decoded = decodePacket(harness.response(decision));
    expect(decoded.ok && verifyPacketMac(decoded, KEYS["aes-128-cmac"])).toBe(true);
  });
});

describe("the signed request's packet is untouched", () => {
  it("does not modify the request datagram", () => {
    const harness = new ServerHarness(testPolicy({ keys: ALL_KEYS }));
    const datagram = signedRequest(KEYS.md5, requestPacket());
    const copy = Buffer.from(datagram);
    harness.send(datagram);
    expect(datagram).toEqual(copy);
  });
});

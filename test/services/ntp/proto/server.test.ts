import { describe, expect, it } from "vitest";
import { NtsExtensionFieldType } from "../../../../src/services/ntp/proto/extensionField.js";
import { readTimestamp } from "../../../../src/services/ntp/proto/ntpTimestamp.js";
import { HeaderOffset } from "../../../../src/services/ntp/proto/protocolConstants.js";
import { NtpServer, responsePollLog2 } from "../../../../src/services/ntp/proto/server.js";
import {
  CLIENT,
  CLIENT_TRANSMIT,
  CLOCK_NOW,
  RECEIVE_TIME,
  request,
  ServerHarness,
  SYNCHRONIZED,
  TestClock,
  testPolicy,
  UNSYNCHRONIZED,
  UPSTREAM_REFID,
} from "./serverTestKit.js";

describe("a client request (mode 3) from a synchronized server", () => {
  const harness = new ServerHarness();
  const { packet, layout } = harness.exchange(request());

  it("is answered in mode 4 with the system variables (RFC 5905 §9.2)", () => {
    expect(packet).toMatchObject({
      leap: 0,
      version: 4,
      mode: 4,
      stratum: 2,
      pollLog2: 6,
      precisionLog2: -24,
      rootDelay: 0x0000_0400, // 15.625 ms in NTP short format
      rootDispersion: 0x0000_0200,
      referenceId: UPSTREAM_REFID,
      referenceTimestamp: SYNCHRONIZED.referenceTimestamp,
      extensionFields: [],
      mac: undefined,
    });
    expect(layout.bytes.length).toBe(48);
  });

  it("carries T1 (the client's transmit), T2 (receive time) and T3 (the clock, read last)", () => {
    expect(packet.originTimestamp).toEqual(CLIENT_TRANSMIT);
    expect(packet.receiveTimestamp).toEqual(RECEIVE_TIME);
    expect(packet.transmitTimestamp).toEqual(CLOCK_NOW);
  });
});

describe("while unsynchronized (interoperable with chrony and ntpd clients)", () => {
  const harness = new ServerHarness(testPolicy(), new TestClock(UNSYNCHRONIZED));
  const { packet } = harness.exchange(request());

  it("still answers, with leap 3 (alarm) and stratum 0, the wire form of stratum 16", () => {
    expect(packet.leap).toBe(3);
    expect(packet.stratum).toBe(0);
  });

  it("sends a zero reference id and reference time, as chrony does, so no kiss code is implied", () => {
    expect(packet.referenceId).toBe(0);
    expect(packet.referenceTimestamp).toEqual({ seconds: 0, fraction: 0 });
  });

  it("treats a snapshot claiming sync at stratum 16 or leap 3 as unsynchronized", () => {
    for (const system of [
      { ...SYNCHRONIZED, stratum: 16 },
      { ...SYNCHRONIZED, stratum: 0 },
      { ...SYNCHRONIZED, leap: 3 as const },
    ]) {
      const h = new ServerHarness(testPolicy(), new TestClock(system));
      const answer = h.exchange(request()).packet;
      expect([answer.leap, answer.stratum, answer.referenceId]).toEqual([3, 0, 0]);
    }
  });

  it("passes a leap warning through while synchronized", () => {
    const h = new ServerHarness(testPolicy(), new TestClock({ ...SYNCHRONIZED, leap: 1 }));
    expect(h.exchange(request()).packet.leap).toBe(1);
  });
});

describe("the transmit timestamp is taken as late as possible", () => {
  it("reads the clock once, after every other response byte is in place", () => {
    const clock = new TestClock();
    const harness = new ServerHarness(testPolicy(), clock);
    let atNow: Buffer | undefined;
    clock.onNow = () => {
      atNow = Buffer.from(harness.out.subarray(0, HeaderOffset.TransmitTimestamp));
    };
    const response = harness.response(harness.send(request()));
    expect(clock.nowCalls).toBe(1);
    expect(atNow).toEqual(response.subarray(0, HeaderOffset.TransmitTimestamp));
    expect(readTimestamp(response, HeaderOffset.TransmitTimestamp)).toEqual(CLOCK_NOW);
  });
});

describe("version and poll", () => {
  it("answers versions 1-4 in the request's version (RFC 5905 Appendix A.5.3)", () => {
    const harness = new ServerHarness();
    for (const version of [1, 2, 3, 4]) {
      expect(harness.exchange(request({ version })).packet.version).toBe(version);
    }
  });

  it("echoes the poll exponent, clamped to MINPOLL..MAXPOLL (4..17)", () => {
    const harness = new ServerHarness();
    const echoed = (pollLog2: number) => harness.exchange(request({ pollLog2 })).packet.pollLog2;
    expect([echoed(6), echoed(10), echoed(0), echoed(-6), echoed(17), echoed(40)]).toEqual([
      6, 10, 4, 4, 17, 17,
    ]);
  });

  it("raises the poll to the rate-limit interval when limiting is on (chrony)", () => {
    const rateLimit = { intervalLog2: 8, burst: 16, leakLog2: 1 };
    expect(responsePollLog2(6, rateLimit)).toBe(8);
    expect(responsePollLog2(10, rateLimit)).toBe(10);
    expect(responsePollLog2(6, { ...rateLimit, intervalLog2: 3 })).toBe(6);
  });
});

describe("no amplification", () => {
  it("answers a request with unknown extension fields without them: 48 octets", () => {
    const harness = new ServerHarness();
    const datagram = request({ extensionFields: [{ type: 0xf323, value: Buffer.alloc(60) }] });
    expect(datagram.length).toBeGreaterThan(48);
    const decision = harness.send(datagram);
    expect(decision).toMatchObject({ action: "respond", length: 48, reason: "server" });
  });

  it("leaves NTS requests to the NTS layer", () => {
    const harness = new ServerHarness();
    const uid = { type: NtsExtensionFieldType.UniqueIdentifier, value: Buffer.alloc(32, 1) };
    expect(harness.send(request({ extensionFields: [uid] }))).toEqual({
      action: "ignore",
      reason: "nts-unavailable",
    });
  });
});

describe("modes that are not answered", () => {
  const harness = new ServerHarness();

  it.each([
    [0, "mode-not-served"],
    [2, "mode-not-served"],
    [4, "mode-not-served"],
    [5, "mode-not-served"],
  ] as const)("mode %i is ignored", (mode, reason) => {
    expect(harness.send(request({ mode }))).toEqual({ action: "ignore", reason });
  });

  it("mode 7 (ntpdc, monlist) is never answered, even with control allowed", () => {
    const h = new ServerHarness(testPolicy({ allowControl: true }));
    const datagram = Buffer.alloc(48);
    datagram[0] = (2 << 3) | 7;
    expect(h.send(datagram)).toEqual({ action: "ignore", reason: "mode-private" });
    expect(h.send(Buffer.from([0x17]))).toEqual({ action: "ignore", reason: "mode-private" });
  });

  it("undecodable datagrams are dropped with the codec's reason", () => {
    expect(harness.send(Buffer.alloc(0))).toEqual({ action: "ignore", reason: "too-short" });
    expect(harness.send(request().subarray(0, 40))).toEqual({ action: "ignore", reason: "too-short" });
    const badVersion = request();
    badVersion[0] = (5 << 3) | 3;
    expect(harness.send(badVersion)).toEqual({ action: "ignore", reason: "unsupported-version" });
  });
});

describe("symmetric active (mode 1)", () => {
  const active = () => request({ mode: 1, stratum: 3, pollLog2: 7 });

  it("gets a symmetric passive (mode 2) answer with `ntp passive`", () => {
    const harness = new ServerHarness(testPolicy({ passive: true }));
    const { packet } = harness.exchange(active());
    expect(packet).toMatchObject({ mode: 2, stratum: 2, pollLog2: 7, originTimestamp: CLIENT_TRANSMIT });
  });

  it("gets an answer from a configured `ntp peer` without `ntp passive`", () => {
    const harness = new ServerHarness(testPolicy({ peers: new Set([CLIENT]) }));
    expect(harness.exchange(active()).packet.mode).toBe(2);
    expect(harness.send(active(), "192.0.2.99")).toEqual({
      action: "ignore",
      reason: "peering-not-configured",
    });
  });

  it("is ignored otherwise", () => {
    expect(new ServerHarness().send(active())).toEqual({
      action: "ignore",
      reason: "peering-not-configured",
    });
  });
});

describe("statistics", () => {
  it("counts every datagram and decision", () => {
    const harness = new ServerHarness(testPolicy({ passive: true }));
    harness.send(request());
    harness.send(request({ mode: 1 }));
    harness.send(request({ mode: 4 }));
    harness.send(Buffer.from([0x17]));
    const stats = harness.server.stats.snapshot();
    expect(stats.received).toBe(4);
    expect(stats.receivedByMode).toEqual([0, 1, 0, 1, 1, 0, 0, 1]);
    expect(stats.answered).toEqual({ server: 1, symmetricPassive: 1, control: 0 });
    expect(stats.dropped["mode-not-served"]).toBe(1);
    expect(stats.dropped["mode-private"]).toBe(1);
    expect(stats.kodSent).toEqual({ DENY: 0, RSTR: 0, RATE: 0, cryptoNak: 0 });
    expect(stats.rateLimiter).toEqual({ capacity: 65536, occupied: 0, evictions: 0 });
    expect(JSON.parse(JSON.stringify(stats))).toEqual(stats);
  });
});

describe("programming errors", () => {
  it("refuses a send buffer too small for the largest response", () => {
    const server = new NtpServer(testPolicy(), new TestClock());
    expect(() => server.handle(CLIENT, RECEIVE_TIME, request(), Buffer.alloc(100), 0)).toThrow(RangeError);
  });

  it("applies a new policy to the next packet", () => {
    const harness = new ServerHarness();
    expect(harness.send(request()).action).toBe("respond");
    harness.server.updatePolicy(testPolicy({ access: () => ({ level: "none", kod: false }) }));
    expect(harness.send(request())).toEqual({ action: "ignore", reason: "access-denied" });
  });
});

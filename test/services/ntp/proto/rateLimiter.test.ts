import { describe, expect, it } from "vitest";
import { refIdFromAscii } from "../../../../src/services/ntp/proto/kissCode.js";
import { decodePacket } from "../../../../src/services/ntp/proto/packet.js";
import { ClientRateLimiter } from "../../../../src/services/ntp/proto/rateLimiter.js";
import type { RateLimitSettings } from "../../../../src/services/ntp/proto/serverPolicy.js";
import {
  CLIENT_TRANSMIT,
  KEYS,
  keyMap,
  patternRandom,
  request,
  ServerHarness,
  signedRequest,
  TestClock,
  testPolicy,
} from "./serverTestKit.js";

/** The config layer's defaults, modelled on NTPsec: one request per 8 s, burst 16, leak 1 in 2. */
const LIMIT: RateLimitSettings = { intervalLog2: 3, burst: 16, leakLog2: 1 };
const ALWAYS_KOD = patternRandom(0x00);
const NEVER_KOD = patternRandom(0xff);

describe("token bucket (chrony `ratelimit`, NTPsec `limit`)", () => {
  it("passes a burst, then limits", () => {
    const limiter = new ClientRateLimiter({ randomBytes: NEVER_KOD });
    const verdicts = Array.from({ length: 18 }, () => limiter.checkTime("192.0.2.1", 100, LIMIT));
    expect(verdicts.slice(0, 16)).toEqual(Array(16).fill("pass"));
    expect(verdicts.slice(16)).toEqual(["drop", "drop"]);
  });

  it("refills one token per 2^interval seconds, up to the burst", () => {
    const limiter = new ClientRateLimiter({ randomBytes: NEVER_KOD });
    for (let i = 0; i < 16; i++) limiter.checkTime("a", 100, LIMIT);
    expect(limiter.checkTime("a", 107.9, LIMIT)).toBe("drop");
    expect(limiter.checkTime("a", 108.1, LIMIT)).toBe("pass");
    expect(limiter.checkTime("a", 108.2, LIMIT)).toBe("drop");
    // A long pause refills the whole burst, and no more.
    const passed = Array.from({ length: 20 }, () => limiter.checkTime("a", 10_000, LIMIT)).filter(
      (verdict) => verdict === "pass",
    );
    expect(passed.length).toBe(16);
  });

  it("a client polling at the limit interval is never limited", () => {
    const limiter = new ClientRateLimiter({ randomBytes: NEVER_KOD });
    for (let i = 0; i < 1000; i++) expect(limiter.checkTime("a", 100 + 8 * i, LIMIT)).toBe("pass");
  });

  it("time going backwards refills nothing", () => {
    const limiter = new ClientRateLimiter({ randomBytes: NEVER_KOD });
    for (let i = 0; i < 16; i++) limiter.checkTime("a", 100, LIMIT);
    expect(limiter.checkTime("a", 50, LIMIT)).toBe("drop");
    expect(limiter.checkTime("a", 100, LIMIT)).toBe("drop");
  });

  it("keeps clients apart", () => {
    const limiter = new ClientRateLimiter({ randomBytes: NEVER_KOD });
    for (let i = 0; i < 16; i++) limiter.checkTime("a", 100, LIMIT);
    expect(limiter.checkTime("a", 100, LIMIT)).toBe("drop");
    expect(limiter.checkTime("b", 100, LIMIT)).toBe("pass");
  });
});

describe("leak: one limited request in 2^leak gets a RATE kiss-o'-death", () => {
  it("follows the random source", () => {
    const always = new ClientRateLimiter({ randomBytes: ALWAYS_KOD });
    const never = new ClientRateLimiter({ randomBytes: NEVER_KOD });
    for (let i = 0; i < 16; i++) {
      always.checkTime("a", 0, LIMIT);
      never.checkTime("a", 0, LIMIT);
    }
    expect(always.checkTime("a", 0, LIMIT)).toBe("kod");
    expect(never.checkTime("a", 0, LIMIT)).toBe("drop");
    expect(never.checkTime("a", 0, { ...LIMIT, leakLog2: 0 })).toBe("kod");
  });

  it("averages 1 in 2^leak with real randomness", () => {
    const limiter = new ClientRateLimiter();
    const settings = { ...LIMIT, leakLog2: 2 };
    let kods = 0;
    const limited = 8000;
    for (let i = 0; i < 16; i++) limiter.checkTime("a", 0, settings);
    for (let i = 0; i < limited; i++) if (limiter.checkTime("a", 0, settings) === "kod") kods++;
    expect(kods / limited).toBeGreaterThan(0.2);
    expect(kods / limited).toBeLessThan(0.3);
  });
});

describe("memory is bounded by construction", () => {
  it("holds at most its capacity whatever the number of clients (10^6 distinct)", () => {
    const limiter = new ClientRateLimiter();
    const clients = 1_000_000;
    for (let i = 0; i < clients; i++) {
      const address = `10.${(i >>> 16) & 0xff}.${(i >>> 8) & 0xff}.${i & 0xff}`;
      limiter.checkTime(address, i / 1000, LIMIT);
    }
    const stats = limiter.stats();
    expect(stats.capacity).toBe(65536);
    expect(stats.occupied).toBe(65536);
    expect(stats.evictions).toBe(clients - 65536);
    // A newcomer still gets its full burst: eviction never limits the wrong client.
    for (let i = 0; i < 16; i++) expect(limiter.checkTime("203.0.113.7", 2000, LIMIT)).toBe("pass");
  });

  it("recycles the least recently seen record of a full set", () => {
    const limiter = new ClientRateLimiter({ tableSizeLog2: 2, randomBytes: NEVER_KOD });
    // One set of four records: drain "a", touch three others, then a fifth evicts the oldest.
    for (let i = 0; i < 16; i++) limiter.checkTime("a", 1, LIMIT);
    for (const [i, address] of ["b", "c", "d"].entries()) limiter.checkTime(address, 2 + i, LIMIT);
    limiter.checkTime("a", 5, LIMIT);
    limiter.checkTime("e", 6, LIMIT);
    expect(limiter.stats()).toEqual({ capacity: 4, occupied: 4, evictions: 1 });
    expect(limiter.checkTime("a", 6, LIMIT)).toBe("drop"); // "a" survived: "b" was the oldest
  });

  it("allocates nothing until first used", () => {
    expect(new ClientRateLimiter().stats()).toEqual({ capacity: 65536, occupied: 0, evictions: 0 });
    expect(() => new ClientRateLimiter({ tableSizeLog2: 40 })).toThrow(RangeError);
  });
});

describe("rate limiting in the server", () => {
  const policy = testPolicy({ rateLimit: LIMIT, keys: keyMap(KEYS.md5) });

  it("answers the burst, then sends RATE to the leaked ones and drops the rest", () => {
    const clock = new TestClock();
    const harness = new ServerHarness(policy, clock, { randomBytes: ALWAYS_KOD });
    const reasons = Array.from({ length: 17 }, () => harness.send(request()).reason);
    expect(reasons.slice(0, 16)).toEqual(Array(16).fill("server"));
    expect(reasons[16]).toBe("kod-rate");
    const decoded = decodePacket(harness.out.subarray(0, 48));
    if (!decoded.ok) throw new Error(decoded.reason);
    expect(decoded.packet).toMatchObject({
      leap: 3,
      stratum: 0,
      referenceId: refIdFromAscii("RATE"),
      pollLog2: 6,
      originTimestamp: CLIENT_TRANSMIT,
      transmitTimestamp: CLIENT_TRANSMIT,
    });
    expect(clock.nowCalls).toBe(16);
    const dropping = new ServerHarness(policy, new TestClock(), { randomBytes: NEVER_KOD });
    for (let i = 0; i < 16; i++) dropping.send(request());
    expect(dropping.send(request())).toEqual({ action: "ignore", reason: "rate-limited" });
    expect(harness.server.stats.snapshot()).toMatchObject({ rateLimited: 1, kodSent: { RATE: 1 } });
  });

  it("raises the poll exponent of answers to the limit interval", () => {
    const harness = new ServerHarness({ ...policy, rateLimit: { ...LIMIT, intervalLog2: 7 } });
    expect(harness.exchange(request({ pollLog2: 6 })).packet.pollLog2).toBe(7);
  });

  it("signs the RATE answer to an authenticated client", () => {
    const harness = new ServerHarness(policy, new TestClock(), { randomBytes: ALWAYS_KOD });
    for (let i = 0; i < 16; i++) harness.send(signedRequest(KEYS.md5));
    expect(harness.send(signedRequest(KEYS.md5))).toMatchObject({ reason: "kod-rate", authenticated: true });
  });

  it("never answers a limited request with a crypto-NAK or a DENY", () => {
    const h = new ServerHarness(policy, new TestClock(), { randomBytes: ALWAYS_KOD });
    for (let i = 0; i < 16; i++) h.send(signedRequest(KEYS.md5));
    expect(h.send(signedRequest(KEYS.sha1))).toEqual({ action: "ignore", reason: "rate-limited" });
    const deny = new ServerHarness(
      { ...policy, access: () => ({ level: "none", kod: true }) },
      new TestClock(),
      { randomBytes: ALWAYS_KOD },
    );
    const reasons = Array.from({ length: 18 }, () => deny.send(request()).reason);
    expect(reasons.filter((r) => r === "kod-deny").length).toBe(16);
    expect(reasons.slice(16)).toEqual(["rate-limited", "rate-limited"]);
  });

  it("is off without a rate limit", () => {
    const harness = new ServerHarness(testPolicy());
    for (let i = 0; i < 100; i++) expect(harness.send(request()).reason).toBe("server");
    expect(harness.server.stats.snapshot().rateLimiter.occupied).toBe(0);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addSeconds,
  formatTimestampHex,
  fromUnixNs,
  fromUnixParts,
  fromUnixSeconds,
  isZeroTimestamp,
  NTP_UNIX_EPOCH_OFFSET_SECONDS,
  ntpShortToSeconds,
  readTimestamp,
  secondsToNtpShort,
  timestampDiffSeconds,
  toUnixNs,
  toUnixNsNearest,
  toUnixSecondsNearest,
  writeTimestamp,
  ZERO_TIMESTAMP,
} from "../../../../src/services/ntp/proto/ntpTimestamp.js";

const NS = 1_000_000_000n;
const unixNsOf = (iso: string): bigint => BigInt(Date.parse(iso)) * 1_000_000n;

/** 2036-02-07T06:28:16Z, the first instant of NTP era 1 (RFC 5905 §6). */
const ERA_1_START = unixNsOf("2036-02-07T06:28:16Z");

describe("epoch and era anchors (RFC 5905 §6)", () => {
  it("puts the Unix epoch at 2 208 988 800 NTP seconds", () => {
    expect(fromUnixNs(0n)).toEqual({ seconds: 2_208_988_800, fraction: 0 });
    expect(toUnixNs({ seconds: NTP_UNIX_EPOCH_OFFSET_SECONDS, fraction: 0 })).toBe(0n);
  });

  it("maps 1900-01-01T00:00:00Z to the zero timestamp in era 0", () => {
    expect(fromUnixNs(unixNsOf("1900-01-01T00:00:00Z"))).toEqual(ZERO_TIMESTAMP);
    expect(toUnixNs(ZERO_TIMESTAMP, 0)).toBe(unixNsOf("1900-01-01T00:00:00Z"));
  });

  it("wraps to seconds 0 at 2036-02-07T06:28:16Z", () => {
    expect(fromUnixNs(ERA_1_START)).toEqual({ seconds: 0, fraction: 0 });
    expect(toUnixNs({ seconds: 0, fraction: 0 }, 1)).toBe(ERA_1_START);
  });

  it("has the last era-0 nanosecond at 0xFFFFFFFF.FFFFFFFC", () => {
    expect(fromUnixNs(ERA_1_START - 1n)).toEqual({ seconds: 0xffff_ffff, fraction: 0xffff_fffc });
  });

  it("handles instants before 1970 (negative Unix time)", () => {
    const ts = fromUnixNs(-1n);
    expect(ts).toEqual({ seconds: NTP_UNIX_EPOCH_OFFSET_SECONDS - 1, fraction: 0xffff_fffc });
    expect(toUnixNs(ts)).toBe(-1n);
  });
});

describe("toUnixNsNearest picks the era closest to the reference", () => {
  it("reads seconds 0 as 2036 for a clock in 1990 or 2036, and as 1900 for a clock in 1950", () => {
    expect(toUnixNsNearest(ZERO_TIMESTAMP, unixNsOf("2036-01-01T00:00:00Z"))).toBe(ERA_1_START);
    expect(toUnixNsNearest(ZERO_TIMESTAMP, unixNsOf("1990-01-01T00:00:00Z"))).toBe(ERA_1_START);
    expect(toUnixNsNearest(ZERO_TIMESTAMP, unixNsOf("1950-01-01T00:00:00Z"))).toBe(
      unixNsOf("1900-01-01T00:00:00Z"),
    );
  });

  it("reads a late era-0 timestamp as 2036 even when the clock has passed the rollover", () => {
    const lastSecond = { seconds: 0xffff_ffff, fraction: 0 };
    expect(toUnixNsNearest(lastSecond, unixNsOf("2036-03-01T00:00:00Z"))).toBe(ERA_1_START - NS);
  });

  it("reads an early era-1 timestamp as after the rollover when the clock has not passed it", () => {
    const firstSecond = { seconds: 1, fraction: 0 };
    expect(toUnixNsNearest(firstSecond, unixNsOf("2036-01-01T00:00:00Z"))).toBe(ERA_1_START + NS);
  });

  it("round-trips any instant 1900..2172 through a reference within ±68 years", () => {
    const oldest = unixNsOf("1900-01-01T00:00:00Z");
    const newest = unixNsOf("2172-01-01T00:00:00Z");
    const sixtyEightYearsNs = 68n * 365n * 86_400n * NS;
    fc.assert(
      fc.property(
        fc.bigInt({ min: oldest, max: newest }),
        fc.bigInt({ min: -sixtyEightYearsNs, max: sixtyEightYearsNs }),
        (unixNs, skew) => {
          expect(toUnixNsNearest(fromUnixNs(unixNs), unixNs + skew)).toBe(unixNs);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("nanosecond resolution", () => {
  it("round-trips every era-0 nanosecond exactly (2^-32 s < 1 ns)", () => {
    const lastEra0Second = Number(ERA_1_START / NS) - 1;
    fc.assert(
      fc.property(
        fc.integer({ min: -NTP_UNIX_EPOCH_OFFSET_SECONDS, max: lastEra0Second }),
        fc.integer({ min: 0, max: 999_999_999 }),
        (s, ns) => {
          const unixNs = BigInt(s) * NS + BigInt(ns);
          expect(toUnixNs(fromUnixNs(unixNs))).toBe(unixNs);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("rounds the fraction to nearest", () => {
    expect(fromUnixParts(0, 500_000_000).fraction).toBe(0x8000_0000);
    expect(fromUnixParts(0, 1).fraction).toBe(4); // 4.295 -> 4
    expect(fromUnixParts(0, 250_000_000).fraction).toBe(0x4000_0000);
  });

  it("agrees between the BigInt and the split-parts entry points", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 }), fc.integer({ min: 0, max: 999_999_999 }), (s, ns) => {
        expect(fromUnixNs(BigInt(s) * NS + BigInt(ns))).toEqual(fromUnixParts(s, ns));
      }),
    );
  });
});

describe("IOS `show ntp associations detail` samples (ios-cli.md)", () => {
  it("renders upper-case hex with a dot", () => {
    expect(formatTimestampHex({ seconds: 0xdbab02d6, fraction: 0x9e354130 })).toBe("DBAB02D6.9E354130");
    expect(formatTimestampHex(ZERO_TIMESTAMP)).toBe("00000000.00000000");
    expect(formatTimestampHex({ seconds: 1, fraction: 0xa })).toBe("00000001.0000000A");
  });

  it("DFA02517.D2F7B9F6 is 13:40:23.824 EST Wed Nov 21 2018", () => {
    const unixNs = toUnixNsNearest(
      { seconds: 0xdfa02517, fraction: 0xd2f7b9f6 },
      unixNsOf("2026-01-01T00:00:00Z"),
    );
    expect(new Date(Number(unixNs / 1_000_000n)).toISOString()).toBe("2018-11-21T18:40:23.824Z");
  });
});

describe("float seconds", () => {
  it("converts Unix float seconds both ways within double resolution", () => {
    const unixSeconds = 1_700_000_000.25;
    const ts = fromUnixSeconds(unixSeconds);
    expect(ts).toEqual({ seconds: 1_700_000_000 + NTP_UNIX_EPOCH_OFFSET_SECONDS, fraction: 0x4000_0000 });
    expect(toUnixSecondsNearest(ts, 1_700_000_000)).toBe(unixSeconds);
  });

  it("takes differences modulo the era, signed (RFC 5905 §6)", () => {
    const beforeRollover = { seconds: 0xffff_ffff, fraction: 0x8000_0000 };
    const afterRollover = { seconds: 0, fraction: 0x4000_0000 };
    expect(timestampDiffSeconds(afterRollover, beforeRollover)).toBe(0.75);
    expect(timestampDiffSeconds(beforeRollover, afterRollover)).toBe(-0.75);
  });

  it("adds seconds with carry and era wrap", () => {
    expect(addSeconds({ seconds: 0xffff_ffff, fraction: 0xc000_0000 }, 0.5)).toEqual({
      seconds: 0,
      fraction: 0x4000_0000,
    });
    expect(addSeconds({ seconds: 10, fraction: 0 }, -0.25)).toEqual({ seconds: 9, fraction: 0xc000_0000 });
  });
});

describe("NTP short format (root delay, root dispersion)", () => {
  it("converts 16.16 fixed point", () => {
    expect(ntpShortToSeconds(0x0001_0000)).toBe(1);
    expect(ntpShortToSeconds(0x0000_8000)).toBe(0.5);
    expect(secondsToNtpShort(1.5)).toBe(0x0001_8000);
  });

  it("rounds up so an error bound is never understated", () => {
    expect(secondsToNtpShort(1 / 65536 / 3)).toBe(1);
    expect(ntpShortToSeconds(secondsToNtpShort(0.0123))).toBeGreaterThanOrEqual(0.0123);
  });

  it("saturates large, unknown and negative values", () => {
    expect(secondsToNtpShort(1e9)).toBe(0xffff_ffff);
    expect(secondsToNtpShort(Number.NaN)).toBe(0xffff_ffff);
    expect(secondsToNtpShort(-1)).toBe(0);
  });
});

describe("wire form", () => {
  it("reads and writes 8 big-endian octets", () => {
    const bytes = Buffer.alloc(10);
    writeTimestamp(bytes, 1, { seconds: 0xdbab02d6, fraction: 0x9e354130 });
    expect(bytes.toString("hex")).toBe("00dbab02d69e35413000");
    expect(readTimestamp(bytes, 1)).toEqual({ seconds: 0xdbab02d6, fraction: 0x9e354130 });
  });

  it("recognises the zero timestamp", () => {
    expect(isZeroTimestamp(ZERO_TIMESTAMP)).toBe(true);
    expect(isZeroTimestamp({ seconds: 0, fraction: 1 })).toBe(false);
  });
});

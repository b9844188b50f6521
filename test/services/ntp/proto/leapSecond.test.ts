import { describe, expect, it } from "vitest";
import { leapSecondInstant } from "../../../../src/services/ntp/proto/leapSecond.js";
import { fromUnixSeconds, timestampDiffSeconds } from "../../../../src/services/ntp/proto/ntpTimestamp.js";

describe("when a leap second takes effect", () => {
  it("is midnight UTC at the end of a month", () => {
    const now = fromUnixSeconds(Date.UTC(2016, 11, 31, 21, 0, 0) / 1000);
    const at = leapSecondInstant(now);
    expect(at).toEqual(fromUnixSeconds(Date.UTC(2017, 0, 1) / 1000));
    expect(timestampDiffSeconds(at!, now)).toBe(3 * 3600);
  });

  it("is never in the middle of a month (servers announce it for the whole month)", () => {
    expect(leapSecondInstant(fromUnixSeconds(Date.UTC(2016, 11, 15, 12) / 1000))).toBeUndefined();
  });

  it("works past the 2036 NTP era rollover", () => {
    const now = fromUnixSeconds(Date.UTC(2040, 5, 30, 23, 0, 0) / 1000);
    expect(timestampDiffSeconds(leapSecondInstant(now)!, now)).toBe(3600);
  });
});

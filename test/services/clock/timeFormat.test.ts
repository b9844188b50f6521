import { describe, expect, it } from "vitest";
import {
  type DatetimeTimestampOptions,
  formatCalendar,
  formatClockUpdate,
  formatLogTimestamp,
  formatNtpDetailTime,
  formatShowClock,
  formatSummerTransition,
  formatUptimeLong,
  formatUptimeShort,
  monthAbbrev,
  parseMonth,
  parseWeekday,
  weekdayAbbrev,
} from "../../../src/services/clock/timeFormat.js";
import {
  summerTransitionsForYear,
  US_SUMMER_RULE,
  type ZoneSpec,
} from "../../../src/services/clock/timeZone.js";

const SUN = 0;
const UTC_SPEC: ZoneSpec = {};
const JST: ZoneSpec = { zone: { name: "JST", hoursOffset: 9, minutesOffset: 0 } };
const EST: ZoneSpec = { zone: { name: "EST", hoursOffset: -5, minutesOffset: 0 } };
const CEST: ZoneSpec = {
  zone: { name: "CET", hoursOffset: 1, minutesOffset: 0 },
  summer: {
    kind: "recurring",
    name: "CEST",
    start: { week: "last", weekday: SUN, month: 2, hour: 2, minute: 0 },
    end: { week: "last", weekday: SUN, month: 9, hour: 3, minute: 0 },
    offsetMinutes: 60,
  },
};

/** NTP era-0 seconds to Unix milliseconds (RFC 5905 §6: 2 208 988 800 s between 1900 and 1970). */
const ntpToUnixMs = (ntpSeconds: number, fraction: number): number =>
  (ntpSeconds - 2_208_988_800) * 1000 + Math.floor((fraction / 2 ** 32) * 1000);

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

describe("show clock (ios-cli.md §2.5)", () => {
  const at = Date.UTC(2015, 9, 19, 18, 57, 38, 347);

  it("renders the three flags", () => {
    expect(formatShowClock(at, 0, UTC_SPEC, "*")).toBe("*18:57:38.347 UTC Mon Oct 19 2015");
    expect(formatShowClock(at, 0, UTC_SPEC, ".")).toBe(".18:57:38.347 UTC Mon Oct 19 2015");
    expect(formatShowClock(at, 0, UTC_SPEC, "")).toBe("18:57:38.347 UTC Mon Oct 19 2015");
  });

  it("renders a configured zone", () => {
    expect(formatShowClock(Date.UTC(2016, 9, 17, 23, 56, 4, 554), 0, EST, "")).toBe(
      "18:56:04.554 EST Mon Oct 17 2016",
    );
    expect(formatShowClock(Date.UTC(2026, 8, 13, 9, 18, 35, 594), 0, UTC_SPEC, "*")).toBe(
      "*09:18:35.594 UTC Sun Sep 13 2026",
    );
  });

  it("does not pad the day of the month", () => {
    expect(formatShowClock(Date.UTC(2025, 7, 7, 1, 2, 3, 4), 0, UTC_SPEC, "")).toBe(
      "01:02:03.004 UTC Thu Aug 7 2025",
    );
  });

  it("uses the summer-time zone name in summer", () => {
    expect(formatShowClock(Date.UTC(2026, 6, 1, 10, 0, 0, 0), 0, CEST, "")).toBe(
      "12:00:00.000 CEST Wed Jul 1 2026",
    );
    expect(formatShowClock(Date.UTC(2026, 0, 1, 10, 0, 0, 0), 0, CEST, "")).toBe(
      "11:00:00.000 CET Thu Jan 1 2026",
    );
  });

  it("truncates sub-milliseconds and carries whole ones", () => {
    expect(formatShowClock(at, 0.9999, UTC_SPEC, "")).toBe("18:57:38.347 UTC Mon Oct 19 2015");
    expect(formatShowClock(at, 1.5, UTC_SPEC, "")).toBe("18:57:38.348 UTC Mon Oct 19 2015");
    expect(formatShowClock(at + 0.75, 0.5, UTC_SPEC, "")).toBe("18:57:38.348 UTC Mon Oct 19 2015");
  });

  it("crosses midnight into the local date", () => {
    expect(formatShowClock(Date.UTC(2026, 11, 31, 20, 0, 0, 0), 0, JST, "")).toBe(
      "05:00:00.000 JST Fri Jan 1 2027",
    );
  });
});

describe("NTP detail times (ios-cli.md §2.2, §2.3)", () => {
  // The Genie fixture's box had `clock timezone EST 9 0`: era zero reads 09:00 EST.
  const estPlusNine: ZoneSpec = { zone: { name: "EST", hoursOffset: 9, minutesOffset: 0 } };

  it("reproduces show ntp associations detail", () => {
    expect(formatNtpDetailTime(ntpToUnixMs(0xdbab02d6, 0x9e354130), estPlusNine)).toBe(
      "16:08:06.618 EST Fri Oct 14 2016",
    );
    expect(formatNtpDetailTime(ntpToUnixMs(0xdbab046d, 0xa8b43b28), estPlusNine)).toBe(
      "16:14:53.659 EST Fri Oct 14 2016",
    );
    expect(formatNtpDetailTime(ntpToUnixMs(0, 0), estPlusNine)).toBe("09:00:00.000 EST Mon Jan 1 1900");
  });

  it("reproduces show ntp status reference times", () => {
    expect(formatNtpDetailTime(ntpToUnixMs(0xdfa02517, 0xd2f7b9f6), EST)).toBe(
      "13:40:23.824 EST Wed Nov 21 2018",
    );
    expect(formatNtpDetailTime(ntpToUnixMs(0, 0), UTC_SPEC)).toBe("00:00:00.000 UTC Mon Jan 1 1900");
  });
});

describe("show calendar and CLOCKUPDATE (ios-cli.md §2.5, §2.8)", () => {
  it("renders show calendar without msec or flag", () => {
    expect(formatCalendar(Date.UTC(2026, 1, 23, 22, 17, 34, 999), UTC_SPEC)).toBe(
      "22:17:34 UTC Mon Feb 23 2026",
    );
  });

  it("renders the clock set message times", () => {
    expect(formatClockUpdate(Date.UTC(2022, 5, 2, 14, 23, 40, 500), UTC_SPEC)).toBe(
      "14:23:40 UTC Thu Jun 2 2022",
    );
    expect(formatClockUpdate(Date.UTC(2022, 5, 2, 14, 22, 0), UTC_SPEC)).toBe("14:22:00 UTC Thu Jun 2 2022");
    expect(formatClockUpdate(Date.UTC(2007, 2, 30, 17, 6, 3), UTC_SPEC)).toBe("17:06:03 UTC Fri Mar 30 2007");
  });

  it("renders a clock timezone change", () => {
    const at = Date.UTC(2025, 9, 18, 6, 33, 43);
    const msk: ZoneSpec = { zone: { name: "MSK", hoursOffset: 3, minutesOffset: 0 } };
    expect(formatClockUpdate(at, UTC_SPEC)).toBe("06:33:43 UTC Sat Oct 18 2025");
    expect(formatClockUpdate(at, msk)).toBe("09:33:43 MSK Sat Oct 18 2025");
  });
});

describe("show clock detail summer-time lines (ios-cli.md §2.5)", () => {
  it("renders the start in the standard zone and the end in the summer zone", () => {
    const spec: ZoneSpec = {
      zone: { name: "UTC/GMT", hoursOffset: 0, minutesOffset: 0 },
      summer: {
        kind: "recurring",
        name: "CEST",
        start: { week: "last", weekday: SUN, month: 2, hour: 2, minute: 0 },
        end: { week: "last", weekday: SUN, month: 9, hour: 2, minute: 0 },
        offsetMinutes: 60,
      },
    };
    const transitions = summerTransitionsForYear(spec, 2008);
    expect(transitions).toBeDefined();
    if (transitions === undefined) return;
    expect(formatSummerTransition(transitions.startUtcMs, spec, "start")).toBe(
      "02:00:00 UTC/GMT Sun Mar 30 2008",
    );
    expect(formatSummerTransition(transitions.endUtcMs, spec, "end")).toBe("02:00:00 CEST Sun Oct 26 2008");
  });

  it("renders the US rule transitions as configured wall-clock times", () => {
    const cdt: ZoneSpec = {
      zone: { name: "CST", hoursOffset: -6, minutesOffset: 0 },
      summer: { kind: "recurring", name: "CDT", ...US_SUMMER_RULE, offsetMinutes: 60 },
    };
    const transitions = summerTransitionsForYear(cdt, 2026);
    if (transitions === undefined) throw new Error("expected transitions");
    expect(formatSummerTransition(transitions.startUtcMs, cdt, "start")).toBe("02:00:00 CST Sun Mar 8 2026");
    expect(formatSummerTransition(transitions.endUtcMs, cdt, "end")).toBe("02:00:00 CDT Sun Nov 1 2026");
  });
});

describe("service timestamps (ios-cli.md §2.7, clock timezone JST 9 0)", () => {
  const base: Omit<DatetimeTimestampOptions, "kind"> = {
    msec: false,
    localtime: false,
    showTimezone: false,
    year: false,
    spec: JST,
  };
  const datetime = (utcMs: number, overrides: Partial<Omit<DatetimeTimestampOptions, "kind">>): string =>
    formatLogTimestamp(utcMs, { kind: "datetime", ...base, ...overrides });

  it("datetime msec (default)", () => {
    expect(datetime(Date.UTC(2026, 8, 13, 9, 18, 36, 198), { msec: true })).toBe("Sep 13 09:18:36.198");
  });

  it("datetime", () => {
    expect(datetime(Date.UTC(2026, 8, 13, 9, 18, 37, 412), {})).toBe("Sep 13 09:18:37");
  });

  it("datetime msec localtime show-timezone", () => {
    expect(
      datetime(Date.UTC(2026, 8, 13, 9, 18, 40, 962), { msec: true, localtime: true, showTimezone: true }),
    ).toBe("Sep 13 18:18:40.962 JST");
  });

  it("datetime year", () => {
    expect(datetime(Date.UTC(2026, 8, 13, 9, 18, 42), { year: true })).toBe("Sep 13 2026 09:18:42");
  });

  it("datetime localtime", () => {
    expect(datetime(Date.UTC(2026, 8, 13, 9, 18, 44), { localtime: true })).toBe("Sep 13 18:18:44");
  });

  it("show-timezone without localtime prints UTC", () => {
    expect(datetime(Date.UTC(2026, 8, 13, 9, 18, 44), { showTimezone: true })).toBe("Sep 13 09:18:44 UTC");
  });

  it("space-pads the day and combines every option", () => {
    expect(
      formatLogTimestamp(Date.UTC(1993, 2, 1, 0, 1, 23, 456), {
        kind: "datetime",
        msec: true,
        localtime: true,
        showTimezone: true,
        year: true,
      }),
    ).toBe("Mar  1 1993 00:01:23.456 UTC");
    expect(datetime(Date.UTC(2026, 11, 2, 12, 9, 21, 207), { msec: true })).toBe("Dec  2 12:09:21.207");
  });

  it("localtime follows summer time", () => {
    expect(
      formatLogTimestamp(Date.UTC(2026, 6, 1, 10, 0, 0, 5), {
        kind: "datetime",
        msec: true,
        localtime: true,
        showTimezone: true,
        year: false,
        spec: CEST,
      }),
    ).toBe("Jul  1 12:00:00.005 CEST");
  });

  it("uptime", () => {
    expect(formatLogTimestamp(0, { kind: "uptime", uptimeMs: 4 * MINUTE + 18 * SECOND })).toBe("00:04:18");
    expect(formatLogTimestamp(0, { kind: "uptime", uptimeMs: DAY + 2 * HOUR })).toBe("1d02h");
    expect(formatLogTimestamp(0, { kind: "uptime", uptimeMs: 2 * WEEK + 3 * DAY })).toBe("2w3d");
  });
});

describe("uptime, compact form", () => {
  it("is HH:MM:SS under a day", () => {
    expect(formatUptimeShort(0)).toBe("00:00:00");
    expect(formatUptimeShort(999)).toBe("00:00:00");
    expect(formatUptimeShort(DAY - 1)).toBe("23:59:59");
  });

  it("is days and hours under a week", () => {
    expect(formatUptimeShort(DAY)).toBe("1d00h");
    expect(formatUptimeShort(6 * DAY + 23 * HOUR + 59 * MINUTE)).toBe("6d23h");
  });

  it("is weeks and days under a year", () => {
    expect(formatUptimeShort(WEEK)).toBe("1w0d");
    expect(formatUptimeShort(51 * WEEK + 6 * DAY)).toBe("51w6d");
    expect(formatUptimeShort(365 * DAY - 1)).toBe("52w0d");
  });

  it("is years and weeks beyond", () => {
    expect(formatUptimeShort(365 * DAY)).toBe("1y0w");
    expect(formatUptimeShort(365 * DAY + 8 * WEEK + 3 * DAY)).toBe("1y8w");
  });

  it("treats negative input as zero", () => {
    expect(formatUptimeShort(-5)).toBe("00:00:00");
  });
});

describe("uptime, show version form (ios-cli.md §2.12)", () => {
  it("reproduces the IOSv sample", () => {
    expect(formatUptimeLong(DAY + 16 * HOUR + 42 * MINUTE + 59 * SECOND)).toBe("1 day, 16 hours, 42 minutes");
  });

  it("always prints minutes, omits other zero units", () => {
    expect(formatUptimeLong(0)).toBe("0 minutes");
    expect(formatUptimeLong(2 * MINUTE)).toBe("2 minutes");
    expect(formatUptimeLong(HOUR + MINUTE)).toBe("1 hour, 1 minute");
    expect(formatUptimeLong(2 * DAY)).toBe("2 days, 0 minutes");
    expect(formatUptimeLong(WEEK + 2 * HOUR + 12 * MINUTE)).toBe("1 week, 2 hours, 12 minutes");
  });

  it("counts years and weeks", () => {
    expect(formatUptimeLong(365 * DAY + 14 * WEEK + 4 * DAY + 6 * HOUR + 2 * MINUTE)).toBe(
      "1 year, 14 weeks, 4 days, 6 hours, 2 minutes",
    );
    expect(formatUptimeLong(2 * 365 * DAY + 4 * WEEK + 6 * DAY + 21 * HOUR + 33 * MINUTE)).toBe(
      "2 years, 4 weeks, 6 days, 21 hours, 33 minutes",
    );
  });
});

describe("month and weekday names", () => {
  it("abbreviates", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map(monthAbbrev).join(" ")).toBe(
      "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
    );
    expect([0, 1, 2, 3, 4, 5, 6].map(weekdayAbbrev).join(" ")).toBe("Sun Mon Tue Wed Thu Fri Sat");
  });

  it("rejects out-of-range indices as programming errors", () => {
    expect(() => monthAbbrev(12)).toThrow(RangeError);
    expect(() => weekdayAbbrev(-1)).toThrow(RangeError);
    expect(() => monthAbbrev(1.5)).toThrow(RangeError);
  });

  it("parses unique case-insensitive month prefixes", () => {
    expect(parseMonth("feb")).toBe(1);
    expect(parseMonth("sept")).toBe(8);
    expect(parseMonth("August")).toBe(7);
    expect(parseMonth("DEC")).toBe(11);
    expect(parseMonth("may")).toBe(4);
    expect(parseMonth("jun")).toBe(5);
    expect(parseMonth("ju")).toBeUndefined();
    expect(parseMonth("ma")).toBeUndefined();
    expect(parseMonth("")).toBeUndefined();
    expect(parseMonth("octobers")).toBeUndefined();
    expect(parseMonth("xyz")).toBeUndefined();
  });

  it("parses unique case-insensitive weekday prefixes", () => {
    expect(parseWeekday("sun")).toBe(0);
    expect(parseWeekday("Thurs")).toBe(4);
    expect(parseWeekday("tu")).toBe(2);
    expect(parseWeekday("SATURDAY")).toBe(6);
    expect(parseWeekday("s")).toBeUndefined();
    expect(parseWeekday("t")).toBeUndefined();
    expect(parseWeekday("")).toBeUndefined();
  });
});

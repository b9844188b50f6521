import { describe, expect, it } from "vitest";
import type { SummerTimeConfig } from "../../../src/config/clockZone.js";
import {
  localOffsetAt,
  recurringDayOfMonth,
  standardOffsetMinutes,
  summerTransitionsForYear,
  US_SUMMER_RULE,
  type ZoneSpec,
} from "../../../src/services/clock/timeZone.js";

const SUN = 0;
const [JAN, FEB, MAR, APR, , , JUL, , SEP, OCT, NOV, DEC] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] as const;

/** Nvgen: `clock timezone CET 1 0` + `clock summer-time CEST recurring last Sun Mar 2:00 last Sun Oct 3:00`. */
const cest: ZoneSpec = {
  zone: { name: "CET", hoursOffset: 1, minutesOffset: 0 },
  summer: {
    kind: "recurring",
    name: "CEST",
    start: { week: "last", weekday: SUN, month: MAR, hour: 2, minute: 0 },
    end: { week: "last", weekday: SUN, month: OCT, hour: 3, minute: 0 },
    offsetMinutes: 60,
  },
};

/** `clock timezone CST -6 0` + `clock summer-time CDT recurring` (US rules). */
const cdt: ZoneSpec = {
  zone: { name: "CST", hoursOffset: -6, minutesOffset: 0 },
  summer: { kind: "recurring", name: "CDT", ...US_SUMMER_RULE, offsetMinutes: 60 },
};

/** `clock timezone NZST 12 0` + `clock summer-time NZDT recurring last Sun Sep 2:00 1 Sun Apr 3:00`. */
const nzdt: ZoneSpec = {
  zone: { name: "NZST", hoursOffset: 12, minutesOffset: 0 },
  summer: {
    kind: "recurring",
    name: "NZDT",
    start: { week: "last", weekday: SUN, month: SEP, hour: 2, minute: 0 },
    end: { week: 1, weekday: SUN, month: APR, hour: 3, minute: 0 },
    offsetMinutes: 60,
  },
};

const utc = (y: number, mo: number, d: number, h = 0, mi = 0): number => Date.UTC(y, mo, d, h, mi);

describe("standard offset (clock timezone)", () => {
  it("is UTC with no zone configured", () => {
    expect(localOffsetAt({}, utc(2026, JAN, 1))).toEqual({
      offsetMinutes: 0,
      zoneName: "UTC",
      summer: false,
    });
  });

  it("applies hours and minutes, minutes taking the sign of the hours", () => {
    expect(standardOffsetMinutes({ name: "JST", hoursOffset: 9, minutesOffset: 0 })).toBe(540);
    expect(standardOffsetMinutes({ name: "IST", hoursOffset: 5, minutesOffset: 30 })).toBe(330);
    expect(standardOffsetMinutes({ name: "NST", hoursOffset: -3, minutesOffset: 30 })).toBe(-210);
    expect(standardOffsetMinutes({ name: "X", hoursOffset: -0, minutesOffset: 30 })).toBe(-30);
    expect(standardOffsetMinutes({ name: "X", hoursOffset: 0, minutesOffset: 30 })).toBe(30);
  });

  it("names the configured zone outside summer time", () => {
    expect(localOffsetAt(cest, utc(2026, JAN, 15))).toEqual({
      offsetMinutes: 60,
      zoneName: "CET",
      summer: false,
    });
  });
});

describe("recurring summer time, northern hemisphere", () => {
  it("CEST 2026 starts 2026-03-29 01:00 UTC and ends 2026-10-25 01:00 UTC", () => {
    expect(summerTransitionsForYear(cest, 2026)).toEqual({
      startUtcMs: utc(2026, MAR, 29, 1),
      endUtcMs: utc(2026, OCT, 25, 1),
    });
  });

  it("switches exactly at the transitions", () => {
    const start = utc(2026, MAR, 29, 1);
    const end = utc(2026, OCT, 25, 1);
    expect(localOffsetAt(cest, start - 1).summer).toBe(false);
    expect(localOffsetAt(cest, start)).toEqual({ offsetMinutes: 120, zoneName: "CEST", summer: true });
    expect(localOffsetAt(cest, end - 1)).toEqual({ offsetMinutes: 120, zoneName: "CEST", summer: true });
    expect(localOffsetAt(cest, end)).toEqual({ offsetMinutes: 60, zoneName: "CET", summer: false });
  });

  it("US rule CDT 2026 starts 2026-03-08 08:00 UTC and ends 2026-11-01 07:00 UTC", () => {
    const transitions = summerTransitionsForYear(cdt, 2026);
    expect(transitions).toEqual({ startUtcMs: utc(2026, MAR, 8, 8), endUtcMs: utc(2026, NOV, 1, 7) });
    expect(localOffsetAt(cdt, utc(2026, MAR, 8, 8) - 1).offsetMinutes).toBe(-360);
    expect(localOffsetAt(cdt, utc(2026, MAR, 8, 8)).offsetMinutes).toBe(-300);
    expect(localOffsetAt(cdt, utc(2026, NOV, 1, 7) - 1).zoneName).toBe("CDT");
    expect(localOffsetAt(cdt, utc(2026, NOV, 1, 7)).zoneName).toBe("CST");
  });

  it("US rule is 2nd Sunday of March to 1st Sunday of November at 2:00", () => {
    expect(US_SUMMER_RULE).toEqual({
      start: { week: 2, weekday: SUN, month: MAR, hour: 2, minute: 0 },
      end: { week: 1, weekday: SUN, month: NOV, hour: 2, minute: 0 },
    });
  });

  it("applies summer time with no clock timezone (standard zone UTC)", () => {
    const spec: ZoneSpec = cest.summer === undefined ? {} : { summer: cest.summer };
    expect(localOffsetAt(spec, utc(2026, JUL, 1))).toEqual({
      offsetMinutes: 60,
      zoneName: "CEST",
      summer: true,
    });
    expect(localOffsetAt(spec, utc(2026, DEC, 1))).toEqual({
      offsetMinutes: 0,
      zoneName: "UTC",
      summer: false,
    });
    // Start 02:00 UTC standard, end 03:00 local summer = 02:00 UTC.
    expect(summerTransitionsForYear(spec, 2026)).toEqual({
      startUtcMs: utc(2026, MAR, 29, 2),
      endUtcMs: utc(2026, OCT, 25, 2),
    });
  });

  it("honours a non-default summer offset", () => {
    const spec: ZoneSpec = {
      zone: { name: "LHST", hoursOffset: 10, minutesOffset: 30 },
      summer: {
        kind: "recurring",
        name: "LHDT",
        start: { week: 1, weekday: SUN, month: OCT, hour: 2, minute: 0 },
        end: { week: 1, weekday: SUN, month: APR, hour: 2, minute: 0 },
        offsetMinutes: 30,
      },
    };
    expect(localOffsetAt(spec, utc(2026, JAN, 10)).offsetMinutes).toBe(660);
    expect(localOffsetAt(spec, utc(2026, JUL, 10)).offsetMinutes).toBe(630);
  });
});

describe("recurring summer time, southern hemisphere (start month after end month)", () => {
  it("NZDT 2026 ends 2026-04-04 14:00 UTC and starts 2026-09-26 14:00 UTC", () => {
    // 1st Sun Apr 2026 = Apr 5, 03:00 NZDT (+13); last Sun Sep 2026 = Sep 27, 02:00 NZST (+12).
    expect(summerTransitionsForYear(nzdt, 2026)).toEqual({
      startUtcMs: utc(2026, SEP, 26, 14),
      endUtcMs: utc(2026, APR, 4, 14),
    });
  });

  it("is in summer time across the year end and in standard time mid-year", () => {
    expect(localOffsetAt(nzdt, utc(2026, JAN, 1))).toEqual({
      offsetMinutes: 780,
      zoneName: "NZDT",
      summer: true,
    });
    expect(localOffsetAt(nzdt, utc(2025, DEC, 31, 23))).toEqual({
      offsetMinutes: 780,
      zoneName: "NZDT",
      summer: true,
    });
    expect(localOffsetAt(nzdt, utc(2026, JUL, 1))).toEqual({
      offsetMinutes: 720,
      zoneName: "NZST",
      summer: false,
    });
  });

  it("switches exactly at the transitions", () => {
    const end = utc(2026, APR, 4, 14);
    const start = utc(2026, SEP, 26, 14);
    expect(localOffsetAt(nzdt, end - 1).summer).toBe(true);
    expect(localOffsetAt(nzdt, end).summer).toBe(false);
    expect(localOffsetAt(nzdt, start - 1).summer).toBe(false);
    expect(localOffsetAt(nzdt, start).summer).toBe(true);
  });
});

describe("recurring week selection", () => {
  const point = (week: number | "last", month: number) => ({ week, weekday: SUN, month, hour: 2, minute: 0 });

  it("picks the Nth occurrence", () => {
    expect(recurringDayOfMonth(point(1, MAR), 2026)).toBe(1);
    expect(recurringDayOfMonth(point(2, MAR), 2026)).toBe(8);
    expect(recurringDayOfMonth(point(4, MAR), 2026)).toBe(22);
  });

  it("week 5 and last are the last occurrence", () => {
    expect(recurringDayOfMonth(point(5, MAR), 2026)).toBe(29);
    expect(recurringDayOfMonth(point("last", MAR), 2026)).toBe(29);
  });

  it("an Nth occurrence the month lacks falls back to the last one", () => {
    // February 2026 has Sundays 1, 8, 15, 22.
    expect(recurringDayOfMonth(point(5, FEB), 2026)).toBe(22);
    expect(recurringDayOfMonth(point("last", FEB), 2026)).toBe(22);
    // February 2032 (leap) starts on a Sunday: 1, 8, 15, 22, 29.
    expect(recurringDayOfMonth(point(5, FEB), 2032)).toBe(29);
  });

  it("finds a weekday other than Sunday", () => {
    // Thanksgiving-style: 4th Thursday of November 2026 is Nov 26.
    expect(recurringDayOfMonth({ week: 4, weekday: 4, month: NOV, hour: 0, minute: 0 }, 2026)).toBe(26);
  });
});

describe("date summer time (one-shot)", () => {
  const summer: SummerTimeConfig = {
    kind: "date",
    name: "CDT",
    start: { year: 2026, month: MAR, day: 8, hour: 2, minute: 0 },
    end: { year: 2026, month: NOV, day: 1, hour: 2, minute: 0 },
    offsetMinutes: 60,
  };
  const spec: ZoneSpec = { zone: { name: "CST", hoursOffset: -6, minutesOffset: 0 }, summer };

  it("starts in local standard time and ends in local summer time", () => {
    expect(summerTransitionsForYear(spec, 2026)).toEqual({
      startUtcMs: utc(2026, MAR, 8, 8),
      endUtcMs: utc(2026, NOV, 1, 7),
    });
    expect(localOffsetAt(spec, utc(2026, MAR, 8, 8) - 1).summer).toBe(false);
    expect(localOffsetAt(spec, utc(2026, MAR, 8, 8)).summer).toBe(true);
    expect(localOffsetAt(spec, utc(2026, NOV, 1, 7) - 1).summer).toBe(true);
    expect(localOffsetAt(spec, utc(2026, NOV, 1, 7)).summer).toBe(false);
  });

  it("does not recur in other years", () => {
    expect(localOffsetAt(spec, utc(2027, JUL, 1)).zoneName).toBe("CST");
    expect(localOffsetAt(spec, utc(2025, JUL, 1)).zoneName).toBe("CST");
    expect(summerTransitionsForYear(spec, 2027)).toEqual(summerTransitionsForYear(spec, 2026));
  });
});

describe("summerTransitionsForYear", () => {
  it("is undefined without summer time", () => {
    expect(summerTransitionsForYear({}, 2026)).toBeUndefined();
    expect(
      summerTransitionsForYear({ zone: { name: "JST", hoursOffset: 9, minutesOffset: 0 } }, 2026),
    ).toBeUndefined();
  });
});

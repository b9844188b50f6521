/**
 * Local time as IOS displays it: `clock timezone` gives the standard offset, `clock summer-time`
 * adds a daylight-saving offset between two transitions (ios-cli.md §1.6). The software clock
 * stays UTC; everything here is a pure function of a UTC instant (milliseconds since the Unix
 * epoch) and the configuration.
 */

import type { DatePoint, RecurringPoint, SummerTimeConfig, TimeZoneConfig } from "../../config/clockZone.js";

/** The display configuration: no zone means UTC, no summer means no daylight saving. */
export interface ZoneSpec {
  readonly zone?: TimeZoneConfig;
  readonly summer?: SummerTimeConfig;
}

/** The offset in force at one instant and the zone name to print with it. */
export interface LocalOffset {
  /** Local time minus UTC, in minutes, summer offset included. */
  readonly offsetMinutes: number;
  /** The standard zone name, or the summer-time zone name while summer time is in force. */
  readonly zoneName: string;
  readonly summer: boolean;
}

/** Summer-time transition instants, UTC milliseconds since the Unix epoch. */
export interface SummerTransitions {
  /** First instant of summer time. */
  readonly startUtcMs: number;
  /** First instant back in standard time. */
  readonly endUtcMs: number;
}

/** Zone name printed when no `clock timezone` is configured (ios-cli.md §2.5). */
export const UTC_ZONE_NAME = "UTC";

/** `clock summer-time … [OFFSET]` default, in minutes (ios-cli.md §1.6). */
export const DEFAULT_SUMMER_OFFSET_MINUTES = 60;

const SUNDAY = 0;
const MARCH = 2;
const NOVEMBER = 10;
const MS_PER_MINUTE = 60_000;
const DAYS_PER_WEEK = 7;

/**
 * The rule `clock summer-time ZONE recurring` uses when typed without arguments: second Sunday
 * of March 2:00 to first Sunday of November 2:00 (ios-cli.md §1.6, current US rules).
 */
export const US_SUMMER_RULE: { readonly start: RecurringPoint; readonly end: RecurringPoint } = {
  start: { week: 2, weekday: SUNDAY, month: MARCH, hour: 2, minute: 0 },
  end: { week: 1, weekday: SUNDAY, month: NOVEMBER, hour: 2, minute: 0 },
};

/**
 * Standard offset of a `clock timezone` in minutes. IOS applies the minutes with the sign of
 * the hours (`-3 30` is UTC-3:30); a typed `-0 30` arrives as hours -0 and keeps its sign.
 */
export function standardOffsetMinutes(zone: TimeZoneConfig | undefined): number {
  if (zone === undefined) return 0;
  const negative = zone.hoursOffset < 0 || Object.is(zone.hoursOffset, -0);
  const magnitude = Math.abs(zone.hoursOffset) * 60 + zone.minutesOffset;
  return negative ? -magnitude : magnitude;
}

/** The offset, zone name and summer flag in force at `utcMs`. */
export function localOffsetAt(spec: ZoneSpec, utcMs: number): LocalOffset {
  const standardMinutes = standardOffsetMinutes(spec.zone);
  const standardName = spec.zone?.name ?? UTC_ZONE_NAME;
  const summer = spec.summer;
  if (summer !== undefined && isSummerAt(summer, standardMinutes, utcMs)) {
    return { offsetMinutes: standardMinutes + summer.offsetMinutes, zoneName: summer.name, summer: true };
  }
  return { offsetMinutes: standardMinutes, zoneName: standardName, summer: false };
}

/**
 * The start and end instants `show clock detail` prints for `year`, or undefined without
 * summer time. For a recurring rule both rules are applied to `year`; in the southern
 * hemisphere (start month after end month) the end therefore precedes the start, each being
 * the transition that happens within that calendar year. The `date` form is one-shot: its
 * configured instants are returned whatever the year.
 */
export function summerTransitionsForYear(spec: ZoneSpec, year: number): SummerTransitions | undefined {
  const summer = spec.summer;
  if (summer === undefined) return undefined;
  const standardMinutes = standardOffsetMinutes(spec.zone);
  if (summer.kind === "date")
    return dateTransitions(summer.start, summer.end, standardMinutes, summer.offsetMinutes);
  return {
    startUtcMs: recurringInstant(summer.start, year, standardMinutes),
    endUtcMs: recurringInstant(summer.end, year, standardMinutes + summer.offsetMinutes),
  };
}

/**
 * Day of the month (1..31) on which a recurring rule falls in `year`. Week 5, `last`, and an
 * Nth occurrence the month does not have (a fifth Sunday) all mean the last occurrence.
 */
export function recurringDayOfMonth(point: RecurringPoint, year: number): number {
  const daysInMonth = daysInMonthOf(year, point.month);
  const firstWeekday = weekdayOf(year, point.month, 1);
  const firstOccurrence = 1 + ((point.weekday - firstWeekday + DAYS_PER_WEEK) % DAYS_PER_WEEK);
  const lastOccurrence =
    firstOccurrence + DAYS_PER_WEEK * Math.floor((daysInMonth - firstOccurrence) / DAYS_PER_WEEK);
  if (point.week === "last") return lastOccurrence;
  return Math.min(firstOccurrence + DAYS_PER_WEEK * (point.week - 1), lastOccurrence);
}

function isSummerAt(summer: SummerTimeConfig, standardMinutes: number, utcMs: number): boolean {
  if (summer.kind === "date") {
    const window = dateTransitions(summer.start, summer.end, standardMinutes, summer.offsetMinutes);
    return utcMs >= window.startUtcMs && utcMs < window.endUtcMs;
  }
  return isRecurringSummerAt(summer.start, summer.end, standardMinutes, summer.offsetMinutes, utcMs);
}

/**
 * Summer time is on when the latest transition at or before `utcMs` is a start. Looking at the
 * neighbouring years covers both hemispheres: when the start month is after the end month
 * (IOS's southern-hemisphere case) the summer that began last year is still running in January.
 */
function isRecurringSummerAt(
  start: RecurringPoint,
  end: RecurringPoint,
  standardMinutes: number,
  summerOffsetMinutes: number,
  utcMs: number,
): boolean {
  const year = new Date(utcMs).getUTCFullYear();
  let latestAt = Number.NEGATIVE_INFINITY;
  let latestIsStart = false;
  for (const candidateYear of [year - 1, year, year + 1]) {
    const startAt = recurringInstant(start, candidateYear, standardMinutes);
    const endAt = recurringInstant(end, candidateYear, standardMinutes + summerOffsetMinutes);
    // On a tie the end wins: a zero-length summer is no summer.
    if (startAt <= utcMs && startAt > latestAt) {
      latestAt = startAt;
      latestIsStart = true;
    }
    if (endAt <= utcMs && endAt >= latestAt) {
      latestAt = endAt;
      latestIsStart = false;
    }
  }
  return latestIsStart;
}

/** Start is typed in local standard time, end in local summer time (ios-cli.md §1.6). */
function dateTransitions(
  start: DatePoint,
  end: DatePoint,
  standardMinutes: number,
  summerOffsetMinutes: number,
): SummerTransitions {
  return {
    startUtcMs: datePointToUtc(start, standardMinutes),
    endUtcMs: datePointToUtc(end, standardMinutes + summerOffsetMinutes),
  };
}

function datePointToUtc(point: DatePoint, wallOffsetMinutes: number): number {
  return wallClockToUtc(point.year, point.month, point.day, point.hour, point.minute, wallOffsetMinutes);
}

function recurringInstant(point: RecurringPoint, year: number, wallOffsetMinutes: number): number {
  const day = recurringDayOfMonth(point, year);
  return wallClockToUtc(year, point.month, day, point.hour, point.minute, wallOffsetMinutes);
}

function wallClockToUtc(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  wallOffsetMinutes: number,
): number {
  return utcFields(year, month, day, hour, minute) - wallOffsetMinutes * MS_PER_MINUTE;
}

/** Date.UTC maps years 0..99 to 1900..1999; setUTCFullYear does not. */
function utcFields(year: number, month: number, day: number, hour: number, minute: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  date.setUTCHours(hour, minute, 0, 0);
  return date.getTime();
}

function daysInMonthOf(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one.
  return new Date(utcFields(year, month + 1, 0, 0, 0)).getUTCDate();
}

function weekdayOf(year: number, month: number, day: number): number {
  return new Date(utcFields(year, month, day, 0, 0)).getUTCDay();
}

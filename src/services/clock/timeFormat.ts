/**
 * IOS renderings of instants and durations: `show clock`, `show calendar`, CLOCKUPDATE
 * messages, NTP detail timestamps, `service timestamps` prefixes and uptimes
 * (ios-cli.md §2.5, §2.7, §2.8, §2.12). Every function is pure: the instant is a parameter,
 * UTC milliseconds since the Unix epoch.
 */

import {
  type LocalOffset,
  localOffsetAt,
  standardOffsetMinutes,
  UTC_ZONE_NAME,
  type ZoneSpec,
} from "./timeZone.js";

/** `show clock` prefix: `*` not authoritative, `.` authoritative but NTP unsynchronised (§2.5). */
export type ClockFlag = "" | "*" | ".";

/** `service timestamps … uptime`: time since boot instead of the date. */
export interface UptimeTimestampOptions {
  readonly kind: "uptime";
  readonly uptimeMs: number;
}

/** `service timestamps … datetime [msec] [localtime] [show-timezone] [year]`. */
export interface DatetimeTimestampOptions {
  readonly kind: "datetime";
  readonly msec: boolean;
  /** Render in the configured zone; otherwise UTC. */
  readonly localtime: boolean;
  /** Append the zone name (`UTC` when `localtime` is off). */
  readonly showTimezone: boolean;
  readonly year: boolean;
  /** Only consulted with `localtime`; absent means UTC. */
  readonly spec?: ZoneSpec;
}

export type LogTimestampOptions = UptimeTimestampOptions | DatetimeTimestampOptions;

const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;
const WEEKDAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;
const ABBREV_LENGTH = 3;

const MS_PER_SECOND = 1000;
const MS_PER_MINUTE = 60 * MS_PER_SECOND;
const MS_PER_HOUR = 60 * MS_PER_MINUTE;
const MS_PER_DAY = 24 * MS_PER_HOUR;
const MS_PER_WEEK = 7 * MS_PER_DAY;
/** IOS elapsed-time displays count a year as 365 days [I]. */
const MS_PER_YEAR = 365 * MS_PER_DAY;

/** `Jan`..`Dec` for month 0..11. */
export function monthAbbrev(month: number): string {
  return nameAt(MONTH_NAMES, month, "month").slice(0, ABBREV_LENGTH);
}

/** `Sun`..`Sat` for weekday 0..6 (Sunday = 0). */
export function weekdayAbbrev(weekday: number): string {
  return nameAt(WEEKDAY_NAMES, weekday, "weekday").slice(0, ABBREV_LENGTH);
}

/**
 * Month 0..11 for a unique case-insensitive prefix of its English name (`feb`, `sept`,
 * `August`, §1.6); undefined when the word is empty, matches nothing or is ambiguous (`ju`).
 */
export function parseMonth(word: string): number | undefined {
  return uniquePrefixIndex(MONTH_NAMES, word);
}

/** Weekday 0..6 (Sunday = 0) for a unique case-insensitive prefix (`sun`, `Thurs`); `t` is ambiguous. */
export function parseWeekday(word: string): number | undefined {
  return uniquePrefixIndex(WEEKDAY_NAMES, word);
}

/**
 * `show clock`: `[*|.]HH:MM:SS.mmm ZONE Ddd Mmm D YYYY` (§2.5), e.g.
 * `*18:57:38.347 UTC Mon Oct 19 2015`. `subMs` is the fraction of a millisecond beyond `utcMs`
 * (0 ≤ subMs < 1, larger values carry); milliseconds are truncated, not rounded.
 */
export function formatShowClock(utcMs: number, subMs: number, spec: ZoneSpec, flag: ClockFlag): string {
  const instantMs = wholeMilliseconds(utcMs, subMs);
  const local = localFields(instantMs, localOffsetAt(spec, instantMs));
  return `${flag}${clockTime(local)}.${pad(local.millisecond, 3)} ${local.zoneName} ${dateTail(local)}`;
}

/** `show calendar`: `HH:MM:SS ZONE Ddd Mmm D YYYY`, e.g. `22:17:34 UTC Mon Feb 23 2026` (§2.5). */
export function formatCalendar(utcMs: number, spec: ZoneSpec): string {
  return formatSecondsClock(utcMs, localOffsetAt(spec, utcMs));
}

/**
 * The two times in `%SYS-6-CLOCKUPDATE: System clock has been updated from X to Y, …` (§2.8),
 * e.g. `14:23:40 UTC Thu Jun 2 2022`.
 */
export function formatClockUpdate(utcMs: number, spec: ZoneSpec): string {
  return formatSecondsClock(utcMs, localOffsetAt(spec, utcMs));
}

/**
 * The local rendering after an NTP timestamp in `show ntp associations detail` / `show ntp
 * status` (§2.2, §2.3), e.g. `16:08:06.618 EST Fri Oct 14 2016`: `show clock` without a flag.
 */
export function formatNtpDetailTime(utcMs: number, spec: ZoneSpec): string {
  return formatShowClock(utcMs, 0, spec, "");
}

/**
 * A `show clock detail` transition time, `HH:MM:SS ZONE Ddd Mmm D YYYY`. The start is rendered
 * in the standard zone and the end in the summer zone (§2.5: `Summer time starts 02:00:00
 * UTC/GMT Sun Mar 30 2008`, `Summer time ends 02:00:00 CEST Sun Oct 26 2008`), i.e. as the
 * wall clock read just before the transition. Without summer time both sides use the standard zone.
 */
export function formatSummerTransition(utcMs: number, spec: ZoneSpec, side: "start" | "end"): string {
  const standardMinutes = standardOffsetMinutes(spec.zone);
  const summer = spec.summer;
  const offset: LocalOffset =
    side === "end" && summer !== undefined
      ? { offsetMinutes: standardMinutes + summer.offsetMinutes, zoneName: summer.name, summer: true }
      : { offsetMinutes: standardMinutes, zoneName: spec.zone?.name ?? UTC_ZONE_NAME, summer: false };
  return formatSecondsClock(utcMs, offset);
}

/**
 * A `service timestamps` prefix without the `*`/`.` flag and the trailing `: ` (§2.7), which
 * the syslog line builder adds. Datetime: `Mmm DD[ YYYY] HH:MM:SS[.mmm][ ZONE]` with the day
 * space-padded (`Mar  1 1993 00:01:23.456 UTC`); uptime: see {@link formatUptimeShort}.
 */
export function formatLogTimestamp(utcMs: number, opts: LogTimestampOptions): string {
  if (opts.kind === "uptime") return formatUptimeShort(opts.uptimeMs);
  const instantMs = Math.floor(utcMs);
  const offset = opts.localtime ? localOffsetAt(opts.spec ?? {}, instantMs) : localOffsetAt({}, instantMs);
  const local = localFields(instantMs, offset);
  const day = `${monthAbbrev(local.month)} ${String(local.day).padStart(2, " ")}`;
  const year = opts.year ? ` ${local.year}` : "";
  const millis = opts.msec ? `.${pad(local.millisecond, 3)}` : "";
  const zone = opts.showTimezone ? ` ${local.zoneName}` : "";
  return `${day}${year} ${clockTime(local)}${millis}${zone}`;
}

/**
 * The compact IOS uptime (`service timestamps … uptime`, §2.7): under a day `HH:MM:SS`
 * (`00:04:18`), under a week days and hours (`1d02h`), under a year weeks and days (`2w3d`),
 * then years and weeks (`1y8w`, as IOS prints long BGP session ages). Negative input counts as 0.
 */
export function formatUptimeShort(uptimeMs: number): string {
  const ms = Math.max(0, Math.floor(uptimeMs));
  if (ms < MS_PER_DAY) {
    const hours = Math.floor(ms / MS_PER_HOUR);
    const minutes = Math.floor((ms % MS_PER_HOUR) / MS_PER_MINUTE);
    const seconds = Math.floor((ms % MS_PER_MINUTE) / MS_PER_SECOND);
    return `${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}`;
  }
  if (ms < MS_PER_WEEK) {
    return `${Math.floor(ms / MS_PER_DAY)}d${pad(Math.floor((ms % MS_PER_DAY) / MS_PER_HOUR), 2)}h`;
  }
  if (ms < MS_PER_YEAR) {
    return `${Math.floor(ms / MS_PER_WEEK)}w${Math.floor((ms % MS_PER_WEEK) / MS_PER_DAY)}d`;
  }
  return `${Math.floor(ms / MS_PER_YEAR)}y${Math.floor((ms % MS_PER_YEAR) / MS_PER_WEEK)}w`;
}

/**
 * The `show version` uptime (§2.12): `1 year, 14 weeks, 4 days, 6 hours, 2 minutes`.
 * Years, weeks, days and hours are omitted when zero; minutes are always printed, so a fresh
 * boot reads `0 minutes` (as IOS XR prints `uptime is 0 minutes`). Seconds are truncated.
 * Units are singular for 1 (`1 day`, `1 hour`, `1 minute`).
 */
export function formatUptimeLong(uptimeMs: number): string {
  let remainingMs = Math.max(0, Math.floor(uptimeMs));
  const parts: string[] = [];
  const units: ReadonlyArray<readonly [string, number]> = [
    ["year", MS_PER_YEAR],
    ["week", MS_PER_WEEK],
    ["day", MS_PER_DAY],
    ["hour", MS_PER_HOUR],
  ];
  for (const [unit, unitMs] of units) {
    const count = Math.floor(remainingMs / unitMs);
    remainingMs -= count * unitMs;
    if (count > 0) parts.push(countOf(count, unit));
  }
  parts.push(countOf(Math.floor(remainingMs / MS_PER_MINUTE), "minute"));
  return parts.join(", ");
}

/** Calendar fields of the local wall clock, read through UTC accessors of a shifted instant. */
interface LocalFields {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly weekday: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
  readonly zoneName: string;
}

function localFields(utcMs: number, offset: LocalOffset): LocalFields {
  const wall = new Date(utcMs + offset.offsetMinutes * MS_PER_MINUTE);
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth(),
    day: wall.getUTCDate(),
    weekday: wall.getUTCDay(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
    millisecond: wall.getUTCMilliseconds(),
    zoneName: offset.zoneName,
  };
}

function formatSecondsClock(utcMs: number, offset: LocalOffset): string {
  const local = localFields(Math.floor(utcMs), offset);
  return `${clockTime(local)} ${local.zoneName} ${dateTail(local)}`;
}

/** `HH:MM:SS`, zero-padded (Packet Tracer's unpadded seconds are a known trap, §6). */
function clockTime(local: LocalFields): string {
  return `${pad(local.hour, 2)}:${pad(local.minute, 2)}:${pad(local.second, 2)}`;
}

/** `Ddd Mmm D YYYY`, day of month not padded (§2.5: `Thu Aug 7 2025`). */
function dateTail(local: LocalFields): string {
  return `${weekdayAbbrev(local.weekday)} ${monthAbbrev(local.month)} ${local.day} ${local.year}`;
}

/**
 * Adds a sub-millisecond fraction without summing it into a large epoch number first, where
 * the float would round 0.9999 up to the next millisecond.
 */
function wholeMilliseconds(utcMs: number, subMs: number): number {
  const floorMs = Math.floor(utcMs);
  return floorMs + Math.floor(utcMs - floorMs + subMs);
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}

function countOf(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? "" : "s"}`;
}

function nameAt(names: readonly string[], index: number, what: string): string {
  const name = names[index];
  if (name === undefined || !Number.isInteger(index)) throw new RangeError(`${what} out of range: ${index}`);
  return name;
}

function uniquePrefixIndex(names: readonly string[], word: string): number | undefined {
  if (word.length === 0) return undefined;
  const prefix = word.toLowerCase();
  let found: number | undefined;
  for (const [index, name] of names.entries()) {
    if (!name.toLowerCase().startsWith(prefix)) continue;
    if (found !== undefined) return undefined;
    found = index;
  }
  return found;
}

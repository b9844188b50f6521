/**
 * Time-zone configuration as IOS holds it (`clock timezone`, `clock summer-time`).
 * The software clock is always UTC; these only change how time is displayed (ios-cli.md §1.6).
 */

/** `clock timezone NAME HOURS [MINUTES]`; a negative zone carries the sign on hours (`PST -8 0`). */
export interface TimeZoneConfig {
  readonly name: string;
  /** -23..23 */
  readonly hoursOffset: number;
  /** 0..59, applied with the sign of hoursOffset (IOS: `-3 30` is UTC-3:30). */
  readonly minutesOffset: number;
}

/** Month 0..11 (January = 0), weekday 0..6 (Sunday = 0). */
export interface RecurringPoint {
  /** 1..5 = first..fifth occurrence of weekday in the month; "last" = last occurrence. */
  readonly week: number | "last";
  readonly weekday: number;
  readonly month: number;
  readonly hour: number;
  readonly minute: number;
}

export interface DatePoint {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

/** `clock summer-time ZONE recurring ...` or `clock summer-time ZONE date ...`. */
export type SummerTimeConfig =
  | {
      readonly kind: "recurring";
      readonly name: string;
      readonly start: RecurringPoint;
      readonly end: RecurringPoint;
      /** Minutes added during summer time; IOS default 60. */
      readonly offsetMinutes: number;
    }
  | {
      readonly kind: "date";
      readonly name: string;
      readonly start: DatePoint;
      readonly end: DatePoint;
      readonly offsetMinutes: number;
      /** Whether the command was typed day-first (`date 8 Mar 2026 ...`) — nvgen keeps month-first. */
    };

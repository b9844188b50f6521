/**
 * The syslog facility of the wire PRI (`logging facility`, ios-cli.md §1.8) and the PRI itself.
 */
import type { SyslogLevel } from "../../config/model.js";

/**
 * Facility codes, RFC 5424 §6.2.1 / RFC 3164 §4.1.1. IOS's `sys9`..`sys14` name codes 9..14
 * (RFC 3164 leaves them to the system), so `cron` takes 15, RFC 3164's second clock/cron code
 * [I: the only assignment under which every IOS keyword gets a distinct code].
 */
const FACILITY_CODES: Readonly<Record<string, number>> = {
  kern: 0,
  user: 1,
  mail: 2,
  daemon: 3,
  auth: 4,
  syslog: 5,
  lpr: 6,
  news: 7,
  uucp: 8,
  sys9: 9,
  sys10: 10,
  sys11: 11,
  sys12: 12,
  sys13: 13,
  sys14: 14,
  cron: 15,
  local0: 16,
  local1: 17,
  local2: 18,
  local3: 19,
  local4: 20,
  local5: 21,
  local6: 22,
  local7: 23,
};

/** IOS's default `logging facility local7` (ios-cli.md §1.8). */
export const LOCAL7_CODE = 23;

/** RFC 5424 §6.2.1 code of a `logging facility` keyword; unknown names fall back to local7. */
export function facilityCode(name: string): number {
  return FACILITY_CODES[name] ?? LOCAL7_CODE;
}

/** RFC 5424 §6.2.1: PRI = facility × 8 + severity; local7 informational is `<190>` [R]. */
export function syslogPri(facility: string, severity: SyslogLevel): number {
  return facilityCode(facility) * 8 + severity;
}

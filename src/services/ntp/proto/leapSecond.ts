/**
 * When a leap second announced by the leap indicator takes effect. RFC 5905 §7.3: the indicator
 * warns of a leap "in the last minute of the current day"; like chrony (`reference.c`), the
 * client only honors it at the end of a month, because servers commonly set the indicator for
 * the whole month before the event. Inserting a second is done as ntpd's kernel does it: the
 * clock is stepped back by one second at midnight UTC, repeating 23:59:59.
 */
import { addSeconds, type NtpTimestamp, toUnixSecondsNearest } from "./ntpTimestamp.js";

const SECONDS_PER_DAY = 86_400;
/** Pivot for the NTP era: timestamps are read as the Unix time closest to 2038, i.e. 1970-2106. */
const ERA_PIVOT_UNIX_SECONDS = 2 ** 31;

/**
 * The next midnight UTC after `now` if it ends a month (a leap second may occur there), else
 * undefined; as the local-clock timestamp at which the step is due.
 */
export function leapSecondInstant(now: NtpTimestamp): NtpTimestamp | undefined {
  const unixSeconds = toUnixSecondsNearest(now, ERA_PIVOT_UNIX_SECONDS);
  const midnight = (Math.floor(unixSeconds / SECONDS_PER_DAY) + 1) * SECONDS_PER_DAY;
  if (new Date(midnight * 1000).getUTCDate() !== 1) return undefined;
  return addSeconds(now, midnight - unixSeconds);
}

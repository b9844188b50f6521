/**
 * Certificate dates as IOS PKI prints them: `13:50:58 UTC Nov 12 2012` (`show crypto pki
 * certificates` validity, the %PKI-3-CERTIFICATE_INVALID_* messages; ios-cli.md §2.8, §2.11),
 * i.e. `HH:MM:SS ZONE Mmm D YYYY` in the configured zone, day not padded.
 */
import { monthAbbrev } from "../clock/timeFormat.js";
import { localOffsetAt, type ZoneSpec } from "../clock/timeZone.js";

const MS_PER_MINUTE = 60_000;

export function formatPkiDate(utcMs: number, zone: ZoneSpec): string {
  const offset = localOffsetAt(zone, utcMs);
  const wall = new Date(Math.floor(utcMs) + offset.offsetMinutes * MS_PER_MINUTE);
  const hms = [wall.getUTCHours(), wall.getUTCMinutes(), wall.getUTCSeconds()]
    .map((v) => String(v).padStart(2, "0"))
    .join(":");
  return `${hms} ${offset.zoneName} ${monthAbbrev(wall.getUTCMonth())} ${wall.getUTCDate()} ${wall.getUTCFullYear()}`;
}

/**
 * One logged line as IOS prints it on the console, in the buffer and on the wire:
 * `[SEQ: ][*|.]TIMESTAMP: %FAC-SEV-MNEMONIC: text` (ios-cli.md §2.7), and the UDP/TCP payload
 * `<PRI>COUNTER: [ORIGIN: ]LINE`. Pure functions of their inputs.
 */
import type { TimestampsConfig } from "../../config/model.js";
import type { ClockFlag } from "../clock/timeFormat.js";
import { formatLogTimestamp } from "../clock/timeFormat.js";
import type { ZoneSpec } from "../clock/timeZone.js";

/** What a `service timestamps` prefix is made of at the moment a message is logged. */
export interface StampInput {
  /** Appliance time (SoftwareClock), UTC ms. */
  readonly utcMs: number;
  readonly uptimeMs: number;
  /** The clock's `*` / `.` flag (§2.7: same rule as `show clock`). */
  readonly flag: ClockFlag;
  /** Only used with `localtime`. */
  readonly zone: ZoneSpec;
}

/** `service sequence-numbers`: six digits, zero-padded (`000048: `, §2.7 [R]). */
const SEQUENCE_DIGITS = 6;

/**
 * The `service timestamps` prefix including its `: ` separator, or "" for `no service
 * timestamps`. The `*`/`.` flag marks datetime stamps only: an uptime stamp does not depend on
 * the clock being right, so it carries no flag.
 */
export function formatStamp(timestamps: TimestampsConfig | null, input: StampInput): string {
  if (timestamps === null) return "";
  if (timestamps.kind === "uptime") {
    return `${formatLogTimestamp(input.utcMs, { kind: "uptime", uptimeMs: input.uptimeMs })}: `;
  }
  const text = formatLogTimestamp(input.utcMs, {
    kind: "datetime",
    msec: timestamps.msec,
    localtime: timestamps.localtime,
    showTimezone: timestamps.showTimezone,
    year: timestamps.year,
    spec: input.zone,
  });
  return `${input.flag}${text}: `;
}

/** `000048: ` — the sequence number prefix of `service sequence-numbers`. */
export function formatSequence(sequence: number): string {
  return `${String(sequence).padStart(SEQUENCE_DIGITS, "0")}: `;
}

/** The line the console, monitor and buffer show: `[SEQ: ]STAMP: BODY`. */
export function formatLogLine(sequence: number | undefined, stamp: string, body: string): string {
  return `${sequence === undefined ? "" : formatSequence(sequence)}${stamp}${body}`;
}

/**
 * The remote syslog payload (§2.7 [R]): `<188>233: *Sep 13 09:18:12.291: %SYS-4-...`, i.e. the
 * PRI, the box's message counter (always present, not padded), an optional origin id, then the
 * same line as the buffer.
 */
export function formatWireMessage(
  pri: number,
  counter: number,
  origin: string | undefined,
  line: string,
): string {
  return `<${pri}>${counter}: ${origin === undefined ? "" : `${origin}: `}${line}`;
}

/** RFC 6587 §3.4.1 octet-counting frame: `MSG-LEN SP SYSLOG-MSG`, the length in bytes. */
export function octetCountingFrame(message: string): Buffer {
  const payload = Buffer.from(message, "utf8");
  return Buffer.concat([Buffer.from(`${payload.length} `, "ascii"), payload]);
}

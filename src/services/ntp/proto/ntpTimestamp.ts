/**
 * NTP timestamps (RFC 5905 §6).
 *
 * Representation: two u32 numbers, `{ seconds, fraction }`, exactly the two wire words. Chosen for
 * the server hot path: decoding is two `readUInt32BE` calls and encoding two writes, with no
 * BigInt allocation (a single bigint costs an allocation per read and slower arithmetic), and the
 * representation is lossless, so a timestamp read from a request is echoed bit for bit.
 * Float seconds are offered for arithmetic on differences, never as storage: a double holding
 * seconds since 1900 has only ~0.5 µs resolution.
 *
 * Eras: the 32-bit seconds field wraps every 2^32 s (~136 years); era 0 began 1900-01-01T00:00:00Z
 * and era 1 begins 2036-02-07T06:28:16Z. A timestamp alone does not say its era, so conversions to
 * absolute time either take the era explicitly or pick the one closest to a reference time,
 * usually the local clock (RFC 5905 §6; DESIGN.md "Time").
 */

/** A 64-bit NTP timestamp: 32 bits of seconds in the era and 32 bits of binary fraction. */
export interface NtpTimestamp {
  /** Whole seconds since the start of the era, u32. */
  readonly seconds: number;
  /** Fraction of a second in units of 2^-32 s, u32. */
  readonly fraction: number;
}

/**
 * NTP short format (RFC 5905 §6): 16 bits of seconds and 16 bits of fraction, held as the raw u32
 * wire word. Used for root delay and root dispersion.
 */
export type NtpShort = number;

/** Seconds from the NTP prime epoch (1900-01-01) to the Unix epoch (1970-01-01) (RFC 5905 §6). */
export const NTP_UNIX_EPOCH_OFFSET_SECONDS = 2_208_988_800;

/** Length of one NTP era, seconds (RFC 5905 §6). */
export const NTP_ERA_SECONDS = 2 ** 32;

/** The zero timestamp, which RFC 5905 §7.3 reserves for "unknown or not set". */
export const ZERO_TIMESTAMP: NtpTimestamp = Object.freeze({ seconds: 0, fraction: 0 });

const FRACTION_SCALE = 2 ** 32;
const NS_PER_SECOND = 1_000_000_000;
const NS_PER_SECOND_BIG = 1_000_000_000n;
// 2^32 / 1e9 = 2^23 / 5^9. Scaling by these two integers keeps every product below 2^53, so the
// nanosecond <-> fraction conversions below are exact integer arithmetic in doubles.
const TWO_POW_23 = 2 ** 23;
const FIVE_POW_9 = 1_953_125;
const SHORT_SCALE = 2 ** 16;
const MAX_SHORT = 0xffff_ffff;

/** True for the reserved zero timestamp. */
export function isZeroTimestamp(ts: NtpTimestamp): boolean {
  return ts.seconds === 0 && ts.fraction === 0;
}

/** Bitwise equality of two timestamps. */
export function timestampsEqual(a: NtpTimestamp, b: NtpTimestamp): boolean {
  return a.seconds === b.seconds && a.fraction === b.fraction;
}

/** Reads a timestamp from 8 octets in network order. */
export function readTimestamp(bytes: Buffer, offset: number): NtpTimestamp {
  return { seconds: bytes.readUInt32BE(offset), fraction: bytes.readUInt32BE(offset + 4) };
}

/** Writes a timestamp as 8 octets in network order. */
export function writeTimestamp(bytes: Buffer, offset: number, ts: NtpTimestamp): void {
  bytes.writeUInt32BE(ts.seconds, offset);
  bytes.writeUInt32BE(ts.fraction, offset + 4);
}

/**
 * The timestamp for a Unix time given as whole seconds plus integer nanoseconds (0..999 999 999).
 * No BigInt: this is the form for callers that already hold the split (e.g. a clock that keeps
 * seconds and nanoseconds apart). The fraction is rounded to the nearest 2^-32 s.
 */
export function fromUnixParts(unixSeconds: number, nanoseconds: number): NtpTimestamp {
  // Round to nearest; 5^9 is odd, so there are no ties. `%` on integral doubles is exact.
  const scaled = nanoseconds * TWO_POW_23 + (FIVE_POW_9 - 1) / 2;
  const fraction = (scaled - (scaled % FIVE_POW_9)) / FIVE_POW_9;
  return { seconds: wrapU32(unixSeconds + NTP_UNIX_EPOCH_OFFSET_SECONDS), fraction };
}

/** The timestamp for a Unix time in nanoseconds; the era is dropped (RFC 5905 §6). */
export function fromUnixNs(unixNs: bigint): NtpTimestamp {
  let seconds = unixNs / NS_PER_SECOND_BIG;
  let nanoseconds = Number(unixNs - seconds * NS_PER_SECOND_BIG);
  if (nanoseconds < 0) {
    seconds -= 1n;
    nanoseconds += NS_PER_SECOND;
  }
  return fromUnixParts(Number(seconds), nanoseconds);
}

/** Nanoseconds within the second for a fraction, rounded to nearest. */
function fractionToNanoseconds(fraction: number): number {
  return Math.floor((fraction * FIVE_POW_9 + TWO_POW_23 / 2) / TWO_POW_23);
}

/** Unix nanoseconds for a timestamp in a given era (era 0: 1900-2036, era 1: 2036-2172). */
export function toUnixNs(ts: NtpTimestamp, era = 0): bigint {
  const unixSeconds = era * NTP_ERA_SECONDS + ts.seconds - NTP_UNIX_EPOCH_OFFSET_SECONDS;
  return BigInt(unixSeconds) * NS_PER_SECOND_BIG + BigInt(fractionToNanoseconds(ts.fraction));
}

/**
 * Unix nanoseconds for a timestamp, in the era that puts it closest to `referenceUnixNs`
 * (normally the local clock): correct for any timestamp within ±68 years of the reference,
 * which is how RFC 5905 §6 resolves the 2036 rollover.
 */
export function toUnixNsNearest(ts: NtpTimestamp, referenceUnixNs: bigint): bigint {
  const referenceSeconds = Number(referenceUnixNs / NS_PER_SECOND_BIG);
  const unixSeconds = nearestUnixSeconds(ts.seconds, referenceSeconds);
  return BigInt(unixSeconds) * NS_PER_SECOND_BIG + BigInt(fractionToNanoseconds(ts.fraction));
}

/** Unix seconds (float) for a timestamp, in the era closest to `referenceUnixSeconds`. */
export function toUnixSecondsNearest(ts: NtpTimestamp, referenceUnixSeconds: number): number {
  return nearestUnixSeconds(ts.seconds, Math.floor(referenceUnixSeconds)) + ts.fraction / FRACTION_SCALE;
}

/** The timestamp for a Unix time in float seconds (resolution limited by the double, ~0.2 µs today). */
export function fromUnixSeconds(unixSeconds: number): NtpTimestamp {
  let whole = Math.floor(unixSeconds);
  let fraction = Math.round((unixSeconds - whole) * FRACTION_SCALE);
  if (fraction === FRACTION_SCALE) {
    whole += 1;
    fraction = 0;
  }
  return { seconds: wrapU32(whole + NTP_UNIX_EPOCH_OFFSET_SECONDS), fraction };
}

/**
 * `a - b` in seconds, independent of era: the difference is taken modulo 2^32 s and read as
 * signed, so it is right whenever the two are within 68 years of each other — the era-free
 * arithmetic RFC 5905 §6 describes for timestamp differences.
 */
export function timestampDiffSeconds(a: NtpTimestamp, b: NtpTimestamp): number {
  return ((a.seconds - b.seconds) | 0) + (a.fraction - b.fraction) / FRACTION_SCALE;
}

/** The timestamp `seconds` later (or earlier, if negative) than `ts`, wrapping at the era boundary. */
export function addSeconds(ts: NtpTimestamp, seconds: number): NtpTimestamp {
  const whole = Math.floor(seconds);
  let fraction = ts.fraction + Math.round((seconds - whole) * FRACTION_SCALE);
  let carry = 0;
  if (fraction >= FRACTION_SCALE) {
    fraction -= FRACTION_SCALE;
    carry = 1;
  }
  return { seconds: wrapU32(ts.seconds + whole + carry), fraction };
}

/** Renders as IOS does in `show ntp associations detail`: `DBAB02D6.9E354130`. */
export function formatTimestampHex(ts: NtpTimestamp): string {
  return `${hex8(ts.seconds)}.${hex8(ts.fraction)}`;
}

/** Seconds for an NTP short value (RFC 5905 §6). */
export function ntpShortToSeconds(value: NtpShort): number {
  return value / SHORT_SCALE;
}

/**
 * NTP short value for a non-negative duration in seconds, rounded up so a root delay or
 * dispersion is never understated, and saturated at 65535.99998 s. NaN saturates as well:
 * an unknown error bound is the largest one.
 */
export function secondsToNtpShort(seconds: number): NtpShort {
  if (!(seconds < MAX_SHORT / SHORT_SCALE)) return MAX_SHORT;
  if (seconds <= 0) return 0;
  return Math.ceil(seconds * SHORT_SCALE);
}

function nearestUnixSeconds(ntpSeconds: number, referenceUnixSeconds: number): number {
  const referenceNtp = referenceUnixSeconds + NTP_UNIX_EPOCH_OFFSET_SECONDS;
  const offset = (ntpSeconds - wrapU32(referenceNtp)) | 0;
  return referenceNtp + offset - NTP_UNIX_EPOCH_OFFSET_SECONDS;
}

function wrapU32(value: number): number {
  const wrapped = value % NTP_ERA_SECONDS;
  return wrapped < 0 ? wrapped + NTP_ERA_SECONDS : wrapped;
}

function hex8(value: number): string {
  return value.toString(16).toUpperCase().padStart(8, "0");
}

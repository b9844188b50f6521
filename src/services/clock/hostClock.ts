/**
 * The host's wall clock with nanosecond resolution: CLOCK_MONOTONIC (`process.hrtime`) plus an
 * offset to CLOCK_REALTIME calibrated on `Date.now()` millisecond edges.
 *
 * Why: `Date.now()` has 1 ms resolution and `performance.timeOrigin + performance.now()` is off
 * by 8-10 µs and quantised to 244 ns, while hrtime anchored on ms edges was measured within
 * -24/-28 ns of CLOCK_REALTIME (node-notes §6). NTP needs sub-microsecond receive and transmit
 * timestamps (DESIGN.md "Time"), so the server's wire timestamps come from here.
 *
 * The offset goes stale when the OS clock is stepped (the monotonic clock is not); `recheck()`
 * compares with `Date.now()` and re-anchors. Call it every few seconds, off the hot path.
 */
import { fromUnixParts, type NtpTimestamp } from "../ntp/proto/ntpTimestamp.js";

/** A host wall-clock reading: Unix seconds and nanoseconds within the second (0..999 999 999). */
export interface WallTime {
  readonly seconds: number;
  readonly nanos: number;
}

export interface HostClock {
  /** Host wall clock, Unix nanoseconds. */
  nowNs(): bigint;
  /** Host wall clock as seconds and nanoseconds, without a BigInt (the hot-path form). */
  now(): WallTime;
  /**
   * Compares with `Date.now()` and re-anchors when they disagree by more than the tolerance
   * (the OS clock was stepped). Returns true when it re-anchored. Busy-waits a few ms then.
   */
  recheck(): boolean;
}

export interface HostClockOptions {
  /** Millisecond edges to observe per calibration; the median offset is used. Default 20 (~20 ms). */
  readonly edges?: number;
  /** Disagreement with `Date.now()` that `recheck()` treats as a step, ms. Default 1. */
  readonly stepToleranceMs?: number;
}

const NS_PER_SECOND = 1_000_000_000;
const NS_PER_MS = 1_000_000n;
const DEFAULT_EDGES = 20;
const DEFAULT_STEP_TOLERANCE_MS = 1;

/** An edge counts only when its bracket is this tight: the estimate's error is half of it. */
const MAX_BRACKET_NS = 2_000n;
/** Calibration gives up waiting for tight brackets after this long and uses the tightest seen. */
const CALIBRATION_BUDGET_MS = 250;

/**
 * Offset CLOCK_REALTIME - CLOCK_MONOTONIC in ns, from `edges` millisecond edges of `Date.now()`:
 * each edge lies between two `Date.now()` reads, each bracketed by hrtime reads, so its monotonic
 * time is known to half the loop iteration. Only tight brackets count: at process start the loop
 * is not yet compiled and one iteration took tens of µs (measured: independent calibrations
 * disagreed by 10-40 µs), so loose brackets are dropped and the median of the tight ones is used.
 */
export function calibrateWallOffsetNs(edges = DEFAULT_EDGES): bigint {
  const tight: bigint[] = [];
  const loose: { estimate: bigint; bracket: bigint }[] = [];
  let previousMs = Date.now();
  let previousReadNs = process.hrtime.bigint();
  const deadline = previousReadNs + BigInt(CALIBRATION_BUDGET_MS) * NS_PER_MS;
  while (tight.length < edges && previousReadNs < deadline) {
    const before = process.hrtime.bigint();
    const wallMs = Date.now();
    const after = process.hrtime.bigint();
    const readNs = (before + after) / 2n;
    if (wallMs === previousMs + 1) {
      const estimate = BigInt(wallMs) * NS_PER_MS - (previousReadNs + readNs) / 2n;
      const bracket = readNs - previousReadNs;
      if (bracket <= MAX_BRACKET_NS) tight.push(estimate);
      else loose.push({ estimate, bracket });
    }
    previousMs = wallMs;
    previousReadNs = readNs;
  }
  const chosen =
    tight.length > 0
      ? tight
      : loose
          .sort((a, b) => (a.bracket < b.bracket ? -1 : 1))
          .slice(0, edges)
          .map((l) => l.estimate);
  chosen.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return chosen[Math.floor(chosen.length / 2)] ?? BigInt(Date.now()) * NS_PER_MS - process.hrtime.bigint();
}

/** A host clock calibrated now (busy-waits ~`edges` ms). */
export function createHostClock(options: HostClockOptions = {}): HostClock {
  const edges = options.edges ?? DEFAULT_EDGES;
  const toleranceNs = BigInt(Math.round((options.stepToleranceMs ?? DEFAULT_STEP_TOLERANCE_MS) * 1e6));
  let offsetNs = 0n;
  let offsetSeconds = 0;
  let offsetNanos = 0;
  const anchor = (): void => {
    offsetNs = calibrateWallOffsetNs(edges);
    const seconds = offsetNs / BigInt(NS_PER_SECOND);
    let nanos = Number(offsetNs - seconds * BigInt(NS_PER_SECOND));
    offsetSeconds = Number(seconds);
    if (nanos < 0) {
      nanos += NS_PER_SECOND;
      offsetSeconds -= 1;
    }
    offsetNanos = nanos;
  };
  anchor();
  const nowNs = (): bigint => process.hrtime.bigint() + offsetNs;
  return {
    nowNs,
    now(): WallTime {
      const [monoSeconds, monoNanos] = process.hrtime();
      let nanos = monoNanos + offsetNanos;
      let seconds = monoSeconds + offsetSeconds;
      if (nanos >= NS_PER_SECOND) {
        nanos -= NS_PER_SECOND;
        seconds += 1;
      }
      return { seconds, nanos };
    },
    recheck(): boolean {
      // Date.now() truncates, so the true wall time lies in [ms, ms + 1).
      const wallNs = BigInt(Date.now()) * NS_PER_MS + NS_PER_MS / 2n;
      const error = nowNs() - wallNs;
      if (error <= toleranceNs && error >= -toleranceNs) return false;
      anchor();
      return true;
    },
  };
}

/** The NTP timestamp (RFC 5905 §6) of a wall-clock reading. */
export function wallTimeToNtp(time: WallTime): NtpTimestamp {
  return fromUnixParts(time.seconds, time.nanos);
}

/** A function returning the host clock's current NTP timestamp: the shape transports take as `receiveClock`. */
export function ntpClockOf(clock: HostClock): () => NtpTimestamp {
  return () => wallTimeToNtp(clock.now());
}

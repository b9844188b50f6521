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

/**
 * Offset CLOCK_REALTIME - CLOCK_MONOTONIC in ns, from `edges` millisecond edges of `Date.now()`:
 * each edge lies between two `Date.now()` reads, each bracketed by hrtime reads, so its monotonic
 * time is known to about one loop iteration (~150 ns); the median rejects preempted iterations.
 */
export function calibrateWallOffsetNs(edges = DEFAULT_EDGES): bigint {
  const estimates: bigint[] = [];
  let previousMs = Date.now();
  let previousReadNs = process.hrtime.bigint();
  while (estimates.length < edges) {
    const before = process.hrtime.bigint();
    const wallMs = Date.now();
    const after = process.hrtime.bigint();
    const readNs = (before + after) / 2n;
    if (wallMs !== previousMs) {
      // A jump of more than 1 ms means the loop was preempted: the edge is not bracketed tightly.
      if (wallMs === previousMs + 1) {
        const edgeMonoNs = (previousReadNs + readNs) / 2n;
        estimates.push(BigInt(wallMs) * NS_PER_MS - edgeMonoNs);
      }
      previousMs = wallMs;
    }
    previousReadNs = readNs;
  }
  estimates.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return estimates[Math.floor(estimates.length / 2)] as bigint;
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

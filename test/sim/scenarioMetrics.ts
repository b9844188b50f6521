/**
 * The figures chrony's clknetsim tests check (`test/simulation/test.common` `check_sync`): the
 * sync time — after which the time error stays below 1 ms and the frequency error below
 * 500 ppm — and the maximum and RMS time error from the end of the sync window on.
 */
import type { TraceSample } from "./simulator.js";

export interface Limits {
  readonly maxErrorSeconds: number;
  readonly maxRateError: number;
  readonly rmsErrorSeconds: number;
  readonly maxSyncSeconds: number;
}

/** chrony's defaults: `time_max_limit`, `freq_max_limit`, `time_rms_limit`, `max_sync_time`. */
export const CHRONY_LIMITS: Limits = Object.freeze({
  maxErrorSeconds: 1e-3,
  maxRateError: 5e-4,
  rmsErrorSeconds: 3e-4,
  maxSyncSeconds: 210,
});

export interface ErrorStatistics {
  /** Seconds until the error stayed within limits for good; Infinity if it never did. */
  readonly syncSeconds: number;
  readonly rmsSeconds: number;
  readonly maxSeconds: number;
  readonly meanSeconds: number;
  readonly rmsRateError: number;
  readonly maxRateError: number;
  readonly samples: number;
}

export interface StatisticsWindow {
  /** First time included in the RMS/max figures (chrony: its max sync time, 210 s). */
  readonly fromSeconds: number;
  readonly toSeconds?: number;
  /** Expected error the statistics are taken around (path asymmetry / 2), seconds. */
  readonly biasSeconds?: number;
  /** The reference the error is measured against, minus UTC, at time t (a stepped server). */
  readonly referenceAt?: (t: number) => number;
  /** Samples to leave out (e.g. the instant of a leap second). */
  readonly exclude?: (t: number) => boolean;
}

export function errorOf(sample: TraceSample, window: StatisticsWindow): number {
  return sample.errorSeconds - (window.referenceAt?.(sample.t) ?? 0) - (window.biasSeconds ?? 0);
}

/** Sync time as clknetsim's `find_sync`: just after the last sample outside the limits. */
export function syncTime(
  trace: readonly TraceSample[],
  window: StatisticsWindow,
  fromSeconds = 0,
  limits: Limits = CHRONY_LIMITS,
): number {
  let lastBad = fromSeconds;
  let interval = 1;
  let previous: number | undefined;
  for (const sample of trace) {
    if (previous !== undefined) interval = sample.t - previous;
    previous = sample.t;
    if (sample.t < fromSeconds || window.exclude?.(sample.t)) continue;
    if (window.toSeconds !== undefined && sample.t > window.toSeconds) break;
    const bad =
      Math.abs(errorOf(sample, window)) > limits.maxErrorSeconds ||
      Math.abs(sample.rateError) > limits.maxRateError;
    if (bad) lastBad = sample.t + interval;
  }
  const end = window.toSeconds ?? trace[trace.length - 1]?.t ?? 0;
  if (lastBad > end) return Number.POSITIVE_INFINITY;
  return lastBad - fromSeconds;
}

export function errorStatistics(
  trace: readonly TraceSample[],
  window: StatisticsWindow,
  limits: Limits = CHRONY_LIMITS,
): ErrorStatistics {
  let sum = 0;
  let sumSquares = 0;
  let max = 0;
  let rateSquares = 0;
  let maxRate = 0;
  let n = 0;
  for (const sample of trace) {
    if (sample.t < window.fromSeconds || (window.toSeconds !== undefined && sample.t > window.toSeconds))
      continue;
    if (window.exclude?.(sample.t)) continue;
    const error = errorOf(sample, window);
    sum += error;
    sumSquares += error * error;
    max = Math.max(max, Math.abs(error));
    rateSquares += sample.rateError ** 2;
    maxRate = Math.max(maxRate, Math.abs(sample.rateError));
    n++;
  }
  const count = Math.max(1, n);
  return {
    syncSeconds: syncTime(trace, window, 0, limits),
    rmsSeconds: Math.sqrt(sumSquares / count),
    maxSeconds: max,
    meanSeconds: sum / count,
    rmsRateError: Math.sqrt(rateSquares / count),
    maxRateError: maxRate,
    samples: n,
  };
}

/**
 * From the survivors of selection to the one estimate the discipline acts on, and the
 * candidates selection works with. Offsets are the sources' Kalman estimates at the present
 * moment (not the clock filter's possibly old minimum-delay sample); correctness intervals are
 * their RFC 5905 root distances.
 */
import type { Association } from "./association.js";
import type { SelectionCandidate } from "./sourceSelection.js";

export function candidateOf(a: Association, now: number): SelectionCandidate {
  return {
    id: a.id,
    offsetSeconds: a.estimator.offsetSeconds,
    rootDistanceSeconds: a.rootDistance(now),
    stratum: a.header?.stratum ?? 16,
    jitterSeconds: a.filter.jitterSeconds,
    prefer: a.config.prefer,
  };
}

/**
 * The system estimate: a surviving `prefer` peer alone (ntpd's prefer semantics), otherwise the
 * inverse-variance weighted mean of the survivors' estimates. RFC 5905 A.5.5.5 weighs offsets by
 * 1/λ; with per-source variances available those are the better weights — and frequencies must
 * be weighted by their own variance, or a source that just restarted (frequency prior 0, huge
 * variance) would drag the combined frequency toward zero.
 */
export function combineEstimates(
  peer: Association,
  survivors: readonly Association[],
): {
  offsetSeconds: number;
  frequency: number;
  frequencyVariance: number;
} {
  const members = peer.config.prefer ? [peer] : survivors;
  let offsetWeighted = 0;
  let offsetTotal = 0;
  let frequencyWeighted = 0;
  let frequencyTotal = 0;
  for (const s of members) {
    const upstream = (s.header?.rootDelaySeconds ?? 0) / 2 + (s.header?.rootDispersionSeconds ?? 0);
    const offsetWeight = 1 / (s.estimator.offsetVariance + upstream ** 2 + Number.MIN_VALUE);
    const frequencyWeight = 1 / (s.estimator.frequencyVariance + Number.MIN_VALUE);
    offsetWeighted += offsetWeight * s.estimator.offsetSeconds;
    offsetTotal += offsetWeight;
    frequencyWeighted += frequencyWeight * s.estimator.frequency;
    frequencyTotal += frequencyWeight;
  }
  return {
    offsetSeconds: offsetWeighted / offsetTotal,
    frequency: frequencyWeighted / frequencyTotal,
    frequencyVariance: 1 / frequencyTotal,
  };
}

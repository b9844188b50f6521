/**
 * The system process of RFC 5905 §11.2 (Appendix A.5.5): from the sources fit to synchronize
 * to, find the truechimers by intersection of their correctness intervals (Marzullo's
 * algorithm as RFC 5905 modifies it), trim outliers by clustering, pick the system peer
 * (honoring `prefer`, avoiding needless clock hopping), and combine the survivors' offsets.
 *
 * Pure functions over plain candidates, so the unit tests can state the RFC's cases directly.
 */
import { MAX_DISTANCE_SECONDS } from "./protocolConstants.js";

/** Minimum number of truechimers for a majority (RFC 5905 Appendix A.1.1, NSANE). */
export const MIN_TRUECHIMERS = 1;
/** Clustering stops at this many survivors (RFC 5905 Appendix A.1.1, NMIN). */
export const MIN_CLUSTER_SURVIVORS = 3;
/** At most this many survivors are kept (RFC 5905 Appendix A.1.1, NMAX). */
export const MAX_CLUSTER_SURVIVORS = 50;

export interface SelectionCandidate {
  /** The caller's identifier (association id). */
  readonly id: number;
  /** θ, seconds: the source's time minus ours. */
  readonly offsetSeconds: number;
  /** λ, seconds: the root distance, the half-width of the correctness interval. */
  readonly rootDistanceSeconds: number;
  readonly stratum: number;
  /** The source's own jitter (clock filter), seconds. */
  readonly jitterSeconds: number;
  readonly prefer: boolean;
}

export interface Intersection {
  readonly lowSeconds: number;
  readonly highSeconds: number;
  /** The number of falsetickers the intersection had to allow. */
  readonly allowed: number;
}

export interface SelectionResult {
  /** Candidates whose interval misses the intersection, or all of them when there is no majority. */
  readonly falsetickers: readonly number[];
  /** Truechimers trimmed by clustering. */
  readonly outlyers: readonly number[];
  /** The rest, best merit first. */
  readonly survivors: readonly number[];
  readonly systemPeer: number | undefined;
  /** ϑ, the RMS offset of the survivors from the system peer, weighted as `combine` weighs (RFC 5905 A.5.5.5). */
  readonly selectionJitterSeconds: number;
}

const NO_SELECTION: SelectionResult = Object.freeze({
  falsetickers: [],
  outlyers: [],
  survivors: [],
  systemPeer: undefined,
  selectionJitterSeconds: 0,
});

interface Endpoint {
  readonly value: number;
  /** +1 lower end, 0 midpoint, -1 upper end. */
  readonly type: 1 | 0 | -1;
}

/**
 * The intersection interval of RFC 5905 A.5.5.1: the smallest number of falsetickers `f` (with
 * 2f < n) such that at least n - f intervals share a point and no more than f midpoints lie
 * outside the shared interval. Undefined when there is no majority.
 */
export function intersect(candidates: readonly SelectionCandidate[]): Intersection | undefined {
  const n = candidates.length;
  if (n === 0) return undefined;
  const endpoints: Endpoint[] = [];
  for (const c of candidates) {
    endpoints.push({ value: c.offsetSeconds - c.rootDistanceSeconds, type: 1 });
    endpoints.push({ value: c.offsetSeconds, type: 0 });
    endpoints.push({ value: c.offsetSeconds + c.rootDistanceSeconds, type: -1 });
  }
  // Ties: lower ends first and upper ends last, so touching intervals count as overlapping.
  endpoints.sort((a, b) => a.value - b.value || b.type - a.type);
  for (let allowed = 0; 2 * allowed < n; allowed++) {
    let found = 0;
    let chime = 0;
    let low = Number.POSITIVE_INFINITY;
    for (const e of endpoints) {
      chime += e.type;
      if (chime >= n - allowed) {
        low = e.value;
        break;
      }
      if (e.type === 0) found++;
    }
    chime = 0;
    let high = Number.NEGATIVE_INFINITY;
    for (let i = endpoints.length - 1; i >= 0; i--) {
      const e = endpoints[i] as Endpoint;
      chime -= e.type;
      if (chime >= n - allowed) {
        high = e.value;
        break;
      }
      if (e.type === 0) found++;
    }
    if (found > allowed) continue;
    if (low <= high) return { lowSeconds: low, highSeconds: high, allowed };
  }
  return undefined;
}

/** RFC 5905 merit: lower stratum first, then shorter root distance (A.5.5.2). */
export function merit(c: SelectionCandidate): number {
  return c.stratum * MAX_DISTANCE_SECONDS + c.rootDistanceSeconds;
}

/**
 * RFC 5905 A.5.5.2 cluster algorithm: while more than NMIN survive, drop the survivor with the
 * largest selection jitter unless that jitter is already below the smallest source jitter.
 * Returns survivors (best merit first) and the dropped outlyers.
 */
export function cluster(truechimers: readonly SelectionCandidate[]): {
  survivors: SelectionCandidate[];
  outlyers: SelectionCandidate[];
} {
  const survivors = [...truechimers].sort((a, b) => merit(a) - merit(b));
  const outlyers = survivors.splice(MAX_CLUSTER_SURVIVORS);
  while (survivors.length > MIN_CLUSTER_SURVIVORS) {
    let worst = 0;
    let worstJitter = -1;
    let minPeerJitter = Number.POSITIVE_INFINITY;
    for (let i = 0; i < survivors.length; i++) {
      const si = survivors[i] as SelectionCandidate;
      let sum = 0;
      for (const sj of survivors) sum += (sj.offsetSeconds - si.offsetSeconds) ** 2;
      const jitter = Math.sqrt(sum / (survivors.length - 1));
      if (jitter > worstJitter) {
        worstJitter = jitter;
        worst = i;
      }
      minPeerJitter = Math.min(minPeerJitter, si.jitterSeconds);
    }
    if (worstJitter <= minPeerJitter) break;
    outlyers.push(...survivors.splice(worst, 1));
  }
  return { survivors, outlyers };
}

/**
 * Intersection, clustering and the choice of system peer. `currentPeer` is kept when it
 * survives at the best stratum (no clock hopping among equals); a surviving `prefer` source
 * always wins (RFC 5905 A.5.5.2 and ntpd's prefer peer).
 */
export function selectSources(
  candidates: readonly SelectionCandidate[],
  currentPeer: number | undefined,
): SelectionResult {
  if (candidates.length === 0) return NO_SELECTION;
  const interval = intersect(candidates);
  if (interval === undefined) {
    return { ...NO_SELECTION, falsetickers: candidates.map((c) => c.id) };
  }
  const truechimers: SelectionCandidate[] = [];
  const falsetickers: number[] = [];
  for (const c of candidates) {
    const overlaps =
      c.offsetSeconds - c.rootDistanceSeconds <= interval.highSeconds &&
      c.offsetSeconds + c.rootDistanceSeconds >= interval.lowSeconds;
    if (overlaps) truechimers.push(c);
    else falsetickers.push(c.id);
  }
  if (truechimers.length < MIN_TRUECHIMERS)
    return { ...NO_SELECTION, falsetickers: candidates.map((c) => c.id) };
  const { survivors, outlyers } = cluster(truechimers);
  const best = survivors[0] as SelectionCandidate;
  const preferred = survivors.find((c) => c.prefer);
  const incumbent = survivors.find((c) => c.id === currentPeer && c.stratum === best.stratum);
  const systemPeer = preferred ?? incumbent ?? best;
  return {
    falsetickers,
    outlyers: outlyers.map((c) => c.id),
    survivors: survivors.map((c) => c.id),
    systemPeer: systemPeer.id,
    selectionJitterSeconds: selectionJitter(survivors, systemPeer),
  };
}

/** Weighted mean of `value` over `survivors` with RFC 5905 A.5.5.5 weights 1/λ. */
export function combine<T extends { readonly rootDistanceSeconds: number }>(
  survivors: readonly T[],
  value: (survivor: T) => number,
): number {
  let weighted = 0;
  let total = 0;
  for (const s of survivors) {
    const weight = 1 / Math.max(s.rootDistanceSeconds, Number.MIN_VALUE);
    weighted += weight * value(s);
    total += weight;
  }
  return total > 0 ? weighted / total : 0;
}

function selectionJitter(survivors: readonly SelectionCandidate[], peer: SelectionCandidate): number {
  let weighted = 0;
  let total = 0;
  for (const s of survivors) {
    const weight = 1 / Math.max(s.rootDistanceSeconds, Number.MIN_VALUE);
    weighted += weight * (s.offsetSeconds - peer.offsetSeconds) ** 2;
    total += weight;
  }
  return total > 0 ? Math.sqrt(weighted / total) : 0;
}

/**
 * The clock filter of RFC 5905 §10 (Appendix A.5.2 `clock_filter`): an eight-stage shift
 * register of (offset, delay, dispersion, time) samples per association. The sample with the
 * lowest delay is the best estimate of the offset, because its error is bounded by half its
 * delay; the association's dispersion is the delay-sorted dispersions weighted 1/2, 1/4, ...;
 * its jitter is the RMS distance of the other offsets from the best one.
 *
 * These are the figures `show ntp associations [detail]` prints (delay, offset, disp, the
 * filtdelay/filtoffset/filterror registers). The discipline in this client is fed by the
 * per-source estimator (`sourceEstimator.ts`), not by this filter's output; `newSample` is
 * still computed as RFC 5905 defines it so the two can be compared in the simulator.
 */
import { FREQUENCY_TOLERANCE, MAX_DISPERSION_SECONDS } from "./protocolConstants.js";

/** Number of filter stages (RFC 5905 Appendix A.1.1, NSTAGE). */
export const FILTER_STAGES = 8;

/** Popcorn spike gate, in multiples of the jitter (RFC 5905 Appendix A.1.1, SGATE). */
export const SPIKE_GATE = 3;

/** One register: a sample, or a placeholder (`dummy`) with the maximum dispersion. */
export interface FilterStage {
  readonly offsetSeconds: number;
  readonly delaySeconds: number;
  /** Dispersion, including growth at PHI since the sample was taken (RFC 5905 §10). */
  readonly dispersionSeconds: number;
  /** Monotonic time of the sample. */
  readonly timeSeconds: number;
  readonly dummy: boolean;
}

/** A new measurement: on-wire offset, round-trip delay and dispersion (RFC 5905 §8). */
export interface FilterInput {
  readonly offsetSeconds: number;
  readonly delaySeconds: number;
  readonly dispersionSeconds: number;
}

export class ClockFilter {
  #stages: FilterStage[] = [];
  #lastShiftSeconds: number | undefined;
  /** Time of the sample last passed on (RFC 5905 `p->t`). */
  #usedTimeSeconds = Number.NEGATIVE_INFINITY;
  #offset = 0;
  #delay = 0;
  #dispersion = MAX_DISPERSION_SECONDS;
  #jitter = 0;
  readonly #precisionSeconds: number;

  /** `systemPrecisionSeconds` is the floor of the jitter (RFC 5905 A.5.2: LOG2D(s.precision)). */
  constructor(systemPrecisionSeconds: number) {
    this.#precisionSeconds = systemPrecisionSeconds;
    this.reset();
  }

  /** Back to eight placeholders, as after mobilization or a clock step (RFC 5905 Appendix A `clear()`). */
  reset(): void {
    this.#stages = Array.from({ length: FILTER_STAGES }, () => dummyStage(0));
    this.#lastShiftSeconds = undefined;
    this.#usedTimeSeconds = Number.NEGATIVE_INFINITY;
    this.#offset = 0;
    this.#delay = 0;
    this.#jitter = 0;
    this.#dispersion = weightedDispersion(this.#stages);
  }

  /**
   * Shifts `sample` in at monotonic time `nowSeconds` and recomputes the outputs. Returns true
   * when RFC 5905 would pass the result on to the system process: the best sample is newer than
   * the last one passed on and is not a popcorn spike.
   */
  add(sample: FilterInput, nowSeconds: number, pollLog2: number): boolean {
    const previousOffset = this.#offset;
    const previousJitter = this.#jitter;
    this.#shift({
      offsetSeconds: sample.offsetSeconds,
      delaySeconds: sample.delaySeconds,
      dispersionSeconds: sample.dispersionSeconds,
      timeSeconds: nowSeconds,
      dummy: false,
    });
    const best = this.#recompute();
    if (best === undefined || best.timeSeconds <= this.#usedTimeSeconds) return false;
    const recent = best.timeSeconds - this.#usedTimeSeconds < 2 * 2 ** pollLog2;
    if (
      recent &&
      previousJitter > 0 &&
      Math.abs(best.offsetSeconds - previousOffset) > SPIKE_GATE * previousJitter
    ) {
      return false;
    }
    this.#usedTimeSeconds = best.timeSeconds;
    return true;
  }

  /**
   * Shifts in a placeholder: the server has not answered the last three polls, so its
   * dispersion grows and it becomes less desirable (RFC 5905 A.5.7.1 `clock_filter(p, 0, 0, MAXDISP)`).
   */
  addDummy(nowSeconds: number): void {
    this.#shift(dummyStage(nowSeconds));
    this.#recompute();
  }

  get offsetSeconds(): number {
    return this.#offset;
  }

  get delaySeconds(): number {
    return this.#delay;
  }

  get dispersionSeconds(): number {
    return this.#dispersion;
  }

  get jitterSeconds(): number {
    return this.#jitter;
  }

  /** Whether any stage holds a real sample. */
  get hasSamples(): boolean {
    return this.#stages.some((stage) => !stage.dummy);
  }

  /** Lowest delay among the real samples (the path's best case), or undefined. */
  get minimumDelaySeconds(): number | undefined {
    let minimum: number | undefined;
    for (const stage of this.#stages) {
      if (!stage.dummy && (minimum === undefined || stage.delaySeconds < minimum))
        minimum = stage.delaySeconds;
    }
    return minimum;
  }

  /** Mean of the real samples' delays above the lowest one: how much the path's delay jitters. */
  get meanExcessDelaySeconds(): number {
    const minimum = this.minimumDelaySeconds;
    if (minimum === undefined) return 0;
    let sum = 0;
    let count = 0;
    for (const stage of this.#stages) {
      if (stage.dummy) continue;
      sum += stage.delaySeconds - minimum;
      count++;
    }
    return count > 1 ? sum / (count - 1) : 0;
  }

  /** The registers, newest first, with dispersion grown to `nowSeconds`. */
  stages(nowSeconds: number): readonly FilterStage[] {
    const grow = this.#lastShiftSeconds === undefined ? 0 : Math.max(0, nowSeconds - this.#lastShiftSeconds);
    return this.#stages.map((stage) => ({
      ...stage,
      dispersionSeconds: Math.min(
        MAX_DISPERSION_SECONDS,
        stage.dispersionSeconds + FREQUENCY_TOLERANCE * grow,
      ),
    }));
  }

  #shift(stage: FilterStage): void {
    const now = stage.timeSeconds;
    const grow = this.#lastShiftSeconds === undefined ? 0 : Math.max(0, now - this.#lastShiftSeconds);
    this.#lastShiftSeconds = now;
    const aged = this.#stages.slice(0, FILTER_STAGES - 1).map((old) => ({
      ...old,
      dispersionSeconds: Math.min(MAX_DISPERSION_SECONDS, old.dispersionSeconds + FREQUENCY_TOLERANCE * grow),
    }));
    this.#stages = [stage, ...aged];
  }

  /** RFC 5905 A.5.2: sort by delay (placeholders last), then offset, delay, dispersion, jitter. */
  #recompute(): FilterStage | undefined {
    const sorted = [...this.#stages].sort(byDelay);
    const valid = sorted.filter((stage) => !stage.dummy);
    this.#dispersion = weightedDispersion(sorted);
    const best = valid[0];
    if (best === undefined) {
      this.#offset = 0;
      this.#delay = 0;
      this.#jitter = 0;
      return undefined;
    }
    this.#offset = best.offsetSeconds;
    this.#delay = best.delaySeconds;
    let sum = 0;
    for (const stage of valid) sum += (stage.offsetSeconds - best.offsetSeconds) ** 2;
    this.#jitter = Math.max(Math.sqrt(sum / Math.max(1, valid.length - 1)), this.#precisionSeconds);
    return best;
  }
}

function dummyStage(timeSeconds: number): FilterStage {
  return {
    offsetSeconds: 0,
    delaySeconds: 0,
    dispersionSeconds: MAX_DISPERSION_SECONDS,
    timeSeconds,
    dummy: true,
  };
}

/** Placeholders sort after every real sample (ntpd does the same: RFC 5905's list gives them delay 0). */
function byDelay(a: FilterStage, b: FilterStage): number {
  if (a.dummy !== b.dummy) return a.dummy ? 1 : -1;
  return a.delaySeconds - b.delaySeconds;
}

/** ε = Σ εᵢ / 2^(i+1) over the sorted stages (RFC 5905 §10); 15.9375 s with no samples at all. */
function weightedDispersion(sorted: readonly FilterStage[]): number {
  let dispersion = 0;
  for (let i = sorted.length - 1; i >= 0; i--) {
    dispersion = 0.5 * (dispersion + (sorted[i] as FilterStage).dispersionSeconds);
  }
  return dispersion;
}

/**
 * The clock discipline: turns the combined offset and frequency estimate of the survivors into
 * steps, slews and frequency changes of the `DisciplinedClock`, with RFC 5905's safety rules
 * (Appendix A.5.5.6 `local_clock()`): offsets above the step threshold (128 ms) are stepped —
 * at once on the first update, otherwise only after they persisted for the stepout interval
 * (900 s, the SPIK state) — and offsets above the panic threshold (1000 s) are refused except
 * on the first update. Smaller offsets are slewed: the frequency is raised by offset/duration
 * for `duration` and lowered again by the client's timer. The poll exponent follows RFC 5905
 * §13's jiggle counter, fed with how surprising each update was.
 *
 * The frequency is not estimated by a PLL/FLL here but by the per-source Kalman estimators
 * (`sourceEstimator.ts`), combined by the client; this module applies it. Loop states are the
 * ones `show ntp status` prints: NSET (never set), FREQ (drift being measured), SPIK (spike),
 * CTRL (normal controlled loop).
 */

import type { LoopState } from "../ntpSnapshot.js";
import type { DisciplinedClock } from "./disciplinedClock.js";

/** Step threshold, seconds (RFC 5905 Appendix A.1.1, STEPT). */
export const STEP_THRESHOLD_SECONDS = 0.128;
/** Stepout: how long an over-threshold offset must persist before it is stepped (A.1.1, WATCH). */
export const STEPOUT_SECONDS = 900;
/** Panic threshold, seconds (A.1.1, PANICT; IOS `ntp panic`). */
export const PANIC_THRESHOLD_SECONDS = 1000;
/** Largest frequency correction, s/s (A.1.1, MAXFREQ: 500 ppm). */
export const MAX_FREQUENCY = 500e-6;
/**
 * Fastest slew, s/s. ntpd's kernel slews at 500 ppm (a 128 ms correction takes 256 s) and chrony
 * at up to 83 333 ppm; 5000 ppm finishes any slewable offset within 26 s while clients of this
 * box see its rate off by at most 0.5 %.
 */
export const MAX_SLEW_RATE = 5000e-6;
/** Poll-adjust gate, in innovation standard deviations (A.1.1, PGATE). */
export const POLL_GATE = 4;
/** Jiggle counter limit (A.1.1, LIMIT). */
export const POLL_LIMIT = 30;
/** Frequency uncertainty below which the drift counts as measured (FREQ → CTRL), s/s. */
export const FREQUENCY_SETTLED = 1e-6;

/** Keeps the client's per-source estimators consistent with what the discipline does. */
export interface CorrectionListener {
  /** Bring every estimate to `now` under the slew rate that has applied until now. */
  advanceTo(nowSeconds: number, slewRate: number): void;
  /** The base frequency correction changed by `delta` s/s. */
  frequencyShifted(delta: number): void;
}

/** The combined estimate the client hands over at each update. */
export interface SystemEstimate {
  /** θ: the survivors' time minus ours, seconds, at `now`. */
  readonly offsetSeconds: number;
  /** φ: how fast θ grows with the current frequency correction, s/s. */
  readonly frequency: number;
  readonly frequencyVariance: number;
  /**
   * |innovation| / σ of the system peer's new sample, the poll process input; undefined when
   * the update was triggered by another survivor (RFC 5905 adjusts the poll on the peer only).
   */
  readonly surprise: number | undefined;
}

export type DisciplineAction =
  | {
      readonly kind: "slew";
      readonly offsetSeconds: number;
      readonly durationSeconds: number;
      readonly frequencyPpm: number;
    }
  | { readonly kind: "step"; readonly offsetSeconds: number }
  /** Over the step threshold, waiting for the stepout to expire. */
  | { readonly kind: "spike"; readonly offsetSeconds: number }
  /** Over the panic threshold: ignored. */
  | { readonly kind: "panic"; readonly offsetSeconds: number };

export interface DisciplineSettings {
  readonly minPollLog2: number;
  readonly maxPollLog2: number;
}

export class ClockDiscipline {
  #state: LoopState = "NSET";
  /** Base frequency correction (without the slew), s/s. */
  #frequency: number;
  #slewRate = 0;
  #slewEndsAt: number | undefined;
  #spikeSince: number | undefined;
  #pollLog2: number;
  #jiggle = 0;
  #lastOffsetSeconds = 0;
  #lastUpdateAt: number | undefined;
  #settings: DisciplineSettings;

  constructor(
    private readonly clock: DisciplinedClock,
    settings: DisciplineSettings,
    private readonly listener: CorrectionListener,
  ) {
    this.#settings = settings;
    this.#pollLog2 = settings.minPollLog2;
    this.#frequency = clock.frequencyPpm() * 1e-6;
  }

  get loopState(): LoopState {
    return this.#state;
  }

  /** Base frequency correction, ppm: the value to persist in the drift file. */
  get frequencyPpm(): number {
    return this.#frequency * 1e6;
  }

  get slewRate(): number {
    return this.#slewRate;
  }

  get pollLog2(): number {
    return this.#pollLog2;
  }

  /** The offset corrected at the last update, seconds (`clock offset is` in `show ntp status`). */
  get lastOffsetSeconds(): number {
    return this.#lastOffsetSeconds;
  }

  get lastUpdateAt(): number | undefined {
    return this.#lastUpdateAt;
  }

  /** When the running slew ends; the client's timer must fire then. */
  get slewEndsAt(): number | undefined {
    return this.#slewEndsAt;
  }

  /** Whether a previous update has set the clock (the panic threshold applies from then on). */
  get everSet(): boolean {
    return this.#state !== "NSET";
  }

  updateSettings(settings: DisciplineSettings): void {
    this.#settings = settings;
    this.#pollLog2 = Math.max(settings.minPollLog2, Math.min(settings.maxPollLog2, this.#pollLog2));
  }

  /** Restores a persisted frequency (drift file) before the first update. */
  restoreFrequencyPpm(ppm: number, nowSeconds: number): void {
    this.#changeBase(clampFrequency(ppm * 1e-6), nowSeconds);
  }

  /** Ends a slew that is due; call on every timer. */
  tick(nowSeconds: number): void {
    if (this.#slewEndsAt !== undefined && nowSeconds >= this.#slewEndsAt)
      this.#setSlew(0, undefined, nowSeconds);
  }

  /** A new combined estimate at `nowSeconds` (estimators already advanced to it). */
  update(nowSeconds: number, estimate: SystemEstimate): DisciplineAction {
    const offset = estimate.offsetSeconds;
    if (Math.abs(offset) > PANIC_THRESHOLD_SECONDS && this.everSet)
      return { kind: "panic", offsetSeconds: offset };
    if (Math.abs(offset) > STEP_THRESHOLD_SECONDS) {
      if (this.everSet && this.#state !== "SPIK") {
        this.#state = "SPIK";
        this.#spikeSince = nowSeconds;
        this.#adjustPoll(false);
        return { kind: "spike", offsetSeconds: offset };
      }
      if (this.#state === "SPIK" && nowSeconds - (this.#spikeSince ?? nowSeconds) < STEPOUT_SECONDS) {
        return { kind: "spike", offsetSeconds: offset };
      }
      return this.#step(nowSeconds, offset, estimate);
    }
    this.#spikeSince = undefined;
    const wanted = this.#frequency + estimate.frequency;
    this.#changeBase(clampFrequency(wanted), nowSeconds);
    const duration = Math.max(Math.abs(offset) / MAX_SLEW_RATE, this.#slewTime());
    this.#setSlew(offset / duration, nowSeconds + duration, nowSeconds);
    const settled =
      clampFrequency(wanted) === wanted && Math.sqrt(estimate.frequencyVariance) < FREQUENCY_SETTLED;
    this.#state = settled ? "CTRL" : "FREQ";
    if (estimate.surprise !== undefined) this.#adjustPoll(estimate.surprise < POLL_GATE);
    this.#lastOffsetSeconds = offset;
    this.#lastUpdateAt = nowSeconds;
    return {
      kind: "slew",
      offsetSeconds: offset,
      durationSeconds: duration,
      frequencyPpm: this.frequencyPpm,
    };
  }

  /** No usable source: keep the frequency (holdover), let a running slew finish. */
  holdover(): void {
    this.#spikeSince = undefined;
    if (this.#state === "SPIK") this.#state = "CTRL";
  }

  #step(nowSeconds: number, offset: number, estimate: SystemEstimate): DisciplineAction {
    this.#setSlew(0, undefined, nowSeconds);
    this.clock.step(offset);
    const settled = Math.sqrt(estimate.frequencyVariance) < FREQUENCY_SETTLED;
    this.#state = settled ? "CTRL" : "FREQ";
    this.#spikeSince = undefined;
    this.#pollLog2 = this.#settings.minPollLog2;
    this.#jiggle = 0;
    this.#lastOffsetSeconds = offset;
    this.#lastUpdateAt = nowSeconds;
    return { kind: "step", offsetSeconds: offset };
  }

  /** Slews take a quarter of the poll interval: fast enough to track, slow enough not to chase noise. */
  #slewTime(): number {
    return 2 ** this.#pollLog2 / 4;
  }

  /** RFC 5905 A.5.5.6: the jiggle counter moves the poll exponent up when updates are unsurprising. */
  #adjustPoll(quiet: boolean): void {
    const { minPollLog2, maxPollLog2 } = this.#settings;
    if (quiet) {
      this.#jiggle += this.#pollLog2;
      if (this.#jiggle > POLL_LIMIT) {
        this.#jiggle = POLL_LIMIT;
        if (this.#pollLog2 < maxPollLog2) {
          this.#jiggle = 0;
          this.#pollLog2++;
        }
      }
      return;
    }
    this.#jiggle -= 2 * this.#pollLog2;
    if (this.#jiggle < -POLL_LIMIT) {
      this.#jiggle = -POLL_LIMIT;
      if (this.#pollLog2 > minPollLog2) {
        this.#jiggle = 0;
        this.#pollLog2--;
      }
    }
  }

  /** Sets the base frequency, keeping the estimators consistent with the change. */
  #changeBase(frequency: number, nowSeconds: number): void {
    const delta = frequency - this.#frequency;
    if (delta === 0) return;
    this.listener.advanceTo(nowSeconds, this.#slewRate);
    this.#frequency = frequency;
    this.listener.frequencyShifted(delta);
    this.clock.setFrequencyPpm((this.#frequency + this.#slewRate) * 1e6);
  }

  #setSlew(rate: number, endsAt: number | undefined, nowSeconds: number): void {
    this.listener.advanceTo(nowSeconds, this.#slewRate);
    this.#slewRate = rate;
    this.#slewEndsAt = endsAt;
    this.clock.setFrequencyPpm((this.#frequency + this.#slewRate) * 1e6);
  }
}

function clampFrequency(frequency: number): number {
  return Math.max(-MAX_FREQUENCY, Math.min(MAX_FREQUENCY, frequency));
}

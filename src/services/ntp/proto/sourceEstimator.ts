/**
 * Per-source offset and frequency estimate: a two-state Kalman filter, the approach of ntpd-rs
 * (`ntp-proto/src/algorithm/kalman/source.rs`, docs/algorithm/algorithm.tex), written from the
 * model, not from its code.
 *
 * State: θ, the source's time minus ours (what an NTP exchange measures), and φ = dθ/dt, the
 * rate at which our clock loses on the source with the frequency correction currently applied.
 * Model between measurements: θ grows by φ·dt minus whatever the client slewed in the meantime
 * (known exactly, it is the client's own command); φ does a random walk whose strength is the
 * oscillator's wander. Each exchange measures θ with a variance the caller derives from the
 * sample's delay (a sample's error is bounded by half of its delay in excess of the path's
 * minimum), so every sample is used, weighted by its quality, instead of only the minimum-delay
 * one. When the client changes the frequency by Δ, φ shifts by -Δ; when it steps, the estimator
 * is reset.
 *
 * Why not RFC 5905's PLL/FLL: it takes hours to settle a 100 ppm error at poll 64 and uses one
 * sample in several; chrony's clknetsim bar (sync within 210 s, RMS < 300 µs) needs the
 * frequency from the second sample on. The simulator (test/sim) holds the numbers.
 */

/** A measurement further than this many innovation standard deviations is an outlier. */
export const OUTLIER_GATE_SIGMA = 5;

/** After this many consecutive outliers the source has changed (it stepped): start over. */
export const MAX_CONSECUTIVE_OUTLIERS = 3;

export interface EstimatorSettings {
  /**
   * Initial random-walk strength of the frequency, (s/s)/√s: how fast old samples are
   * forgotten. It then adapts to the data within [minFrequencyWander, maxFrequencyWander].
   */
  readonly frequencyWander: number;
  readonly minFrequencyWander: number;
  readonly maxFrequencyWander: number;
  /** Random-walk strength of the phase, s/√s (white frequency noise of the oscillator). */
  readonly phaseWander: number;
}

export const DEFAULT_ESTIMATOR_SETTINGS: EstimatorSettings = Object.freeze({
  // A quartz oscillator in a stable room wanders by about 1e-9 (s/s)/√s (chrony's clknetsim
  // default). Starting low matters: a filter that assumes too much wander chases noise and its
  // innovations still look consistent, so only an underestimate can be detected and corrected
  // (upwards) from the innovations; chrony's 1e-7 "large wander" scenario checks that path.
  frequencyWander: 1e-9,
  minFrequencyWander: 1e-10,
  maxFrequencyWander: 1e-6,
  phaseWander: 1e-9,
});

/**
 * Wander adaptation: the mean normalized innovation squared should be 1 when the model is
 * right. Averaged over this many updates, above `NIS_HIGH` the wander doubles (the source moves
 * more than modelled), below `NIS_LOW` it halves (the estimate is chasing noise).
 */
const NIS_AVERAGING = 16;
const NIS_HIGH = 2;
const NIS_LOW = 0.5;

export interface OffsetMeasurement {
  readonly offsetSeconds: number;
  /** Variance of the measurement, s². */
  readonly varianceSeconds2: number;
  /** Monotonic time of the measurement. */
  readonly timeSeconds: number;
}

export type EstimatorUpdate =
  /** Used; `innovationSeconds` is how far the measurement was from the prediction. */
  | { readonly kind: "accepted"; readonly innovationSeconds: number; readonly normalizedInnovation: number }
  /** The first measurement after creation or reset: it sets θ; φ keeps its prior. */
  | { readonly kind: "initialized" }
  | { readonly kind: "outlier"; readonly normalizedInnovation: number }
  /** Several outliers in a row: the estimate restarted from this measurement. */
  | { readonly kind: "restarted" };

export class SourceEstimator {
  #offset = 0;
  #frequency = 0;
  #p00 = 0;
  #p01 = 0;
  #p11 = 0;
  #timeSeconds = 0;
  #initialized = false;
  #outliers = 0;
  #frequencyWander: number;
  #nisAverage = 1;
  readonly #settings: EstimatorSettings;
  #initialFrequencyVariance: number;

  /** `initialFrequencyStdDev`: how far off our frequency may be before the first samples, s/s. */
  constructor(settings: EstimatorSettings, initialFrequencyStdDev: number) {
    this.#settings = settings;
    this.#frequencyWander = settings.frequencyWander;
    this.#initialFrequencyVariance = initialFrequencyStdDev ** 2;
  }

  /** The frequency wander the estimate currently assumes, (s/s)/√s. */
  get frequencyWander(): number {
    return this.#frequencyWander;
  }

  get initialized(): boolean {
    return this.#initialized;
  }

  /** θ at the time of the last `advance` or `update`, seconds. */
  get offsetSeconds(): number {
    return this.#offset;
  }

  /** φ, s/s: positive when our clock runs slow against the source. */
  get frequency(): number {
    return this.#frequency;
  }

  get offsetVariance(): number {
    return this.#p00;
  }

  get frequencyVariance(): number {
    return this.#p11;
  }

  /** Forgets everything; the next measurement starts a new estimate with this frequency prior. */
  reset(initialFrequencyStdDev: number): void {
    this.#initialized = false;
    this.#outliers = 0;
    this.#initialFrequencyVariance = initialFrequencyStdDev ** 2;
  }

  /**
   * Predicts the state forward to `nowSeconds` while the client slews at `slewRate` (s/s; the
   * clock gains that much on top of its frequency correction, so θ shrinks by it).
   */
  advance(nowSeconds: number, slewRate: number): void {
    if (!this.#initialized) return;
    const dt = nowSeconds - this.#timeSeconds;
    if (!(dt > 0)) return;
    const qf = this.#frequencyWander ** 2;
    const qp = this.#settings.phaseWander ** 2;
    this.#offset += (this.#frequency - slewRate) * dt;
    // P = F P Fᵀ + Q with F = [[1, dt], [0, 1]] and the integrated random-walk noise Q.
    const p00 = this.#p00 + 2 * dt * this.#p01 + dt * dt * this.#p11 + (qf * dt ** 3) / 3 + qp * dt;
    const p01 = this.#p01 + dt * this.#p11 + (qf * dt * dt) / 2;
    const p11 = this.#p11 + qf * dt;
    this.#p00 = p00;
    this.#p01 = p01;
    this.#p11 = p11;
    this.#timeSeconds = nowSeconds;
  }

  /** The client changed the clock's frequency by `deltaFrequency` (s/s): φ follows. */
  shiftFrequency(deltaFrequency: number): void {
    this.#frequency -= deltaFrequency;
  }

  /** Incorporates a measurement taken at `measurement.timeSeconds` (call `advance` to it first). */
  update(measurement: OffsetMeasurement): EstimatorUpdate {
    if (!this.#initialized) {
      this.#start(measurement, this.#initialFrequencyVariance, 0);
      return { kind: "initialized" };
    }
    const innovation = measurement.offsetSeconds - this.#offset;
    const innovationVariance = this.#p00 + measurement.varianceSeconds2;
    const normalizedInnovation = innovation / Math.sqrt(innovationVariance);
    if (Math.abs(normalizedInnovation) > OUTLIER_GATE_SIGMA) {
      this.#outliers++;
      if (this.#outliers < MAX_CONSECUTIVE_OUTLIERS) return { kind: "outlier", normalizedInnovation };
      // The source moved: keep the frequency knowledge (it is about our oscillator), drop the offset.
      this.#start(measurement, Math.max(this.#p11, this.#initialFrequencyVariance * 1e-4), this.#frequency);
      return { kind: "restarted" };
    }
    this.#outliers = 0;
    this.#adaptWander(normalizedInnovation ** 2);
    const gain0 = this.#p00 / innovationVariance;
    const gain1 = this.#p01 / innovationVariance;
    this.#offset += gain0 * innovation;
    this.#frequency += gain1 * innovation;
    const p00 = (1 - gain0) * this.#p00;
    const p01 = (1 - gain0) * this.#p01;
    const p11 = this.#p11 - gain1 * this.#p01;
    this.#p00 = p00;
    this.#p01 = p01;
    this.#p11 = Math.max(p11, 0);
    return { kind: "accepted", innovationSeconds: innovation, normalizedInnovation };
  }

  #adaptWander(nis: number): void {
    this.#nisAverage += (nis - this.#nisAverage) / NIS_AVERAGING;
    const { minFrequencyWander, maxFrequencyWander } = this.#settings;
    if (this.#nisAverage > NIS_HIGH) {
      this.#frequencyWander = Math.min(maxFrequencyWander, this.#frequencyWander * 2);
      this.#nisAverage = 1;
    } else if (this.#nisAverage < NIS_LOW) {
      this.#frequencyWander = Math.max(minFrequencyWander, this.#frequencyWander / 2);
      this.#nisAverage = 1;
    }
  }

  #start(measurement: OffsetMeasurement, frequencyVariance: number, frequency: number): void {
    this.#initialized = true;
    this.#outliers = 0;
    this.#offset = measurement.offsetSeconds;
    this.#frequency = frequency;
    this.#p00 = measurement.varianceSeconds2;
    this.#p01 = 0;
    this.#p11 = frequencyVariance;
    this.#timeSeconds = measurement.timeSeconds;
  }
}

import { describe, expect, it } from "vitest";
import {
  DEFAULT_ESTIMATOR_SETTINGS,
  MAX_CONSECUTIVE_OUTLIERS,
  SourceEstimator,
} from "../../../../src/services/ntp/proto/sourceEstimator.js";

const R = 20e-6 ** 2;

describe("the per-source offset/frequency estimator", () => {
  it("starts from the first measurement and learns the frequency from the second", () => {
    const estimator = new SourceEstimator(DEFAULT_ESTIMATOR_SETTINGS, 500e-6);
    expect(estimator.update({ offsetSeconds: 0.01, varianceSeconds2: R, timeSeconds: 0 })).toEqual({
      kind: "initialized",
    });
    estimator.advance(64, 0);
    // 100 ppm: the source gains 6.4 ms on us in 64 s.
    const update = estimator.update({ offsetSeconds: 0.01 + 0.0064, varianceSeconds2: R, timeSeconds: 64 });
    expect(update.kind).toBe("accepted");
    expect(estimator.frequency).toBeCloseTo(100e-6, 7);
    expect(Math.sqrt(estimator.frequencyVariance)).toBeLessThan(1e-6);
  });

  it("predicts with the frequency and the slew the client applied", () => {
    const estimator = new SourceEstimator(DEFAULT_ESTIMATOR_SETTINGS, 500e-6);
    estimator.update({ offsetSeconds: 0, varianceSeconds2: R, timeSeconds: 0 });
    estimator.advance(64, 0);
    estimator.update({ offsetSeconds: 0.0064, varianceSeconds2: R, timeSeconds: 64 });
    // Slewing 1 ms/s for 10 s removes 10 ms while the frequency adds 1 ms.
    estimator.advance(74, 1e-3);
    expect(estimator.offsetSeconds).toBeCloseTo(0.0064 + 0.001 - 0.01, 6);
  });

  it("moves its frequency with the client's frequency changes", () => {
    const estimator = new SourceEstimator(DEFAULT_ESTIMATOR_SETTINGS, 500e-6);
    estimator.update({ offsetSeconds: 0, varianceSeconds2: R, timeSeconds: 0 });
    estimator.advance(64, 0);
    estimator.update({ offsetSeconds: 0.0064, varianceSeconds2: R, timeSeconds: 64 });
    estimator.shiftFrequency(100e-6);
    expect(estimator.frequency).toBeCloseTo(0, 7);
  });

  it("ignores isolated outliers and restarts after several in a row", () => {
    const estimator = new SourceEstimator(DEFAULT_ESTIMATOR_SETTINGS, 1e-6);
    let t = 0;
    estimator.update({ offsetSeconds: 0, varianceSeconds2: R, timeSeconds: t });
    for (let i = 0; i < 5; i++) {
      t += 64;
      estimator.advance(t, 0);
      estimator.update({ offsetSeconds: 0, varianceSeconds2: R, timeSeconds: t });
    }
    const kinds: string[] = [];
    for (let i = 0; i < MAX_CONSECUTIVE_OUTLIERS; i++) {
      t += 64;
      estimator.advance(t, 0);
      kinds.push(estimator.update({ offsetSeconds: 0.5, varianceSeconds2: R, timeSeconds: t }).kind);
    }
    expect(kinds).toEqual(["outlier", "outlier", "restarted"]);
    expect(estimator.offsetSeconds).toBe(0.5);
  });

  it("raises its wander when the source moves more than modelled", () => {
    const estimator = new SourceEstimator(DEFAULT_ESTIMATOR_SETTINGS, 1e-6);
    let t = 0;
    let offset = 0;
    let frequency = 0;
    let seed = 7;
    const normal = () => {
      seed = (seed * 16807) % 2147483647;
      const u = seed / 2147483647;
      seed = (seed * 16807) % 2147483647;
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * (seed / 2147483647));
    };
    estimator.update({ offsetSeconds: 0, varianceSeconds2: R, timeSeconds: 0 });
    for (let i = 0; i < 200; i++) {
      t += 16;
      frequency += 1e-7 * Math.sqrt(16) * normal();
      offset += frequency * 16;
      estimator.advance(t, 0);
      estimator.update({ offsetSeconds: offset, varianceSeconds2: R, timeSeconds: t });
    }
    expect(estimator.frequencyWander).toBeGreaterThan(DEFAULT_ESTIMATOR_SETTINGS.frequencyWander * 8);
  });
});

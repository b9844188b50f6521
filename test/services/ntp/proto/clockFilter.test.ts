import { describe, expect, it } from "vitest";
import { ClockFilter, FILTER_STAGES } from "../../../../src/services/ntp/proto/clockFilter.js";

const PRECISION = 2 ** -20;

function sample(offsetMs: number, delayMs: number, dispersionMs = 0.01) {
  return {
    offsetSeconds: offsetMs / 1000,
    delaySeconds: delayMs / 1000,
    dispersionSeconds: dispersionMs / 1000,
  };
}

describe("the clock filter (RFC 5905 §10)", () => {
  it("starts with eight placeholders: dispersion 16 s × (1 - 2⁻⁸) = 15.9375 s, as IOS shows `15937.`", () => {
    const filter = new ClockFilter(PRECISION);
    expect(filter.hasSamples).toBe(false);
    expect(filter.dispersionSeconds).toBe(15.9375);
    expect(filter.stages(0)).toHaveLength(FILTER_STAGES);
  });

  it("takes the offset of the lowest-delay sample, not the newest", () => {
    const filter = new ClockFilter(PRECISION);
    filter.add(sample(5, 30), 0, 6);
    filter.add(sample(1, 10), 64, 6);
    filter.add(sample(9, 50), 128, 6);
    expect(filter.offsetSeconds).toBeCloseTo(0.001, 9);
    expect(filter.delaySeconds).toBeCloseTo(0.01, 9);
    expect(filter.minimumDelaySeconds).toBeCloseTo(0.01, 9);
  });

  it("computes the jitter as the RMS distance of the other offsets from the best one", () => {
    const filter = new ClockFilter(PRECISION);
    filter.add(sample(0, 10), 0, 6);
    filter.add(sample(3, 20), 1, 6);
    filter.add(sample(-4, 30), 2, 6);
    // sqrt((3² + 4²) / (3 - 1)) ms
    expect(filter.jitterSeconds * 1000).toBeCloseTo(Math.sqrt(25 / 2), 6);
  });

  it("weights dispersions 1/2, 1/4, ... in delay order and grows them at PHI", () => {
    const filter = new ClockFilter(PRECISION);
    filter.add(sample(0, 10, 1), 0, 6);
    const sorted = [1, ...new Array(7).fill(16000)];
    let expected = 0;
    for (let i = sorted.length - 1; i >= 0; i--) expected = 0.5 * (expected + sorted[i]!);
    expect(filter.dispersionSeconds * 1000).toBeCloseTo(expected, 6);
    const aged = filter.stages(1000)[0]!;
    expect(aged.dispersionSeconds).toBeCloseTo(0.001 + 15e-6 * 1000, 9);
  });

  it("shifts placeholders in for unanswered polls and out after eight samples", () => {
    const filter = new ClockFilter(PRECISION);
    for (let i = 0; i < FILTER_STAGES; i++) filter.add(sample(i, 10 + i), i, 6);
    expect(filter.stages(8).every((stage) => !stage.dummy)).toBe(true);
    filter.addDummy(9);
    expect(filter.stages(9)[0]?.dummy).toBe(true);
    expect(filter.stages(9)).toHaveLength(FILTER_STAGES);
  });

  it("passes a new best sample on once, and holds back a popcorn spike", () => {
    const filter = new ClockFilter(PRECISION);
    expect(filter.add(sample(0, 10), 0, 6)).toBe(true);
    expect(filter.add(sample(0.1, 10.5), 64, 6)).toBe(false); // best is still the first one
    expect(filter.add(sample(0.05, 5), 128, 6)).toBe(true);
    expect(filter.add(sample(-0.02, 4), 192, 6)).toBe(true);
    expect(filter.add(sample(500, 1), 256, 6)).toBe(false); // 500 ms jump within 2 polls: spike
  });

  it("resets to placeholders", () => {
    const filter = new ClockFilter(PRECISION);
    filter.add(sample(1, 1), 0, 6);
    filter.reset();
    expect(filter.hasSamples).toBe(false);
    expect(filter.dispersionSeconds).toBe(15.9375);
  });
});

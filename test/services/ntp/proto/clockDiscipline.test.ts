import { describe, expect, it } from "vitest";
import {
  ClockDiscipline,
  MAX_FREQUENCY,
  POLL_LIMIT,
  STEPOUT_SECONDS,
} from "../../../../src/services/ntp/proto/clockDiscipline.js";
import { ManualClock } from "./clientTestKit.js";

function discipline(clock = new ManualClock()) {
  const shifts: number[] = [];
  const advances: { now: number; slewRate: number }[] = [];
  const d = new ClockDiscipline(
    clock,
    { minPollLog2: 6, maxPollLog2: 10 },
    {
      advanceTo: (now, slewRate) => advances.push({ now, slewRate }),
      frequencyShifted: (delta) => shifts.push(delta),
    },
  );
  return { d, clock, shifts, advances };
}

const QUIET = { frequency: 0, frequencyVariance: 1e-16, surprise: 0 };

describe("the clock discipline (RFC 5905 A.5.5.6 rules)", () => {
  it("starts NSET and steps any offset on the first update", () => {
    const { d, clock } = discipline();
    expect(d.loopState).toBe("NSET");
    expect(d.update(0, { ...QUIET, offsetSeconds: 5000 })).toEqual({ kind: "step", offsetSeconds: 5000 });
    expect(clock.steps).toEqual([5000]);
    expect(d.everSet).toBe(true);
  });

  it("slews an offset below 128 ms through the frequency and ends the slew on time", () => {
    const { d, clock } = discipline();
    const action = d.update(0, { ...QUIET, offsetSeconds: 0.1 });
    expect(action).toMatchObject({ kind: "slew", offsetSeconds: 0.1 });
    if (action.kind !== "slew") return;
    expect(clock.frequencyPpm()).toBeCloseTo((0.1 / action.durationSeconds) * 1e6, 6);
    expect(d.slewEndsAt).toBeCloseTo(action.durationSeconds, 9);
    clock.mono += action.durationSeconds;
    d.tick(action.durationSeconds);
    expect(clock.frequencyPpm()).toBe(0);
    expect(clock.errorSeconds).toBeCloseTo(0.1, 9);
  });

  it("applies the estimated frequency, clamped to ±500 ppm, and tells the estimators", () => {
    const { d, clock, shifts } = discipline();
    d.update(0, { ...QUIET, offsetSeconds: 0, frequency: 80e-6 });
    expect(d.frequencyPpm).toBeCloseTo(80, 9);
    expect(shifts).toEqual([80e-6]);
    d.update(10, { ...QUIET, offsetSeconds: 0, frequency: 1e-3 });
    expect(d.frequencyPpm).toBeCloseTo(MAX_FREQUENCY * 1e6, 9);
    expect(clock.frequencyPpm()).toBeGreaterThanOrEqual(499.999);
  });

  it("holds a spike for the stepout interval (SPIK), then steps", () => {
    const { d, clock } = discipline();
    d.update(0, { ...QUIET, offsetSeconds: 0.001 });
    expect(d.update(100, { ...QUIET, offsetSeconds: 0.5 })).toEqual({ kind: "spike", offsetSeconds: 0.5 });
    expect(d.loopState).toBe("SPIK");
    expect(d.update(100 + STEPOUT_SECONDS - 1, { ...QUIET, offsetSeconds: 0.5 }).kind).toBe("spike");
    expect(clock.steps).toEqual([]);
    expect(d.update(100 + STEPOUT_SECONDS, { ...QUIET, offsetSeconds: 0.5 })).toEqual({
      kind: "step",
      offsetSeconds: 0.5,
    });
    expect(clock.steps).toEqual([0.5]);
  });

  it("forgets a spike that goes away", () => {
    const { d } = discipline();
    d.update(0, { ...QUIET, offsetSeconds: 0.001 });
    d.update(100, { ...QUIET, offsetSeconds: 0.5 });
    expect(d.update(200, { ...QUIET, offsetSeconds: 0.002 }).kind).toBe("slew");
    expect(d.loopState).toBe("CTRL");
  });

  it("refuses offsets over the panic threshold once set", () => {
    const { d, clock } = discipline();
    d.update(0, { ...QUIET, offsetSeconds: 0.001 });
    expect(d.update(10, { ...QUIET, offsetSeconds: 2000 })).toEqual({ kind: "panic", offsetSeconds: 2000 });
    expect(clock.steps).toEqual([]);
  });

  it("reports FREQ while the frequency is uncertain, CTRL once it is known", () => {
    const { d } = discipline();
    d.update(0, { offsetSeconds: 0.001, frequency: 0, frequencyVariance: 500e-6 ** 2, surprise: 0 });
    expect(d.loopState).toBe("FREQ");
    d.update(64, { offsetSeconds: 0.001, frequency: 0, frequencyVariance: 0.1e-6 ** 2, surprise: 0 });
    expect(d.loopState).toBe("CTRL");
  });

  it("lengthens the poll after unsurprising updates and shortens it after surprising ones (jiggle counter)", () => {
    const { d } = discipline();
    let t = 0;
    const quietUpdates = Math.ceil(POLL_LIMIT / 6) + 1;
    for (let i = 0; i < quietUpdates; i++) {
      t += 64;
      d.update(t, { ...QUIET, offsetSeconds: 0 });
    }
    expect(d.pollLog2).toBe(7);
    for (let i = 0; i < 10; i++) {
      t += 64;
      d.update(t, { ...QUIET, offsetSeconds: 0, surprise: 10 });
    }
    expect(d.pollLog2).toBe(6);
  });

  it("does not touch the poll for updates from other survivors", () => {
    const { d } = discipline();
    for (let i = 0; i < 50; i++) d.update(i * 64, { ...QUIET, offsetSeconds: 0, surprise: undefined });
    expect(d.pollLog2).toBe(6);
  });

  it("restores a persisted frequency", () => {
    const { d, clock, shifts } = discipline();
    d.restoreFrequencyPpm(-42, 0);
    expect(clock.frequencyPpm()).toBeCloseTo(-42, 9);
    expect(shifts).toEqual([-42e-6]);
  });
});

import { describe, expect, it } from "vitest";
import {
  compareSampleFeeds,
  FALSETICKER,
  ONE_GOOD_SERVER,
  runScenarios,
  SCENARIOS,
  type ScenarioOutcome,
  SERVER_STEP,
} from "./scenarios.js";

/** Every scenario is run with these seeds; each run is a different network and oscillator. */
const SEEDS = [1, 2, 3];

function explain(outcome: ScenarioOutcome): string {
  return `${outcome.scenario}: sync ${outcome.syncSeconds} s, RMS ${outcome.rmsMicros} µs, max ${outcome.maxMicros} µs — ${outcome.failures.join("; ")}`;
}

describe("simulation scenarios (thresholds at least as tight as chrony's clknetsim defaults)", () => {
  for (const scenario of SCENARIOS) {
    it.each(SEEDS)(`${scenario.name}, seed %i`, (seed) => {
      const outcome = scenario.run(seed);
      expect(outcome.failures, explain(outcome)).toEqual([]);
      expect(outcome.pass).toBe(true);
    });
  }
});

describe("scenario specifics", () => {
  it("keeps the falseticker out of every selection and never steps", () => {
    const outcome = FALSETICKER.run(1);
    const rows = outcome.simulation.client.snapshot(outcome.simulation.oscillator.monotonic).associations;
    expect(rows.find((r) => r.address === "10.0.0.4")?.selection).toBe("falseticker");
    expect(rows.filter((r) => r.selection === "sys.peer")).toHaveLength(1);
    expect(outcome.simulation.clock.steps).toEqual([]);
  });

  it("emits the syslog-worthy events of a stepping server: one CLOCKUPDATE, PEERSYNC before and after", () => {
    const outcome = SERVER_STEP.run(1);
    const kinds = outcome.simulation.events.map((e) => e.event.kind);
    expect(kinds.filter((k) => k === "clock-stepped")).toHaveLength(1);
    expect(kinds.filter((k) => k === "sync-gained").length).toBeGreaterThanOrEqual(2);
    expect(kinds).not.toContain("sync-lost");
  });

  it("is deterministic: the same seed gives the same run", () => {
    const a = ONE_GOOD_SERVER.run(4);
    const b = ONE_GOOD_SERVER.run(4);
    expect(a.simulation.trace).toEqual(b.simulation.trace);
    expect(a.simulation.events).toEqual(b.simulation.events);
  });

  it("runs six simulated hours in well under a second", () => {
    const started = performance.now();
    ONE_GOOD_SERVER.run(5);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("measures every-sample estimation better than feeding only RFC 5905 clock-filter outputs", () => {
    const [everySample, clockFilter] = compareSampleFeeds(3);
    expect(everySample?.passed).toBe(3);
    expect(everySample!.rmsMicros).toBeLessThan(clockFilter!.rmsMicros);
    expect(everySample!.syncSeconds).toBeLessThan(clockFilter!.syncSeconds);
  });

  it("gives the bench one row per scenario", () => {
    const rows = runScenarios();
    expect(rows.map((r) => r.scenario)).toEqual(SCENARIOS.map((s) => s.name));
    for (const row of rows) {
      expect(row).toMatchObject({ pass: true });
      expect(typeof row.threshold).toBe("string");
    }
  });
});

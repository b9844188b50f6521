/**
 * Simulation scenarios with asserted thresholds, at least as tight as chrony's default
 * clknetsim scenario (`test/simulation/test.common`: 100 µs base delay, 100 µs exponential
 * jitter, 0.1 s initial offset, 100 ppm frequency error, 1e-9 wander; sync within 210 s, max
 * error < 1 ms, RMS < 300 µs after it). `runScenarios()` returns one row per scenario for
 * `npm run bench`; the vitest suite asserts the same rows plus scenario-specific checks.
 */
import type { AssociationConfig, ClientConfig } from "../../src/services/ntp/proto/clientConfig.js";
import type { SampleFeed } from "../../src/services/ntp/proto/ntpClient.js";
import { fromUnixSeconds } from "../../src/services/ntp/proto/ntpTimestamp.js";
import type { LeapIndicator } from "../../src/services/ntp/proto/protocolConstants.js";
import {
  CHRONY_LIMITS,
  type ErrorStatistics,
  errorStatistics,
  type Limits,
  type StatisticsWindow,
  syncTime,
} from "./scenarioMetrics.js";
import { type LinkSpec, type SimServerSpec, Simulation, type SimulationSpec } from "./simulator.js";

export interface ScenarioRow {
  readonly scenario: string;
  /** Seconds until the error stayed below 1 ms (and the rate error below 500 ppm) for good. */
  readonly syncSeconds: number;
  readonly rmsMicros: number;
  readonly maxMicros: number;
  readonly threshold: string;
  readonly pass: boolean;
}

export interface ScenarioOutcome extends ScenarioRow {
  /** Everything that did not hold; empty when `pass`. */
  readonly failures: readonly string[];
  readonly statistics: ErrorStatistics;
  readonly simulation: Simulation;
}

export interface Scenario {
  readonly name: string;
  run(seed?: number): ScenarioOutcome;
}

/** 2024-03-01T00:00:00Z: an ordinary day. */
const ORDINARY_EPOCH = fromUnixSeconds(1_709_251_200);
/** 2016-12-31T21:00:00Z: three hours before the last leap second so far. */
const LEAP_EPOCH = fromUnixSeconds(1_483_218_000);
const LEAP_TRUE_TIME = 3 * 3600;

const DEFAULT_LINK: LinkSpec = { baseDelaySeconds: 1e-4, jitterSeconds: 1e-4 };
const DURATION_SECONDS = 6 * 3600;
const DEFAULT_SEED = 1;
const STANDARD_THRESHOLD = `sync ≤ ${CHRONY_LIMITS.maxSyncSeconds} s, RMS < ${CHRONY_LIMITS.rmsErrorSeconds * 1e6} µs, max < ${CHRONY_LIMITS.maxErrorSeconds * 1e6} µs`;

interface ClientSetup {
  readonly sampleFeed?: SampleFeed;
  readonly initialErrorSeconds?: number;
  readonly frequencyErrorPpm?: number;
  readonly associations: readonly AssociationConfig[];
  readonly masterStratum?: number;
}

function clientConfig(setup: ClientSetup): ClientConfig {
  return {
    associations: setup.associations,
    keys: new Map(),
    authenticate: false,
    masterStratum: setup.masterStratum,
  };
}

function server(
  address: string,
  link: LinkSpec = DEFAULT_LINK,
  behaviour: SimServerSpec["behaviour"] = {},
): SimServerSpec {
  return { address, link, behaviour };
}

function simulation(
  seed: number,
  servers: readonly SimServerSpec[],
  setup: ClientSetup,
  extra: Partial<SimulationSpec> = {},
  wander = 1e-9,
): Simulation {
  return new Simulation({
    seed,
    durationSeconds: DURATION_SECONDS,
    epoch: ORDINARY_EPOCH,
    servers,
    client: {
      initialErrorSeconds: setup.initialErrorSeconds ?? 0.1,
      frequencyErrorPpm: setup.frequencyErrorPpm ?? 100,
      wander,
      config: clientConfig(setup),
      ...(setup.sampleFeed === undefined ? {} : { options: { sampleFeed: setup.sampleFeed } }),
    },
    ...extra,
  });
}

/** Standard checks: sync time, RMS and max against chrony's limits over `window`. */
function judge(
  name: string,
  sim: Simulation,
  window: StatisticsWindow,
  extraFailures: readonly string[] = [],
  threshold = STANDARD_THRESHOLD,
  limits: Limits = CHRONY_LIMITS,
): ScenarioOutcome {
  const statistics = errorStatistics(sim.trace, window, limits);
  const failures = [...extraFailures];
  if (!(statistics.syncSeconds <= limits.maxSyncSeconds))
    failures.push(`sync after ${statistics.syncSeconds} s`);
  if (!(statistics.rmsSeconds < limits.rmsErrorSeconds))
    failures.push(`RMS ${micros(statistics.rmsSeconds)} µs`);
  if (!(statistics.maxSeconds < limits.maxErrorSeconds))
    failures.push(`max ${micros(statistics.maxSeconds)} µs`);
  if (!(statistics.maxRateError < limits.maxRateError)) {
    failures.push(`rate error up to ${(statistics.maxRateError * 1e6).toFixed(1)} ppm`);
  }
  return {
    scenario: name,
    syncSeconds: statistics.syncSeconds,
    rmsMicros: micros(statistics.rmsSeconds),
    maxMicros: micros(statistics.maxSeconds),
    threshold,
    pass: failures.length === 0,
    failures,
    statistics,
    simulation: sim,
  };
}

function micros(seconds: number): number {
  return Math.round(seconds * 1e7) / 10;
}

const chronyWindow: StatisticsWindow = { fromSeconds: CHRONY_LIMITS.maxSyncSeconds };

export const ONE_GOOD_SERVER: Scenario = {
  name: "one good server (chrony default)",
  run(seed = DEFAULT_SEED) {
    const sim = simulation(seed, [server("10.0.0.1")], {
      associations: [{ kind: "server", address: "10.0.0.1" }],
    }).run();
    return judge(this.name, sim, chronyWindow);
  },
};

export const FALSETICKER: Scenario = {
  name: "4 servers, one 1 s off",
  run(seed = DEFAULT_SEED) {
    const liar = "10.0.0.4";
    const servers = ["10.0.0.1", "10.0.0.2", "10.0.0.3"].map((a) => server(a));
    servers.push(server(liar, DEFAULT_LINK, { errorAt: () => 1 }));
    const sim = simulation(seed, servers, {
      frequencyErrorPpm: -80,
      associations: servers.map((s) => ({ kind: "server" as const, address: s.address })),
    });
    let liarSelected = 0;
    let liarFalseticker = 0;
    sim.onSample.push((s) => {
      const row = s.client.snapshot(s.oscillator.monotonic).associations.find((a) => a.address === liar);
      if (row?.selection === "sys.peer" || row?.selection === "candidate") liarSelected++;
      if (row?.selection === "falseticker") liarFalseticker++;
    });
    sim.run();
    const failures: string[] = [];
    if (liarSelected > 0) failures.push(`falseticker selected in ${liarSelected} samples`);
    if (liarFalseticker === 0) failures.push("falseticker never marked x");
    if (sim.clock.steps.length > 0) failures.push(`clock stepped ${sim.clock.steps.join(", ")} s`);
    return judge(this.name, sim, chronyWindow, failures, `${STANDARD_THRESHOLD}; liar never selected`);
  },
};

export const PACKET_LOSS: Scenario = {
  name: "20% packet loss",
  run(seed = DEFAULT_SEED) {
    const link = { ...DEFAULT_LINK, loss: 0.2 };
    const sim = simulation(seed, [server("10.0.0.1", link)], {
      associations: [{ kind: "server", address: "10.0.0.1" }],
    }).run();
    return judge(this.name, sim, chronyWindow);
  },
};

export const FREQUENCY_ERROR: Scenario = {
  name: "-50 ppm frequency error",
  run(seed = DEFAULT_SEED) {
    const sim = simulation(seed, [server("10.0.0.1")], {
      frequencyErrorPpm: -50,
      associations: [{ kind: "server", address: "10.0.0.1" }],
    }).run();
    return judge(this.name, sim, chronyWindow);
  },
};

/** When the lone server jumps 0.5 s: hold for the stepout (900 s, SPIK), then step once and follow it. */
export const SERVER_STEP: Scenario = {
  name: "server steps +0.5 s at 5000 s",
  run(seed = DEFAULT_SEED) {
    const stepAt = 5000;
    const jump = 0.5;
    const sim = simulation(
      seed,
      [server("10.0.0.1", DEFAULT_LINK, { errorAt: (t) => (t >= stepAt ? jump : 0) })],
      {
        associations: [{ kind: "server", address: "10.0.0.1" }],
      },
    ).run();
    const failures: string[] = [];
    const steps = sim.events.filter((e) => e.event.kind === "clock-stepped");
    const step = steps[0];
    if (steps.length !== 1 || step === undefined) {
      failures.push(`expected one step, saw ${steps.length}`);
      return judge(
        this.name,
        sim,
        { fromSeconds: CHRONY_LIMITS.maxSyncSeconds, toSeconds: stepAt },
        failures,
      );
    }
    const offset = step.event.kind === "clock-stepped" ? step.event.offsetSeconds : 0;
    if (Math.abs(offset - jump) > 1e-3) failures.push(`stepped ${offset} s`);
    if (step.t < stepAt + 900)
      failures.push(`stepped ${step.t - stepAt} s after the jump, before the 900 s stepout`);
    // Holding (SPIK) must not drag the clock: still within 1 ms of true time until the step.
    const holding = errorStatistics(sim.trace, { fromSeconds: stepAt, toSeconds: step.t - 1 });
    if (!(holding.maxSeconds < CHRONY_LIMITS.maxErrorSeconds))
      failures.push(`drifted ${micros(holding.maxSeconds)} µs while holding`);
    const following: StatisticsWindow = { fromSeconds: step.t, referenceAt: () => jump };
    const resync = syncTime(sim.trace, following, step.t);
    if (!(resync <= CHRONY_LIMITS.maxSyncSeconds)) failures.push(`re-sync after ${resync} s`);
    const before = errorStatistics(sim.trace, {
      fromSeconds: CHRONY_LIMITS.maxSyncSeconds,
      toSeconds: stepAt - 1,
    });
    const after = errorStatistics(sim.trace, {
      fromSeconds: step.t + CHRONY_LIMITS.maxSyncSeconds,
      referenceAt: () => jump,
    });
    const worst = after.rmsSeconds > before.rmsSeconds ? after : before;
    if (!(after.maxSeconds < CHRONY_LIMITS.maxErrorSeconds))
      failures.push(`max ${micros(after.maxSeconds)} µs after the step`);
    if (!(after.rmsSeconds < CHRONY_LIMITS.rmsErrorSeconds))
      failures.push(`RMS ${micros(after.rmsSeconds)} µs after the step`);
    const outcome = judge(
      this.name,
      sim,
      { fromSeconds: CHRONY_LIMITS.maxSyncSeconds, toSeconds: stepAt - 1 },
      failures,
      `${STANDARD_THRESHOLD} before and after; one 0.5 s step, not before the 900 s stepout`,
    );
    return {
      ...outcome,
      rmsMicros: micros(worst.rmsSeconds),
      maxMicros: micros(Math.max(before.maxSeconds, after.maxSeconds)),
    };
  },
};

/** Outbound 500 µs slower than inbound: the client must settle 250 µs ahead (asymmetry / 2). */
export const ASYMMETRY: Scenario = {
  name: "asymmetric path (+500 µs outbound)",
  run(seed = DEFAULT_SEED) {
    const asymmetry = 500e-6;
    const bias = asymmetry / 2;
    const link = { ...DEFAULT_LINK, outboundExtraSeconds: asymmetry };
    // A day, so the time-averaged error (the bias estimate) is not dominated by a few slow wanders.
    const sim = simulation(
      seed,
      [server("10.0.0.1", link)],
      { associations: [{ kind: "server", address: "10.0.0.1" }] },
      {
        durationSeconds: 24 * 3600,
      },
    ).run();
    const window = { ...chronyWindow, biasSeconds: bias };
    const failures: string[] = [];
    const statistics = errorStatistics(sim.trace, window);
    if (Math.abs(statistics.meanSeconds) > 50e-6) {
      failures.push(`mean error ${micros(statistics.meanSeconds + bias)} µs, expected ${micros(bias)} µs`);
    }
    return judge(
      this.name,
      sim,
      window,
      failures,
      `${STANDARD_THRESHOLD} around the expected +250 µs bias (±50 µs)`,
    );
  },
};

/** Three servers announce a leap second for the three hours before 2017-01-01 and insert it. */
export const LEAP_SECOND: Scenario = {
  name: "leap second inserted",
  run(seed = DEFAULT_SEED) {
    const leapAt = (t: number): LeapIndicator => (t < LEAP_TRUE_TIME ? 1 : 0);
    const servers = ["10.0.0.1", "10.0.0.2", "10.0.0.3"].map((a) => server(a, DEFAULT_LINK, { leapAt }));
    const sim = simulation(
      seed,
      servers,
      { associations: servers.map((s) => ({ kind: "server" as const, address: s.address })) },
      { epoch: LEAP_EPOCH, insertedLeapsAt: [LEAP_TRUE_TIME] },
    );
    const announced: LeapIndicator[] = [];
    sim.at(LEAP_TRUE_TIME - 600, () => announced.push(sim.client.systemSnapshot().leap));
    sim.at(LEAP_TRUE_TIME + 3600, () => announced.push(sim.client.systemSnapshot().leap));
    sim.run();
    const failures: string[] = [];
    if (announced[0] !== 1) failures.push(`leap indicator before midnight was ${announced[0]}`);
    if (announced[1] !== 0) failures.push(`leap indicator after midnight was ${announced[1]}`);
    const leaps = sim.events.filter((e) => e.event.kind === "leap-second");
    if (leaps.length !== 1) failures.push(`applied ${leaps.length} leap seconds`);
    const window: StatisticsWindow = {
      fromSeconds: CHRONY_LIMITS.maxSyncSeconds,
      exclude: (t) => Math.abs(t - LEAP_TRUE_TIME) <= 2,
    };
    return judge(
      this.name,
      sim,
      window,
      failures,
      `${STANDARD_THRESHOLD} (±2 s around the leap excluded); LI 1 → 0`,
    );
  },
};

/** chrony's 007-largewander: oscillator wander 1e-7 (s/s)/√s; limits 5 ms max, 1 ms RMS, 5000 ppm. */
export const LARGE_WANDER: Scenario = {
  name: "large wander (chrony 007)",
  run(seed = DEFAULT_SEED) {
    const limits: Limits = {
      ...CHRONY_LIMITS,
      maxErrorSeconds: 5e-3,
      rmsErrorSeconds: 1e-3,
      maxRateError: 5e-3,
    };
    const sim = simulation(
      seed,
      [server("10.0.0.1")],
      { associations: [{ kind: "server", address: "10.0.0.1" }] },
      {},
      1e-7,
    ).run();
    return judge(this.name, sim, chronyWindow, [], "sync ≤ 210 s, RMS < 1000 µs, max < 5000 µs", limits);
  },
};

/** chrony's 006-largejitter: 1 s initial offset, 100 ms exponential jitter; limits 0.5 s max, 0.1 s RMS. */
export const LARGE_JITTER: Scenario = {
  name: "large jitter (chrony 006)",
  run(seed = DEFAULT_SEED) {
    const limits: Limits = {
      ...CHRONY_LIMITS,
      maxErrorSeconds: 0.5,
      rmsErrorSeconds: 0.1,
      maxRateError: 0.2,
    };
    const link = { baseDelaySeconds: 1e-4, jitterSeconds: 0.1 };
    const sim = simulation(seed, [server("10.0.0.1", link)], {
      initialErrorSeconds: 1,
      associations: [{ kind: "server", address: "10.0.0.1" }],
    }).run();
    return judge(this.name, sim, chronyWindow, [], "sync ≤ 210 s, RMS < 100 ms, max < 500 ms", limits);
  },
};

/**
 * Holdover: the only server disappears for an hour at 10 000 s. The client must keep its
 * frequency (error growth only from the oscillator's wander: a 1e-9/√s random walk integrates to
 * about 1e-9 · t^1.5 / √3 ≈ 125 µs RMS after an hour), report the loss after eight polls, and
 * resynchronize without a step when the server returns.
 */
export const HOLDOVER: Scenario = {
  name: "server gone for 1 h (holdover)",
  run(seed = DEFAULT_SEED) {
    const goneAt = 10_000;
    const backAt = goneAt + 3600;
    const spec = server("10.0.0.1");
    // maxpoll 8: eight unanswered polls (the reach register running empty) fit in the hour.
    const sim = simulation(seed, [{ ...spec, downAt: (t) => t >= goneAt && t < backAt }], {
      associations: [{ kind: "server", address: "10.0.0.1", maxpoll: 8 }],
    }).run();
    const failures: string[] = [];
    const kinds = sim.events.map((e) => e.event.kind);
    if (!kinds.includes("peer-unreachable")) failures.push("no PEERUNREACH");
    if (!kinds.includes("sync-lost")) failures.push("no UNSYNC");
    if (sim.clock.steps.length > 0) failures.push(`stepped ${sim.clock.steps.join(", ")} s`);
    const resynced = sim.events.find((e) => e.t >= backAt && e.event.kind === "sync-gained");
    if (resynced === undefined) failures.push("no PEERSYNC after the server returned");
    return judge(this.name, sim, chronyWindow, failures, `${STANDARD_THRESHOLD} throughout, no step`);
  },
};

export const SCENARIOS: readonly Scenario[] = [
  ONE_GOOD_SERVER,
  FALSETICKER,
  PACKET_LOSS,
  FREQUENCY_ERROR,
  SERVER_STEP,
  ASYMMETRY,
  LEAP_SECOND,
  HOLDOVER,
  LARGE_WANDER,
  LARGE_JITTER,
];

/** Every scenario, as rows for `npm run bench`. */
export function runScenarios(seed = DEFAULT_SEED): ScenarioRow[] {
  return SCENARIOS.map((scenario) => {
    const { scenario: name, syncSeconds, rmsMicros, maxMicros, threshold, pass } = scenario.run(seed);
    return { scenario: name, syncSeconds, rmsMicros, maxMicros, threshold, pass };
  });
}

export interface FeedComparisonRow {
  readonly feed: SampleFeed;
  /** Means over the seeds of the one-good-server scenario. */
  readonly syncSeconds: number;
  readonly rmsMicros: number;
  readonly maxMicros: number;
  readonly passed: number;
  readonly runs: number;
}

/**
 * The measurement behind the algorithm choice: the chrony default scenario with the estimators
 * fed every sample (weighted by delay) versus only RFC 5905 clock-filter outputs (ntpd's way).
 */
export function compareSampleFeeds(seeds = 10): FeedComparisonRow[] {
  return (["every-sample", "clock-filter"] as const).map((feed) => {
    let sync = 0;
    let rms = 0;
    let max = 0;
    let passed = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      const sim = simulation(seed, [server("10.0.0.1")], {
        sampleFeed: feed,
        associations: [{ kind: "server", address: "10.0.0.1" }],
      }).run();
      const outcome = judge(`feed ${feed}`, sim, chronyWindow);
      sync += Math.min(outcome.syncSeconds, DURATION_SECONDS);
      rms += outcome.rmsMicros;
      max += outcome.maxMicros;
      if (outcome.pass) passed++;
    }
    const round = (value: number) => Math.round((value / seeds) * 10) / 10;
    return {
      feed,
      syncSeconds: round(sync),
      rmsMicros: round(rms),
      maxMicros: round(max),
      passed,
      runs: seeds,
    };
  });
}

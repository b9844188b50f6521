/**
 * A deterministic discrete-event simulator in the spirit of chrony's clknetsim: the real
 * `NtpClient` on a simulated oscillator, talking over a simulated network (delay, exponential
 * jitter, asymmetry, loss) to real `NtpServer` cores whose clocks are perfect, lying or
 * stepping. Simulated hours run in a fraction of a second; the same seed gives the same run.
 */
import type { ClientAction, ClientEvent } from "../../src/services/ntp/proto/clientActions.js";
import type { ClientConfig } from "../../src/services/ntp/proto/clientConfig.js";
import type { SymmetricKey } from "../../src/services/ntp/proto/mac.js";
import { NtpClient, type NtpClientOptions } from "../../src/services/ntp/proto/ntpClient.js";
import type { NtpTimestamp } from "../../src/services/ntp/proto/ntpTimestamp.js";
import { NtpServer, SERVER_RESPONSE_BUFFER_LENGTH } from "../../src/services/ntp/proto/server.js";
import type { ServerPolicy } from "../../src/services/ntp/proto/serverPolicy.js";
import { EventQueue } from "./eventQueue.js";
import { SeededRandom } from "./seededRandom.js";
import { Oscillator, type ServerBehaviour, SimServerClock, SimulatedClock, TimeScale } from "./simClock.js";

/** One direction of a path: base + extra + jitter × Exp(1), lost with probability `loss`. */
export interface LinkSpec {
  readonly baseDelaySeconds: number;
  readonly jitterSeconds: number;
  /** Added to the client → server direction only (asymmetry). */
  readonly outboundExtraSeconds?: number;
  /** Added to the server → client direction only. */
  readonly inboundExtraSeconds?: number;
  readonly loss?: number;
}

export interface SimServerSpec {
  readonly address: string;
  readonly behaviour: ServerBehaviour;
  readonly link: LinkSpec;
  readonly keys?: ReadonlyMap<number, SymmetricKey>;
  /** The server (or its path) is down at true time `t`: every packet is lost. */
  readonly downAt?: (t: number) => boolean;
}

export interface SimClientSpec {
  readonly initialErrorSeconds: number;
  readonly frequencyErrorPpm: number;
  /** Random-walk strength of the oscillator frequency, (s/s)/√s (clknetsim default 1e-9). */
  readonly wander: number;
  readonly config: ClientConfig;
  readonly restoredFrequencyPpm?: number;
  readonly options?: Partial<Pick<NtpClientOptions, "estimator" | "precisionLog2" | "sampleFeed">>;
}

export interface SimulationSpec {
  readonly seed: number;
  readonly durationSeconds: number;
  readonly epoch: NtpTimestamp;
  readonly insertedLeapsAt?: readonly number[];
  readonly servers: readonly SimServerSpec[];
  readonly client: SimClientSpec;
  /** Interval of the error samples and the wander steps, seconds. */
  readonly sampleIntervalSeconds?: number;
}

export interface TraceSample {
  readonly t: number;
  /** Client clock minus UTC, seconds. */
  readonly errorSeconds: number;
  /** Client clock rate minus true rate, s/s. */
  readonly rateError: number;
}

export interface TimedEvent {
  readonly t: number;
  readonly event: ClientEvent;
}

/** The client's address as the servers see it. */
const CLIENT_ADDRESS = "192.0.2.1";
const CLIENT_PORT = 123;
const NTP_PORT = 123;
/** Timers fire this long after their nominal time so the monotonic clock has surely passed it. */
const TIMER_EPSILON = 1e-7;

interface SimServer {
  readonly spec: SimServerSpec;
  readonly core: NtpServer;
  readonly clock: SimServerClock;
}

export class Simulation {
  readonly scale: TimeScale;
  readonly oscillator: Oscillator;
  readonly clock: SimulatedClock;
  readonly client: NtpClient;
  readonly trace: TraceSample[] = [];
  readonly events: TimedEvent[] = [];
  /** Hooks run at each sample tick, after the sample is recorded. */
  readonly onSample: ((sim: Simulation) => void)[] = [];
  packetsSent = 0;
  packetsLost = 0;
  #now = 0;
  #timerToken = 0;
  readonly #queue = new EventQueue();
  readonly #servers = new Map<string, SimServer>();
  readonly #network: SeededRandom;
  readonly #out = Buffer.alloc(SERVER_RESPONSE_BUFFER_LENGTH);

  constructor(readonly spec: SimulationSpec) {
    const root = new SeededRandom(spec.seed);
    this.#network = root.fork();
    const oscillatorRandom = root.fork();
    const clientRandom = root.fork();
    const serverRandom = root.fork();
    this.scale = new TimeScale(spec.epoch, spec.insertedLeapsAt ?? []);
    this.oscillator = new Oscillator(
      spec.client.frequencyErrorPpm * 1e-6,
      spec.client.wander,
      oscillatorRandom,
    );
    this.clock = new SimulatedClock(this.oscillator, this.scale, spec.client.initialErrorSeconds);
    for (const server of spec.servers) {
      const clock = new SimServerClock(this.scale, () => this.#now, server.behaviour);
      const core = new NtpServer(serverPolicy(server.keys), clock, {
        randomBytes: (size) => serverRandom.bytes(size),
        rateLimitTableSizeLog2: 4,
      });
      this.#servers.set(server.address, { spec: server, core, clock });
    }
    this.client = new NtpClient({
      clock: this.clock,
      config: spec.client.config,
      nowMonotonicSeconds: this.oscillator.monotonic,
      random: () => clientRandom.next(),
      ...spec.client.options,
    });
    if (spec.client.restoredFrequencyPpm !== undefined) {
      this.client.restoreFrequencyPpm(spec.client.restoredFrequencyPpm, this.oscillator.monotonic);
    }
  }

  /** True time of the event being processed. */
  get now(): number {
    return this.#now;
  }

  server(address: string): SimServerClock {
    const server = this.#servers.get(address);
    if (server === undefined) throw new Error(`no simulated server ${address}`);
    return server.clock;
  }

  /** Schedules `run` at true time `at`. */
  at(at: number, run: () => void): void {
    this.#queue.schedule(at, () => {
      this.#advance(at);
      run();
    });
  }

  /** Runs the whole scenario. */
  run(): this {
    const interval = this.spec.sampleIntervalSeconds ?? 1;
    this.#process(this.client.handleTimer(this.oscillator.monotonic));
    for (let t = 0; t <= this.spec.durationSeconds; t += interval) {
      this.at(t, () => this.#sample(interval));
    }
    for (;;) {
      const entry = this.#queue.pop();
      if (entry === undefined || entry.at > this.spec.durationSeconds) break;
      entry.run();
    }
    return this;
  }

  /** The client applies a configuration change at the current simulated time. */
  updateConfig(config: ClientConfig): void {
    this.#process(this.client.updateConfig(config, this.oscillator.monotonic));
  }

  #advance(t: number): void {
    this.#now = Math.max(this.#now, t);
    this.oscillator.advanceTo(this.#now);
  }

  #sample(interval: number): void {
    this.trace.push({
      t: this.#now,
      errorSeconds: this.clock.seconds() - this.scale.utcSeconds(this.#now),
      rateError: this.clock.rateError(),
    });
    for (const hook of this.onSample) hook(this);
    this.oscillator.wanderStep(interval);
  }

  #process(actions: readonly ClientAction[]): void {
    for (const action of actions) {
      switch (action.kind) {
        case "send":
          this.#send(action.address, action.datagram);
          break;
        case "timer":
          this.#setTimer(action.atMonotonicSeconds);
          break;
        case "event":
          this.events.push({ t: this.#now, event: action.event });
          break;
        case "clock":
          break;
      }
    }
  }

  #setTimer(deadline: number): void {
    const token = ++this.#timerToken;
    const at = Math.max(this.#now, this.oscillator.trueTimeOf(deadline)) + TIMER_EPSILON;
    this.at(at, () => {
      if (token !== this.#timerToken) return;
      this.#process(this.client.handleTimer(this.oscillator.monotonic));
    });
  }

  #send(address: string, datagram: Buffer): void {
    this.packetsSent++;
    const server = this.#servers.get(address);
    if (server === undefined) return;
    if (server.spec.downAt?.(this.#now)) return;
    const link = server.spec.link;
    const outbound = this.#delay(link, link.outboundExtraSeconds ?? 0);
    if (outbound === undefined) return;
    const request = Buffer.from(datagram);
    this.at(this.#now + outbound, () => {
      const decision = server.core.handle(CLIENT_ADDRESS, server.clock.now(), request, this.#out, this.#now);
      if (decision.action !== "respond") return;
      const response = Buffer.from(this.#out.subarray(0, decision.length));
      const inbound = this.#delay(link, link.inboundExtraSeconds ?? 0);
      if (inbound === undefined) return;
      this.at(this.#now + inbound, () => {
        const actions = this.client.handlePacket(
          { address, port: NTP_PORT },
          this.clock.now(),
          response,
          this.oscillator.monotonic,
        );
        this.#process(actions);
      });
    });
  }

  /** One-way delay, or undefined when the packet is lost. */
  #delay(link: LinkSpec, extra: number): number | undefined {
    if (link.loss !== undefined && this.#network.next() < link.loss) {
      this.packetsLost++;
      return undefined;
    }
    return link.baseDelaySeconds + extra + link.jitterSeconds * this.#network.exponential();
  }
}

function serverPolicy(keys: ReadonlyMap<number, SymmetricKey> | undefined): ServerPolicy {
  return {
    access: () => ({ level: "unrestricted", kod: false }),
    keys: keys ?? new Map(),
    requireAuthentication: false,
    passive: false,
    peers: new Set(),
    allowControl: false,
  };
}

export { CLIENT_ADDRESS, CLIENT_PORT };

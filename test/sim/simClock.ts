/**
 * Simulated time. True time `t` is seconds since the start of the run; UTC is true time with
 * the leap seconds of the scenario (an inserted second repeats 23:59:59, as NTP timestamps
 * show it). The client's host has an oscillator with a frequency error that wanders (a random
 * walk, as clknetsim models it); its disciplined clock is "host + offset + frequency", exactly
 * the shape of the appliance's SoftwareClock. Servers read UTC plus an error of their own.
 */
import type { DisciplinedClock } from "../../src/services/ntp/proto/disciplinedClock.js";
import { refIdFromAscii } from "../../src/services/ntp/proto/kissCode.js";
import { addSeconds, type NtpTimestamp } from "../../src/services/ntp/proto/ntpTimestamp.js";
import type { LeapIndicator } from "../../src/services/ntp/proto/protocolConstants.js";
import type { ServerClock, SystemSnapshot } from "../../src/services/ntp/proto/serverClock.js";
import type { SeededRandom } from "./seededRandom.js";

/** UTC as a function of true time: an epoch and optional leap seconds. */
export class TimeScale {
  constructor(
    /** NTP timestamp of true time 0. */
    readonly epoch: NtpTimestamp,
    /** True times at which a second is inserted (UTC steps back by 1). */
    readonly insertedLeapsAt: readonly number[] = [],
  ) {}

  /** UTC at true time `t`, as seconds since the epoch. */
  utcSeconds(t: number): number {
    let label = t;
    for (const leap of this.insertedLeapsAt) if (t >= leap) label -= 1;
    return label;
  }

  timestamp(secondsSinceEpoch: number): NtpTimestamp {
    return addSeconds(this.epoch, secondsSinceEpoch);
  }
}

/** The host oscillator: monotonic time runs at 1 + frequency error, which wanders. */
export class Oscillator {
  #t = 0;
  #mono: number;
  #frequency: number;

  constructor(
    frequencyError: number,
    private readonly wander: number,
    private readonly random: SeededRandom,
    startMono = 1000,
  ) {
    this.#frequency = frequencyError;
    this.#mono = startMono;
  }

  get monotonic(): number {
    return this.#mono;
  }

  get frequencyError(): number {
    return this.#frequency;
  }

  advanceTo(t: number): void {
    if (t > this.#t) {
      this.#mono += (t - this.#t) * (1 + this.#frequency);
      this.#t = t;
    }
  }

  /** One random-walk step of the frequency over `dt` seconds. */
  wanderStep(dt: number): void {
    this.#frequency += this.wander * Math.sqrt(dt) * this.random.normal();
  }

  /** True time at which the monotonic clock reads `mono` (from now, at the current frequency). */
  trueTimeOf(mono: number): number {
    return this.#t + (mono - this.#mono) / (1 + this.#frequency);
  }
}

/** The client's disciplined clock: host time + offset + frequency correction. */
export class SimulatedClock implements DisciplinedClock {
  #offset: number;
  #frequency = 0;
  #anchor: number;
  steps: number[] = [];

  constructor(
    private readonly oscillator: Oscillator,
    private readonly scale: TimeScale,
    initialErrorSeconds: number,
  ) {
    this.#anchor = oscillator.monotonic;
    // Host wall time starts at UTC 0; the clock starts `initialErrorSeconds` off it.
    this.#offset = initialErrorSeconds - oscillator.monotonic;
  }

  /** Local time as seconds since the epoch. */
  seconds(): number {
    const mono = this.oscillator.monotonic;
    return mono + this.#offset + this.#frequency * (mono - this.#anchor);
  }

  now(): NtpTimestamp {
    return this.scale.timestamp(this.seconds());
  }

  step(offsetSeconds: number): void {
    this.#offset += offsetSeconds;
    this.steps.push(offsetSeconds);
  }

  setFrequencyPpm(ppm: number): void {
    const mono = this.oscillator.monotonic;
    this.#offset += this.#frequency * (mono - this.#anchor);
    this.#anchor = mono;
    this.#frequency = ppm * 1e-6;
  }

  frequencyPpm(): number {
    return this.#frequency * 1e6;
  }

  /** Rate error of the clock against true time, s/s. */
  rateError(): number {
    return (1 + this.oscillator.frequencyError) * (1 + this.#frequency) - 1;
  }
}

/** How a simulated server's clock deviates from UTC, and what it announces. */
export interface ServerBehaviour {
  /** The server's clock minus UTC at true time `t`, seconds (0 for a perfect server). */
  readonly errorAt?: (t: number) => number;
  /** Leap indicator announced at true time `t`. */
  readonly leapAt?: (t: number) => LeapIndicator;
  readonly stratum?: number;
}

/** A stratum-1 server's clock over simulated time. */
export class SimServerClock implements ServerClock {
  constructor(
    private readonly scale: TimeScale,
    private readonly trueTime: () => number,
    private readonly behaviour: ServerBehaviour,
  ) {}

  seconds(): number {
    const t = this.trueTime();
    return this.scale.utcSeconds(t) + (this.behaviour.errorAt?.(t) ?? 0);
  }

  now(): NtpTimestamp {
    return this.scale.timestamp(this.seconds());
  }

  system(): SystemSnapshot {
    const t = this.trueTime();
    return {
      synchronized: true,
      leap: this.behaviour.leapAt?.(t) ?? 0,
      stratum: this.behaviour.stratum ?? 1,
      precisionLog2: -24,
      rootDelaySeconds: 0,
      rootDispersionSeconds: 1e-5,
      referenceId: refIdFromAscii("GPS"),
      referenceTimestamp: this.scale.timestamp(this.seconds() - 1),
    };
  }
}

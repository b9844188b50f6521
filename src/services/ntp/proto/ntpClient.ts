/**
 * The NTP client core, sans I/O (ntpd-rs `ntp-proto` is the model; DESIGN.md principle 1): the
 * runtime hands it timer ticks and datagrams with their receive timestamps, and it returns
 * actions — datagrams to send, the next deadline, clock adjustments (already applied through
 * the injected `DisciplinedClock`) and device events. It never reads a socket, a timer or the
 * system clock.
 *
 * Pipeline per reply: association tests and on-wire calculation (`association.ts`) → clock
 * filter (display) and per-source Kalman estimate (`sourceEstimator.ts`) → selection,
 * clustering (`sourceSelection.ts`) → inverse-variance combination of the survivors' estimates
 * → discipline (`clockDiscipline.ts`). `ntp master` is the fallback when nothing survives.
 *
 * Routing contract for the runtime: hand this core every datagram of mode 4 (server) and 2
 * (symmetric passive), and mode-1 datagrams from configured peers (the server core answers
 * those too). Call `handleTimer(now)` once after construction and whenever the last returned
 * timer deadline passes.
 */
import { randomBytes } from "node:crypto";
import type { NtpSnapshot } from "../ntpSnapshot.js";
import { Association, type AssociationCounters, type RequestContext, type Sample } from "./association.js";
import type { ClientAction, ClientEvent, DatagramSource } from "./clientActions.js";
import {
  associationKey,
  type ClientConfig,
  DEFAULT_MAXPOLL_LOG2,
  DEFAULT_MINPOLL_LOG2,
  endpointKey,
  resolveAssociationConfig,
} from "./clientConfig.js";
import { buildNtpSnapshot, type SnapshotOptions } from "./clientSnapshot.js";
import { ClockDiscipline, type DisciplineAction, MAX_FREQUENCY } from "./clockDiscipline.js";
import type { DisciplinedClock } from "./disciplinedClock.js";
import { leapSecondInstant } from "./leapSecond.js";
import { LOCAL_CLOCK_ADDRESS, LOCAL_CLOCK_ID, LocalClockSource } from "./localClockSource.js";
import { addSeconds, type NtpTimestamp, readTimestamp, timestampDiffSeconds } from "./ntpTimestamp.js";
import { decodePacket } from "./packet.js";
import { Leap, MAX_DISTANCE_SECONDS, MIN_POLL_LOG2, NTP_HEADER_LENGTH } from "./protocolConstants.js";
import type { ServerClock, SystemSnapshot } from "./serverClock.js";
import {
  DEFAULT_ESTIMATOR_SETTINGS,
  type EstimatorSettings,
  type OffsetMeasurement,
} from "./sourceEstimator.js";
import { selectSources } from "./sourceSelection.js";
import { candidateOf, combineEstimates } from "./systemEstimate.js";
import { adoptLocalClock, adoptPeer, type SurvivorEstimate, SystemVariables } from "./systemVariables.js";

/** Frequency prior of a new estimator when nothing is known: the whole correction range. */
const UNKNOWN_FREQUENCY_STDDEV = MAX_FREQUENCY;
/** Frequency prior after a drift-file restore (temperature moves a quartz by a few ppm). */
const RESTORED_FREQUENCY_STDDEV = 5e-6;
/** Before the first clock update, wait this long after the first usable source for the others, so a falseticker cannot win by answering first. */
export const STARTUP_QUORUM_WAIT_SECONDS = 8;
/** RFC 5905 §7.3: the transmit timestamp's offset in the header. */
const TRANSMIT_OFFSET = 40;
/** First poll of a new association: within this many seconds (randomized, as ntpd does). */
const FIRST_POLL_SPREAD_SECONDS = 2;
/** Default clock precision when the runtime does not measure it (about 1 µs). */
const DEFAULT_PRECISION_LOG2 = -20;

export interface NtpClientOptions {
  readonly clock: DisciplinedClock;
  readonly config: ClientConfig;
  readonly nowMonotonicSeconds: number;
  /** Precision of the clock, log2 s (RFC 5905 §7.3). */
  readonly precisionLog2?: number;
  /** Uniform random numbers in [0, 1) for request cookies and poll spreading; default node:crypto. */
  readonly random?: () => number;
  readonly estimator?: EstimatorSettings;
  /** Cosmetics of `show ntp status` (nominal frequency, resolution). */
  readonly snapshot?: SnapshotOptions;
  /**
   * What feeds the estimators: every sample weighted by its delay (default), or — for
   * comparison in the simulator — only RFC 5905 clock-filter outputs, as ntpd feeds its PLL.
   */
  readonly sampleFeed?: SampleFeed;
}

export type SampleFeed = "every-sample" | "clock-filter";

export class NtpClient {
  readonly #clock: DisciplinedClock;
  readonly #random: () => number;
  readonly #estimatorSettings: EstimatorSettings;
  readonly #precisionLog2: number;
  readonly #startedAt: number;
  readonly #snapshotOptions: SnapshotOptions;
  readonly #sampleFeed: SampleFeed;
  readonly #discipline: ClockDiscipline;
  readonly #system: SystemVariables;
  #config: ClientConfig;
  #associations = new Map<string, Association>();
  #byEndpoint = new Map<string, Association>();
  #local: LocalClockSource | undefined;
  #nextId = LOCAL_CLOCK_ID + 1;
  #frequencyPriorStdDev = UNKNOWN_FREQUENCY_STDDEV;
  #firstCandidateAt: number | undefined;
  #leapAt: NtpTimestamp | undefined;
  #leapApplied: NtpTimestamp | undefined;
  #actions: ClientAction[] = [];

  constructor(options: NtpClientOptions) {
    this.#clock = options.clock;
    this.#random = options.random ?? cryptoRandom;
    this.#estimatorSettings = options.estimator ?? DEFAULT_ESTIMATOR_SETTINGS;
    this.#precisionLog2 = options.precisionLog2 ?? DEFAULT_PRECISION_LOG2;
    this.#startedAt = options.nowMonotonicSeconds;
    this.#snapshotOptions = options.snapshot ?? {};
    this.#sampleFeed = options.sampleFeed ?? "every-sample";
    this.#system = new SystemVariables(this.#precisionLog2);
    this.#config = options.config;
    this.#discipline = new ClockDiscipline(options.clock, pollRange(options.config), {
      advanceTo: (now, slewRate) => this.#advanceEstimators(now, slewRate),
      frequencyShifted: (delta) => {
        for (const a of this.#associations.values()) a.estimator.shiftFrequency(delta);
      },
    });
    this.#applyConfig(options.config, options.nowMonotonicSeconds);
    this.#actions = [];
  }

  /** Replaces the configuration live; associations that stay keep their state. */
  updateConfig(config: ClientConfig, nowMonotonicSeconds: number): ClientAction[] {
    this.#applyConfig(config, nowMonotonicSeconds);
    this.#select(nowMonotonicSeconds, undefined);
    return this.#finish(nowMonotonicSeconds);
  }

  /** Timer tick: end slews, apply a due leap second, poll what is due. */
  handleTimer(nowMonotonicSeconds: number): ClientAction[] {
    const now = nowMonotonicSeconds;
    this.#discipline.tick(now);
    this.#applyLeapIfDue();
    if (this.#local !== undefined && this.#local.nextPollAt <= now) this.#local.poll(now, this.#clock.now());
    // Distances grew, or the quorum wait may have expired: select again — before polling, so that
    // nothing runs between reading a request's t1 and handing the request to the runtime (every µs
    // there is offset error; selection took ~300 µs on loopback measurements).
    this.#select(now, undefined);
    let reachabilityLost = false;
    for (const association of this.#associations.values()) {
      if (association.nextPollAt <= now && this.#poll(association, now)) reachabilityLost = true;
    }
    // A source just became unreachable: selection must see it now (sync may be lost).
    if (reachabilityLost) this.#select(now, undefined);
    return this.#finish(now);
  }

  /**
   * The runtime sent a request at `sentAt` (read right before the send): refines the request's
   * t1, so nothing between building and sending it becomes offset error.
   */
  requestSent(destination: DatagramSource, datagram: Uint8Array, sentAt: NtpTimestamp): void {
    if (datagram.length < NTP_HEADER_LENGTH) return;
    const association = this.#byEndpoint.get(endpointKey(destination.address, destination.port));
    const bytes = Buffer.from(datagram.buffer, datagram.byteOffset, datagram.byteLength);
    association?.refineTransmitTime(readTimestamp(bytes, TRANSMIT_OFFSET), sentAt);
  }

  /** A datagram from `source`, received when the clock read `receiveTime`. */
  handlePacket(
    source: DatagramSource,
    receiveTime: NtpTimestamp,
    datagram: Uint8Array,
    nowMonotonicSeconds: number,
  ): ClientAction[] {
    const now = nowMonotonicSeconds;
    this.#discipline.tick(now);
    const association = this.#byEndpoint.get(endpointKey(source.address, source.port));
    const decoded = decodePacket(datagram);
    if (association === undefined || !decoded.ok) return this.#finish(now);
    const outcome = association.handlePacket(
      decoded,
      receiveTime,
      now,
      this.#keyOf(association),
      this.#config.authenticate || association.config.keyId !== undefined,
    );
    if (outcome.kind === "ignored") return this.#finish(now);
    if (outcome.becameReachable) this.#event({ kind: "peer-reachable", peer: association.config.address });
    if (outcome.kind === "status") {
      if (outcome.kiss !== undefined) {
        this.#event({ kind: "kiss-of-death", peer: association.config.address, code: outcome.kiss });
      }
      this.#select(now, undefined);
      return this.#finish(now);
    }
    const measurement = this.#measurement(association, outcome.sample);
    if (measurement === undefined) {
      this.#select(now, undefined);
      return this.#finish(now);
    }
    association.estimator.advance(now, this.#discipline.slewRate);
    const update = association.estimator.update(measurement);
    if (update.kind === "outlier") {
      // Confirm or refute the jump soon rather than one (possibly 1024 s) poll later.
      association.counters.outliers++;
      association.expeditePoll(now);
      return this.#finish(now);
    }
    if (update.kind === "restarted") association.restartFilter(outcome.sample);
    // RFC 5905 §13 lets the poll grow while the offset stays within PGATE × jitter: here, while
    // the prediction error stays within a few times the sample's own noise — when it is larger,
    // the clock wanders more than one poll interval can follow.
    const surprise =
      update.kind === "accepted"
        ? Math.abs(update.innovationSeconds) / Math.sqrt(measurement.varianceSeconds2)
        : update.kind === "initialized"
          ? 0
          : Number.POSITIVE_INFINITY;
    this.#select(now, { association, surprise });
    return this.#finish(now);
  }

  /** What `show ntp associations [detail]` and `show ntp status` print. */
  snapshot(nowMonotonicSeconds: number): NtpSnapshot {
    return buildNtpSnapshot({
      now: nowMonotonicSeconds,
      startedAt: this.#startedAt,
      associations: [...this.#associations.values()],
      local: this.#local,
      system: this.#system,
      discipline: this.#discipline,
      precisionLog2: this.#precisionLog2,
      clockNow: this.#clock.now(),
      options: this.#snapshotOptions,
    });
  }

  /** System variables for the server side (stratum, refid, root delay/dispersion, leap). */
  systemSnapshot(): SystemSnapshot {
    return this.#system.snapshot(this.#clock.now(), this.#local);
  }

  /** The clock and system variables as the server core reads them. */
  serverClock(): ServerClock {
    return { now: () => this.#clock.now(), system: () => this.systemSnapshot() };
  }

  /** The frequency correction to persist (drift file), ppm. */
  frequencyPpm(): number {
    return this.#discipline.frequencyPpm;
  }

  /** Restores a persisted frequency correction (drift file), ppm; call before the first update. */
  restoreFrequencyPpm(ppm: number, nowMonotonicSeconds: number): void {
    this.#discipline.restoreFrequencyPpm(ppm, nowMonotonicSeconds);
    this.#frequencyPriorStdDev = RESTORED_FREQUENCY_STDDEV;
    for (const a of this.#associations.values()) {
      if (!a.estimator.initialized) a.estimator.reset(this.#frequencyPriorStdDev);
    }
  }

  /** Per-association packet counters (for statistics and tests). */
  counters(): { address: string; port: number; counters: AssociationCounters }[] {
    return [...this.#associations.values()].map((a) => ({
      address: a.config.address,
      port: a.config.port,
      counters: a.counters,
    }));
  }

  /** The estimator's input for a new sample, per the configured feed (undefined: none). */
  #measurement(association: Association, sample: Sample): OffsetMeasurement | undefined {
    if (this.#sampleFeed === "every-sample") return sample;
    if (!sample.passedFilter) return undefined;
    const filter = association.filter;
    return {
      offsetSeconds: filter.offsetSeconds,
      varianceSeconds2: sample.varianceSeconds2 + filter.jitterSeconds ** 2,
      timeSeconds: sample.timeSeconds,
    };
  }

  #applyConfig(config: ClientConfig, now: number): void {
    this.#config = config;
    const next = new Map<string, Association>();
    for (const entry of config.associations) {
      const resolved = resolveAssociationConfig(entry);
      const key = associationKey(resolved);
      if (next.has(key)) continue;
      const existing = this.#associations.get(key);
      if (existing !== undefined) {
        existing.reconfigure(resolved, now);
        next.set(key, existing);
        continue;
      }
      const firstPoll = now + this.#random() * FIRST_POLL_SPREAD_SECONDS;
      next.set(
        key,
        new Association(
          this.#nextId++,
          resolved,
          firstPoll,
          2 ** this.#precisionLog2,
          this.#estimatorSettings,
          this.#frequencyPriorStdDev,
        ),
      );
    }
    this.#associations = next;
    this.#byEndpoint = new Map(
      [...next.values()].map((a) => [endpointKey(a.config.address, a.config.port), a]),
    );
    const stratum = config.masterStratum;
    if (stratum === undefined) this.#local = undefined;
    else if (this.#local === undefined) this.#local = new LocalClockSource(stratum, now);
    else this.#local.stratum = stratum;
    this.#discipline.updateSettings(pollRange(config));
    if (this.#system.peerId !== undefined && this.#system.peerId !== LOCAL_CLOCK_ID) {
      if (![...next.values()].some((a) => a.id === this.#system.peerId)) this.#system.peerId = undefined;
    }
  }

  /** Poll one association; true when it just became unreachable. */
  #poll(association: Association, now: number): boolean {
    const fit = this.#isFit(association, now);
    const system = this.systemSnapshot();
    const context: RequestContext = {
      system,
      key: this.#keyOf(association),
      random: this.#random,
      retryUnanswered: this.#discipline.loopState === "NSET" || this.#discipline.loopState === "FREQ",
      // t1 is read last, right before the request is encoded: every µs between this reading
      // and the send is an error in the offset the reply yields.
      nowLocal: this.#clock.now(),
    };
    const { datagram, becameUnreachable } = association.poll(now, this.#discipline.pollLog2, fit, context);
    if (becameUnreachable) this.#event({ kind: "peer-unreachable", peer: association.config.address });
    if (datagram !== undefined) {
      this.#actions.push({
        kind: "send",
        address: association.config.address,
        port: association.config.port,
        datagram,
      });
    }
    return becameUnreachable;
  }

  #keyOf(association: Association) {
    const id = association.config.keyId;
    return id === undefined ? undefined : this.#config.keys.get(id);
  }

  /** RFC 5905 A.5.2 `fit()`: synchronized, reachable, close enough, authenticated when required. */
  #isFit(association: Association, now: number): boolean {
    const header = association.header;
    if (header === undefined || association.lastSample === undefined || association.reach === 0) return false;
    if (association.condition !== undefined || !association.estimator.initialized) return false;
    if (header.leap === Leap.Unsynchronized || header.stratum === 0 || header.stratum >= 16) return false;
    if (this.#config.authenticate && !association.authenticated) return false;
    const threshold = MAX_DISTANCE_SECONDS + 15e-6 * 2 ** this.#discipline.pollLog2;
    return association.rootDistance(now) < threshold;
  }

  /**
   * Selection, and — when `trigger` carries a new sample from a survivor, or the first update
   * is due — a discipline update from the survivors' combined estimate.
   */
  #select(now: number, trigger: { association: Association; surprise: number } | undefined): void {
    this.#advanceEstimators(now, this.#discipline.slewRate);
    const fit = [...this.#associations.values()].filter((a) => this.#isFit(a, now));
    for (const a of this.#associations.values()) a.selection = "reject";
    if (fit.length === 0) this.#firstCandidateAt = undefined;
    if (!this.#quorumReady(now, fit)) return;
    const candidates = fit.map((a) => candidateOf(a, now));
    const result = selectSources(candidates, this.#system.peerId);
    const byId = new Map(fit.map((a) => [a.id, a]));
    for (const id of result.falsetickers) byId.get(id)!.selection = "falseticker";
    for (const id of result.outlyers) byId.get(id)!.selection = "outlyer";
    for (const id of result.survivors) byId.get(id)!.selection = "candidate";
    if (result.systemPeer === undefined) {
      this.#noUpstream();
      return;
    }
    const peer = byId.get(result.systemPeer)!;
    peer.selection = "sys.peer";
    const survivors = result.survivors.map((id) => byId.get(id)!);
    // Without an upstream system peer (start, after a step, after losing every source) the
    // system updates as soon as the quorum is complete, sample or not.
    const firstUpdate = this.#awaitingQuorum() && trigger === undefined;
    if (!firstUpdate && (trigger === undefined || !result.survivors.includes(trigger.association.id))) {
      if (this.#system.synchronized && this.#system.peerId !== peer.id)
        this.#adopt(peer, survivors, now, this.#discipline.lastOffsetSeconds, result.selectionJitterSeconds);
      return;
    }
    const estimate = combineEstimates(peer, survivors);
    const surprise = trigger !== undefined && trigger.association === peer ? trigger.surprise : undefined;
    const action = this.#discipline.update(now, { ...estimate, surprise });
    this.#apply(action, peer, survivors, now, result.selectionJitterSeconds);
  }

  #apply(
    action: DisciplineAction,
    peer: Association,
    survivors: Association[],
    now: number,
    selectionJitter: number,
  ): void {
    switch (action.kind) {
      case "slew":
        this.#actions.push({
          kind: "clock",
          adjustment: {
            type: "slew",
            offsetSeconds: action.offsetSeconds,
            durationSeconds: action.durationSeconds,
            frequencyPpm: action.frequencyPpm,
          },
        });
        this.#adopt(peer, survivors, now, action.offsetSeconds, selectionJitter);
        return;
      case "step":
        this.#stepped(action.offsetSeconds, peer, now);
        return;
      case "spike":
        return;
      case "panic":
        this.#event({ kind: "panic", peer: peer.config.address, offsetSeconds: action.offsetSeconds });
        return;
    }
  }

  /** Makes `peer` the system peer: system variables from it, PEERSYNC when it is new. */
  #adopt(
    peer: Association,
    survivors: Association[],
    now: number,
    offsetSeconds: number,
    selectionJitter: number,
  ): void {
    const wasSynchronized = this.#system.synchronized;
    const previous = this.#system.peerId;
    const estimates: SurvivorEstimate[] = survivors.map((s) => ({ leap: s.header?.leap ?? Leap.NoWarning }));
    adoptPeer(this.#system, peer, estimates, now, offsetSeconds, selectionJitter, this.#clock.now());
    this.#updateLeapSchedule();
    if (!wasSynchronized || previous !== peer.id)
      this.#event({ kind: "sync-gained", peer: peer.config.address });
  }

  #noUpstream(): void {
    this.#discipline.holdover();
    const wasSynchronized = this.#system.synchronized;
    if (this.#local !== undefined) {
      const changed = !wasSynchronized || this.#system.peerId !== LOCAL_CLOCK_ID;
      adoptLocalClock(this.#system, this.#local);
      this.#leapAt = undefined;
      if (changed) this.#event({ kind: "sync-gained", peer: LOCAL_CLOCK_ADDRESS });
      return;
    }
    this.#system.unsynchronize();
    this.#leapAt = undefined;
    if (wasSynchronized) this.#event({ kind: "sync-lost" });
  }

  #stepped(offsetSeconds: number, peer: Association, now: number): void {
    const to = this.#clock.now();
    const from = addSeconds(to, -offsetSeconds);
    this.#actions.push({ kind: "clock", adjustment: { type: "step", offsetSeconds } });
    this.#event({ kind: "clock-stepped", from, to, offsetSeconds, peer: peer.config.address });
    for (const a of this.#associations.values()) a.resetAfterStep(now, this.#frequencyPriorStdDev);
    this.#firstCandidateAt = undefined;
    this.#system.unsynchronize();
    this.#system.peerId = undefined;
    this.#leapAt = undefined;
  }

  /** No upstream system peer: the next selection must wait for the quorum. */
  #awaitingQuorum(): boolean {
    return this.#system.peerId === undefined || this.#system.peerId === LOCAL_CLOCK_ID;
  }

  /**
   * Without an upstream system peer: wait until every association has had its say (answered,
   * or been denied), at most `STARTUP_QUORUM_WAIT_SECONDS` after the first became usable, so
   * that the first source to answer cannot win alone — it might be the falseticker.
   */
  #quorumReady(now: number, fit: readonly Association[]): boolean {
    if (!this.#awaitingQuorum() || fit.length === 0) return true;
    this.#firstCandidateAt ??= now;
    if (now - this.#firstCandidateAt >= STARTUP_QUORUM_WAIT_SECONDS) return true;
    for (const a of this.#associations.values()) {
      if (a.denied || fit.includes(a) || a.header !== undefined) continue;
      return false;
    }
    return true;
  }

  /** When the quorum wait expires, if that is still ahead. */
  #startupDeadline(now: number): number | undefined {
    if (!this.#awaitingQuorum() || this.#firstCandidateAt === undefined) return undefined;
    const deadline = this.#firstCandidateAt + STARTUP_QUORUM_WAIT_SECONDS;
    return deadline > now ? deadline : undefined;
  }

  #advanceEstimators(now: number, slewRate: number): void {
    for (const a of this.#associations.values()) a.estimator.advance(now, slewRate);
  }

  #updateLeapSchedule(): void {
    const leap = this.#system.leap;
    if (leap !== Leap.InsertSecond && leap !== Leap.DeleteSecond) {
      this.#leapAt = undefined;
      return;
    }
    const at = leapSecondInstant(this.#clock.now());
    this.#leapAt =
      at !== undefined && this.#leapApplied !== undefined && sameSecond(at, this.#leapApplied)
        ? undefined
        : at;
  }

  /** At midnight UTC ending a month with a leap announced: step the clock by one second. */
  #applyLeapIfDue(): void {
    const at = this.#leapAt;
    if (at === undefined) return;
    const nowLocal = this.#clock.now();
    if (timestampDiffSeconds(nowLocal, at) < 0) return;
    const inserted = this.#system.leap === Leap.InsertSecond;
    this.#clock.step(inserted ? -1 : 1);
    this.#leapApplied = at;
    this.#leapAt = undefined;
    this.#system.leap = Leap.NoWarning;
    for (const a of this.#associations.values()) a.abandonOutstanding();
    this.#event({ kind: "leap-second", inserted, at });
  }

  #finish(now: number): ClientAction[] {
    const deadlines: number[] = [];
    for (const a of this.#associations.values()) deadlines.push(a.nextPollAt);
    if (this.#local !== undefined) deadlines.push(this.#local.nextPollAt);
    const slewEnd = this.#discipline.slewEndsAt;
    if (slewEnd !== undefined) deadlines.push(slewEnd);
    const startup = this.#startupDeadline(now);
    if (startup !== undefined) deadlines.push(startup);
    if (this.#leapAt !== undefined)
      deadlines.push(now + Math.max(0, timestampDiffSeconds(this.#leapAt, this.#clock.now())));
    const next = Math.min(...deadlines);
    const actions = this.#actions;
    this.#actions = [];
    if (Number.isFinite(next)) actions.push({ kind: "timer", atMonotonicSeconds: Math.max(next, now) });
    return actions;
  }

  #event(event: ClientEvent): void {
    this.#actions.push({ kind: "event", event });
  }
}

/** The discipline's poll range: the widest the associations allow (RFC 5905 `s.poll` bounds). */
function pollRange(config: ClientConfig): { minPollLog2: number; maxPollLog2: number } {
  const resolved = config.associations.map(resolveAssociationConfig);
  if (resolved.length === 0) return { minPollLog2: DEFAULT_MINPOLL_LOG2, maxPollLog2: DEFAULT_MAXPOLL_LOG2 };
  return {
    minPollLog2: Math.max(MIN_POLL_LOG2, Math.min(...resolved.map((c) => c.minpoll))),
    maxPollLog2: Math.max(...resolved.map((c) => c.maxpoll)),
  };
}

function sameSecond(a: NtpTimestamp, b: NtpTimestamp): boolean {
  return Math.abs(timestampDiffSeconds(a, b)) < 0.5;
}

function cryptoRandom(): number {
  return randomBytes(4).readUInt32BE(0) / 2 ** 32;
}

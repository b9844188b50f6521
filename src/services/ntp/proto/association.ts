/**
 * One configured association (`ntp server` = client mode 3, `ntp peer` = symmetric active mode 1):
 * the per-source half of RFC 5905 — the poll process (§13, Appendix A.5.7: reach register,
 * unreachable back-off, burst and iburst), the request it sends, the reply tests
 * (`replyValidation.ts`), kiss-o'-death handling (§7.4), the on-wire calculation (§8), the
 * clock filter (§10) and the source's offset/frequency estimator. What it does with the system
 * (selection, discipline) is the client's business; it reports outcomes instead.
 */
import type { SelectionState } from "../ntpSnapshot.js";
import type { ResolvedAssociationConfig } from "./clientConfig.js";
import { ClockFilter, type FilterInput } from "./clockFilter.js";
import type { SymmetricKey } from "./mac.js";
import {
  type NtpTimestamp,
  ntpShortToSeconds,
  timestampDiffSeconds,
  timestampsEqual,
  ZERO_TIMESTAMP,
} from "./ntpTimestamp.js";
import type { NtpPacket, PacketLayout } from "./packet.js";
import {
  FREQUENCY_TOLERANCE,
  type LeapIndicator,
  MAX_DISPERSION_SECONDS,
  MAX_POLL_LOG2,
  MAX_STRATUM,
  MIN_DISPERSION_SECONDS,
} from "./protocolConstants.js";
import { displayReferenceId } from "./referenceId.js";
import { type ReplyRejectReason, type ReplyVerdict, validateReply } from "./replyValidation.js";
import { buildRequest } from "./requestPacket.js";
import type { SystemSnapshot } from "./serverClock.js";
import { type EstimatorSettings, SourceEstimator } from "./sourceEstimator.js";

/** Packets in a burst (RFC 5905 Appendix A.1.1, BCOUNT). */
export const BURST_COUNT = 8;
/** Seconds between the packets of a burst (RFC 5905 Appendix A.1.1, BTIME). */
export const BURST_INTERVAL_SECONDS = 2;
/** Polls without any reply before the poll interval starts doubling (ntpd `NTP_UNREACH`). */
export const UNREACH_THRESHOLD = 10;
/** Resends of an unanswered request while the clock's frequency is not yet known. */
export const STARTUP_RETRIES = 3;
/** No resends to a source that has not answered this many polls in a row (it is down, not lossy). */
const RETRY_MISSED_LIMIT = 2;
/** The scheduler's floor: a due time in the past is moved this far into the future (A.5.7.2). */
const MIN_POLL_DELAY_SECONDS = 1;
/** Reply samples whose delay exceeds the path minimum by this fraction count as noise floor (see `measurementVariance`). */
const DELAY_FLOOR_FRACTION = 0.1;

/** Why the ref-clock column shows a state instead of the source's refid. */
export type AssociationCondition = "init" | "auth" | "step" | "RATE" | "DENY" | "RSTR" | undefined;

export interface AssociationCounters {
  /** Packets matched to this association. */
  received: number;
  sent: number;
  /** Packets that failed a test (the sum of the reasons below). */
  errors: number;
  rejected: Record<ReplyRejectReason, number>;
  /** Answers from an unsynchronized server (no sample). */
  unsynchronized: number;
  kissOfDeath: number;
  /** Samples the estimator found implausible and did not use. */
  outliers: number;
}

/** A completed exchange (RFC 5905 §8), ready for the filter and the estimator. */
export interface Sample extends FilterInput {
  /** Monotonic time of reception. */
  readonly timeSeconds: number;
  /** Variance of the offset, derived from the delay, s². */
  readonly varianceSeconds2: number;
  /** RFC 5905 §10 would pass the filter's output on to the discipline after this sample. */
  readonly passedFilter: boolean;
}

export type ReplyOutcome =
  | { readonly kind: "ignored"; readonly reason: ReplyRejectReason }
  /** Accepted without a sample (peer's own request, unsynchronized server, kiss-o'-death). */
  | { readonly kind: "status"; readonly becameReachable: boolean; readonly kiss?: string | undefined }
  | { readonly kind: "sample"; readonly sample: Sample; readonly becameReachable: boolean };

/** What an association needs from the client to build a request. */
export interface RequestContext {
  readonly nowLocal: NtpTimestamp;
  readonly system: SystemSnapshot;
  readonly key: SymmetricKey | undefined;
  /** Uniform in [0, 1). */
  readonly random: () => number;
  /**
   * The frequency is not yet known: resend an unanswered request after `BURST_INTERVAL_SECONDS`
   * (up to `STARTUP_RETRIES` times), so one lost packet does not cost a whole poll interval.
   */
  readonly retryUnanswered: boolean;
}

/** The header fields last heard from the source. */
export interface PeerHeader {
  readonly leap: LeapIndicator;
  readonly stratum: number;
  readonly pollLog2: number;
  readonly precisionLog2: number;
  readonly rootDelaySeconds: number;
  readonly rootDispersionSeconds: number;
  readonly referenceId: number;
  readonly referenceTime: NtpTimestamp;
  readonly mode: number;
  readonly version: number;
}

export class Association {
  config: ResolvedAssociationConfig;
  readonly filter: ClockFilter;
  readonly estimator: SourceEstimator;
  /** Host poll exponent (RFC 5905 `hpoll`). */
  hpoll: number;
  nextPollAt: number;
  reach = 0;
  unreach = 0;
  selection: SelectionState = "reject";
  condition: AssociationCondition = "init";
  /** The last reply's MAC verified. */
  authenticated = false;
  header: PeerHeader | undefined;
  /** Monotonic time of the last packet that passed the origin and MAC tests. */
  lastHeardAt: number | undefined;
  /** Last sample's monotonic time and dispersion (for the root distance). */
  lastSample: Sample | undefined;
  /** Local time we sent the last request (T1) and received the last reply (T4), for `detail`. */
  lastTransmitLocal: NtpTimestamp = ZERO_TIMESTAMP;
  lastReceiveLocal: NtpTimestamp = ZERO_TIMESTAMP;
  /** The last reply's transmit timestamp (T3). */
  lastReceivedTransmit: NtpTimestamp | undefined;
  readonly counters: AssociationCounters = newCounters();
  #burstRemaining = 0;
  #retriesRemaining = 0;
  #missedPolls = 0;
  #lastPollAt: number | undefined;
  #outstandingTransmit: NtpTimestamp | undefined;
  #outstandingLocal: NtpTimestamp = ZERO_TIMESTAMP;
  /** Symmetric mode: the peer's last transmit timestamp and when it arrived (RFC 5905 p.org / p.rec). */
  #peerTransmit: NtpTimestamp = ZERO_TIMESTAMP;
  #peerReceive: NtpTimestamp = ZERO_TIMESTAMP;
  #suppressReachEvent = false;

  constructor(
    readonly id: number,
    config: ResolvedAssociationConfig,
    firstPollAt: number,
    readonly systemPrecisionSeconds: number,
    estimatorSettings: EstimatorSettings,
    initialFrequencyStdDev: number,
  ) {
    this.config = config;
    this.hpoll = config.minpoll;
    this.nextPollAt = firstPollAt;
    this.filter = new ClockFilter(systemPrecisionSeconds);
    this.estimator = new SourceEstimator(estimatorSettings, initialFrequencyStdDev);
  }

  get denied(): boolean {
    return this.condition === "DENY" || this.condition === "RSTR";
  }

  /** Replaces the options of a live association, keeping its state (config update). */
  reconfigure(config: ResolvedAssociationConfig, now: number): void {
    const keyChanged = config.keyId !== this.config.keyId;
    this.config = config;
    this.hpoll = clamp(this.hpoll, config.minpoll, config.maxpoll);
    if (keyChanged) {
      this.authenticated = false;
      if (this.condition === "auth") this.condition = "init";
    }
    const due = (this.#lastPollAt ?? now) + 2 ** this.hpoll;
    if (this.#burstRemaining === 0 && !this.denied)
      this.nextPollAt = Math.max(now + MIN_POLL_DELAY_SECONDS, Math.min(this.nextPollAt, due));
  }

  /**
   * The poll process at `now` (RFC 5905 A.5.7.1 `poll()`): shift the reach register, back off
   * when unreachable, start a burst, then build the request and schedule the next poll.
   * `systemPoll` is the discipline's poll exponent; `fit` whether this source could be selected.
   */
  /**
   * The runtime's reading of the clock at the moment the request left (client mode only: its
   * transmit field is a random cookie, so the local t1 can be refined after encoding). Ignored
   * unless `cookie` is the outstanding request's.
   */
  refineTransmitTime(cookie: NtpTimestamp, sentAt: NtpTimestamp): void {
    if (this.config.kind !== "server" || this.#outstandingTransmit === undefined) return;
    if (timestampsEqual(cookie, this.#outstandingTransmit)) this.#outstandingLocal = sentAt;
  }

  poll(
    now: number,
    systemPoll: number,
    fit: boolean,
    ctx: RequestContext,
  ): { datagram: Buffer | undefined; becameUnreachable: boolean } {
    let becameUnreachable = false;
    if (this.denied) {
      this.nextPollAt = Number.POSITIVE_INFINITY;
      return { datagram: undefined, becameUnreachable };
    }
    if (this.#burstRemaining === 0 && this.#retriesRemaining > 0) {
      if (this.#outstandingTransmit === undefined) {
        // Answered: no retry needed; back to the regular schedule.
        this.#retriesRemaining = 0;
        this.#scheduleNext(now);
        return { datagram: undefined, becameUnreachable };
      }
      this.#retriesRemaining--;
    } else if (this.#burstRemaining === 0) {
      becameUnreachable = this.#regularPoll(now, systemPoll, fit);
      if (ctx.retryUnanswered && this.#burstRemaining === 0 && this.#missedPolls < RETRY_MISSED_LIMIT) {
        this.#retriesRemaining = STARTUP_RETRIES;
      }
    }
    if (this.#burstRemaining > 0) this.#burstRemaining--;
    const datagram = this.#request(ctx);
    this.counters.sent++;
    this.#scheduleNext(now);
    return { datagram, becameUnreachable };
  }

  /** The reach register, unreachable back-off and burst decisions of a regular poll; true when it just became unreachable. */
  #regularPoll(now: number, systemPoll: number, fit: boolean): boolean {
    const wasReachable = this.reach !== 0;
    // Still outstanding here means the previous poll (and its resends) went unanswered.
    this.#missedPolls = this.#outstandingTransmit === undefined ? 0 : this.#missedPolls + 1;
    this.#lastPollAt = now;
    this.reach = (this.reach << 1) & 0xff;
    if ((this.reach & 0x7) === 0 && this.filter.hasSamples) this.filter.addDummy(now);
    if (this.reach === 0) {
      if (this.config.iburst && this.unreach === 0) this.#burstRemaining = BURST_COUNT;
      else if (this.unreach < UNREACH_THRESHOLD) this.unreach++;
      else this.hpoll = Math.min(this.hpoll + 1, this.config.maxpoll);
      return wasReachable;
    }
    this.unreach = 0;
    this.hpoll = clamp(systemPoll, this.config.minpoll, this.config.maxpoll);
    if (this.config.burst && fit) this.#burstRemaining = BURST_COUNT;
    return false;
  }

  /** Applies RFC 5905's tests to a packet from this source and, if it is a reply, measures. */
  handlePacket(
    decoded: { readonly packet: NtpPacket; readonly layout: PacketLayout },
    receiveLocal: NtpTimestamp,
    now: number,
    key: SymmetricKey | undefined,
    requireAuthentication: boolean,
  ): ReplyOutcome {
    this.counters.received++;
    const verdict = validateReply(decoded, {
      associationKind: this.config.kind,
      outstandingTransmit: this.#outstandingTransmit,
      lastReceivedTransmit: this.lastReceivedTransmit,
      key,
      requireAuthentication,
    });
    if (verdict.kind === "reject") return this.#rejected(verdict.reason);
    const { packet } = decoded;
    this.lastReceivedTransmit = packet.transmitTimestamp;
    if (this.config.kind === "peer") {
      this.#peerTransmit = packet.transmitTimestamp;
      this.#peerReceive = receiveLocal;
    }
    if (verdict.kind === "peer-request") return { kind: "status", becameReachable: false };
    this.#outstandingTransmit = undefined;
    this.authenticated = verdict.authenticated;
    this.lastHeardAt = now;
    this.lastReceiveLocal = receiveLocal;
    this.header = headerOf(packet);
    const becameReachable = this.#markReachable();
    return this.#accepted(verdict, packet, receiveLocal, now, becameReachable);
  }

  /** After a clock step every association starts over (RFC 5905 Appendix A `clear()` with the STEP kiss code; IOS shows `.STEP.`). */
  resetAfterStep(now: number, initialFrequencyStdDev: number): void {
    this.filter.reset();
    this.estimator.reset(initialFrequencyStdDev);
    this.lastSample = undefined;
    this.reach = 0;
    this.unreach = 0;
    this.#burstRemaining = 0;
    this.#retriesRemaining = 0;
    this.#outstandingTransmit = undefined;
    this.hpoll = this.config.minpoll;
    this.selection = "reject";
    this.header = undefined;
    this.lastHeardAt = undefined;
    if (!this.denied) {
      this.condition = "step";
      this.nextPollAt = now + MIN_POLL_DELAY_SECONDS;
    }
    this.#suppressReachEvent = true;
  }

  /**
   * Root distance λ (RFC 5905 §11.2 `root_dist()`): half the total round trip to the primary
   * reference plus every dispersion and the jitter — the bound on this source's error. The
   * association's own part uses the last sample's dispersion grown since (not the filter's
   * placeholder-laden sum), so a new source is usable after its first reply.
   */
  rootDistance(now: number): number {
    const header = this.header;
    const sample = this.lastSample;
    if (header === undefined || sample === undefined) return Number.POSITIVE_INFINITY;
    const delay = Math.max(MIN_DISPERSION_SECONDS, header.rootDelaySeconds + this.filter.delaySeconds);
    const age = Math.max(0, now - sample.timeSeconds);
    return (
      delay / 2 +
      header.rootDispersionSeconds +
      sample.dispersionSeconds +
      FREQUENCY_TOLERANCE * age +
      this.filter.jitterSeconds
    );
  }

  /** Ref-clock column text (ios-cli.md §2.1). */
  displayReferenceId(): string {
    switch (this.condition) {
      case "init":
        return ".INIT.";
      case "auth":
        return ".AUTH.";
      case "step":
        return ".STEP.";
      case "RATE":
      case "DENY":
      case "RSTR":
        return `.${this.condition}.`;
      default:
        break;
    }
    const header = this.header;
    if (header === undefined) return ".INIT.";
    return displayReferenceId(header.stratum, header.referenceId);
  }

  /** Stratum as shown: the source's, 16 when it has not answered or is unsynchronized. */
  displayStratum(): number {
    const stratum = this.header?.stratum;
    if (stratum === undefined || stratum === 0 || this.condition !== undefined) return MAX_STRATUM;
    return Math.min(stratum, MAX_STRATUM);
  }

  /**
   * The estimator restarted on `sample`: the source moved (a step), so the filter's older
   * samples describe a time it no longer keeps; start the filter over from this one too.
   */
  restartFilter(sample: Sample): void {
    this.filter.reset();
    this.filter.add(sample, sample.timeSeconds, this.hpoll);
  }

  /** Moves the next regular poll to at most `minpoll` from now (to re-check a surprising sample). */
  expeditePoll(now: number): void {
    if (this.denied || this.#burstRemaining > 0) return;
    this.nextPollAt = Math.min(this.nextPollAt, now + 2 ** this.config.minpoll);
  }

  /** Forgets the outstanding request (its reply would straddle a leap-second step). */
  abandonOutstanding(): void {
    this.#outstandingTransmit = undefined;
  }

  /** Local time the outstanding request was sent; zero when none. */
  get outstandingTransmitLocal(): NtpTimestamp {
    return this.#outstandingLocal;
  }

  #markReachable(): boolean {
    const became = this.reach === 0 && !this.#suppressReachEvent;
    this.#suppressReachEvent = false;
    this.reach |= 1;
    this.unreach = 0;
    return became;
  }

  #accepted(
    verdict: Exclude<ReplyVerdict, { kind: "reject" } | { kind: "peer-request" }>,
    packet: NtpPacket,
    receiveLocal: NtpTimestamp,
    now: number,
    becameReachable: boolean,
  ): ReplyOutcome {
    if (verdict.kind === "kiss") return this.#kiss(verdict.code, packet, now, becameReachable);
    this.condition = undefined;
    if (verdict.kind === "unsynchronized") {
      this.counters.unsynchronized++;
      return { kind: "status", becameReachable };
    }
    const sample = this.#measure(packet, receiveLocal, now);
    const passedFilter = this.filter.add(sample, now, this.hpoll);
    const measured: Sample = { ...sample, varianceSeconds2: this.#measurementVariance(sample), passedFilter };
    this.lastSample = measured;
    return { kind: "sample", sample: measured, becameReachable };
  }

  /** RFC 5905 §8: offset, delay and dispersion of one exchange (T1 ours, T2/T3 theirs, T4 ours). */
  #measure(packet: NtpPacket, receiveLocal: NtpTimestamp, now: number): Sample {
    // Our transmit time: a mode-3 request carried a random cookie instead, and a peer's origin
    // timestamp equals it (validated), so the local record is T1 in every mode.
    const t1 = this.#outstandingLocal;
    const t2 = packet.receiveTimestamp;
    const t3 = packet.transmitTimestamp;
    const offsetSeconds = (timestampDiffSeconds(t2, t1) + timestampDiffSeconds(t3, receiveLocal)) / 2;
    const roundTrip = timestampDiffSeconds(receiveLocal, t1);
    const delaySeconds = Math.max(roundTrip - timestampDiffSeconds(t3, t2), this.systemPrecisionSeconds);
    const dispersionSeconds =
      2 ** packet.precisionLog2 + this.systemPrecisionSeconds + FREQUENCY_TOLERANCE * Math.max(0, roundTrip);
    return {
      offsetSeconds,
      delaySeconds,
      dispersionSeconds,
      timeSeconds: now,
      varianceSeconds2: 0,
      passedFilter: false,
    };
  }

  /**
   * A sample's offset error is bounded by half of its delay beyond the path's best delay; if the
   * excess is split at random between the two directions the error is uniform on ±excess/2,
   * variance excess²/12. The floor covers the asymmetry the best delay itself may hide (a tenth
   * of it) and both clocks' precision.
   */
  #measurementVariance(sample: FilterInput): number {
    const minimum = this.filter.minimumDelaySeconds ?? sample.delaySeconds;
    const excess = Math.max(0, sample.delaySeconds - minimum);
    const precision = 2 ** (this.header?.precisionLog2 ?? 0);
    const floor = (DELAY_FLOOR_FRACTION * minimum) ** 2 + precision ** 2 + this.systemPrecisionSeconds ** 2;
    return floor + (excess * excess) / 12;
  }

  /** RFC 5905 §7.4: RATE slows down, DENY and RSTR stop; other codes mean "not synchronized". */
  #kiss(code: string, packet: NtpPacket, now: number, becameReachable: boolean): ReplyOutcome {
    this.counters.kissOfDeath++;
    if (code === "RATE") {
      this.condition = "RATE";
      this.#burstRemaining = 0;
      this.#retriesRemaining = 0;
      this.hpoll = Math.min(MAX_POLL_LOG2, Math.max(this.hpoll + 1, packet.pollLog2, this.config.minpoll));
      this.#scheduleNext(now);
    } else if (code === "DENY" || code === "RSTR") {
      this.condition = code;
      this.#burstRemaining = 0;
      this.#retriesRemaining = 0;
      this.nextPollAt = Number.POSITIVE_INFINITY;
    }
    return { kind: "status", becameReachable, kiss: code };
  }

  #rejected(reason: ReplyRejectReason): ReplyOutcome {
    this.counters.errors++;
    this.counters.rejected[reason]++;
    if (reason === "crypto-nak" || reason === "bad-mac" || reason === "unauthenticated")
      this.condition = "auth";
    return { kind: "ignored", reason };
  }

  #scheduleNext(now: number): void {
    if (this.#burstRemaining > 0 || this.#retriesRemaining > 0) {
      this.nextPollAt = now + BURST_INTERVAL_SECONDS;
      return;
    }
    const peerPoll = this.config.kind === "peer" ? this.header?.pollLog2 : undefined;
    const pollLog2 =
      peerPoll === undefined ? this.hpoll : Math.max(this.config.minpoll, Math.min(peerPoll, this.hpoll));
    const due = (this.#lastPollAt ?? now) + 2 ** pollLog2;
    this.nextPollAt = Math.max(due, now + MIN_POLL_DELAY_SECONDS);
  }

  #request(ctx: RequestContext): Buffer {
    const { datagram, transmit } = buildRequest({
      symmetric: this.config.kind === "peer",
      version: this.config.version,
      pollLog2: this.hpoll,
      nowLocal: ctx.nowLocal,
      system: ctx.system,
      peerTransmit: this.#peerTransmit,
      peerReceive: this.#peerReceive,
      key: ctx.key,
      random: ctx.random,
    });
    this.#outstandingTransmit = transmit;
    this.#outstandingLocal = ctx.nowLocal;
    this.lastTransmitLocal = ctx.nowLocal;
    return datagram;
  }
}

function headerOf(packet: NtpPacket): PeerHeader {
  return {
    leap: packet.leap,
    stratum: packet.stratum,
    pollLog2: packet.pollLog2,
    precisionLog2: packet.precisionLog2,
    rootDelaySeconds: ntpShortToSeconds(packet.rootDelay),
    rootDispersionSeconds: Math.min(MAX_DISPERSION_SECONDS, ntpShortToSeconds(packet.rootDispersion)),
    referenceId: packet.referenceId,
    referenceTime: packet.referenceTimestamp,
    mode: packet.mode,
    version: packet.version,
  };
}

function newCounters(): AssociationCounters {
  return {
    received: 0,
    sent: 0,
    errors: 0,
    rejected: {
      "bad-mode": 0,
      duplicate: 0,
      bogus: 0,
      "crypto-nak": 0,
      "bad-mac": 0,
      unauthenticated: 0,
      "bad-header": 0,
    },
    unsynchronized: 0,
    kissOfDeath: 0,
    outliers: 0,
  };
}

export function clamp(value: number, low: number, high: number): number {
  return Math.max(low, Math.min(high, value));
}

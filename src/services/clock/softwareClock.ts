/**
 * The appliance's one clock (DESIGN.md "One clock"). It reads the host clock only through an
 * injected source and keeps its own offset, so `clock set` and NTP discipline move the
 * appliance's time without touching the host. It knows whether it is authoritative and who set
 * it (what `show clock` flags with `*` and `.`, and what PKI validity depends on), and it holds
 * the NTP system variables servers advertise: stratum, reference id, root delay and dispersion,
 * leap indicator, precision, reference time.
 */
import type { DisciplinedClock } from "../ntp/proto/disciplinedClock.js";
import { createHostClock, type WallTime, wallTimeToNtp } from "./hostClock.js";

export type TimeSource = "none" | "calendar" | "user" | "ntp";

export interface HostTime {
  /** Host wall clock with nanosecond resolution. */
  now(): WallTime;
  /** Monotonic milliseconds (for uptime and timers). */
  monotonicMs(): number;
}

const NS_PER_SECOND = 1_000_000_000;

let systemHost: HostTime | undefined;

/** The real host: hrtime anchored on the wall clock (node-notes §6), created on first use. */
export function systemHostTime(): HostTime {
  if (!systemHost) {
    const host = createHostClock();
    systemHost = { now: () => host.now(), monotonicMs: () => performance.now() };
  }
  return systemHost;
}

export interface ClockReading {
  /** UTC milliseconds since the Unix epoch, integer part. */
  readonly ms: number;
  /** Fraction of a millisecond, 0 <= subMs < 1. */
  readonly subMs: number;
}

/** NTP system variables (RFC 5905 §11.1) as the server advertises them. */
export interface NtpSystemState {
  readonly synchronized: boolean;
  /** 1..15 while synchronized, 16 otherwise. */
  readonly stratum: number;
  readonly leap: 0 | 1 | 2 | 3;
  /** Reference id as a u32 (IPv4 of the system peer, or ASCII for stratum 1). */
  readonly referenceId: number;
  /** How IOS shows the reference: `127.127.1.1`, `.LOCL.`, `10.16.2.2`, or undefined for none. */
  readonly referenceName?: string;
  readonly rootDelaySeconds: number;
  /** Root dispersion at `referenceTime`; it grows by PHI per second after it (RFC 5905 §11.2). */
  readonly rootDispersionSeconds: number;
  readonly referenceTime?: WallTime;
}

export const UNSYNCHRONIZED: NtpSystemState = Object.freeze({
  synchronized: false,
  stratum: 16,
  leap: 3,
  referenceId: 0,
  rootDelaySeconds: 0,
  rootDispersionSeconds: 0,
});

/** RFC 5905 §7.2: frequency tolerance PHI, 15 ppm. */
export const PHI = 15e-6;

/** What moved the clock or its status: `set()`, `setAuthoritative()` or `setNtp()`. */
export type ClockChangeCause = "set" | "authoritative" | "ntp";

/**
 * One change of the clock, as its listeners see it (DESIGN.md "One clock": syslog and PKI react
 * to steps and syncs). The state before the change is here; the state after is the clock's.
 */
export interface ClockChange {
  readonly cause: ClockChangeCause;
  /** The time itself jumped (`clock set`, the calendar, an NTP step). */
  readonly stepped: boolean;
  readonly wasAuthoritative: boolean;
  readonly wasSynchronized: boolean;
}

export type ClockListener = (change: ClockChange) => void;

export class SoftwareClock {
  private offsetSeconds = 0;
  private offsetNanos = 0;
  private sourceValue: TimeSource = "none";
  private authoritativeValue = false;
  private ntpState: NtpSystemState = UNSYNCHRONIZED;
  private readonly bootMono: number;
  private readonly listeners = new Set<ClockListener>();
  /** NTP discipline: frequency correction (ppm) applied since `frequencyAnchorMs` (monotonic). */
  private frequencyPpmValue = 0;
  private frequencyAnchorMs = 0;
  /** Measured cost of reading the clock, as RFC 5905 precision (log2 s). */
  readonly precisionLog2: number;

  constructor(private readonly host: HostTime = systemHostTime()) {
    this.bootMono = host.monotonicMs();
    this.frequencyAnchorMs = this.bootMono;
    this.precisionLog2 = measurePrecision(host);
  }

  /** Current appliance time with nanosecond resolution. */
  wall(): WallTime {
    const h = this.host.now();
    let seconds = h.seconds + this.offsetSeconds;
    let nanos = h.nanos + this.offsetNanos + this.frequencyNanos();
    if (nanos >= NS_PER_SECOND || nanos < 0) {
      const carry = Math.floor(nanos / NS_PER_SECOND);
      nanos -= carry * NS_PER_SECOND;
      seconds += carry;
    }
    return { seconds, nanos };
  }

  /** Current appliance time as milliseconds. */
  now(): ClockReading {
    const w = this.wall();
    const msFloat = w.nanos / 1e6;
    const msInSecond = Math.floor(msFloat);
    return { ms: w.seconds * 1000 + msInSecond, subMs: msFloat - msInSecond };
  }

  nowMs(): number {
    const r = this.now();
    return r.ms + r.subMs;
  }

  uptimeMs(): number {
    return this.host.monotonicMs() - this.bootMono;
  }

  monotonicMs(): number {
    return this.host.monotonicMs();
  }

  get source(): TimeSource {
    return this.sourceValue;
  }

  /** Set by `clock set`, NTP or a valid calendar; drives the `*` flag. */
  get authoritative(): boolean {
    return this.authoritativeValue;
  }

  get synchronized(): boolean {
    return this.ntpState.synchronized;
  }

  /** The flag `show clock` and syslog timestamps print (ios-cli.md §2.5, §2.7). */
  flag(): "" | "*" | "." {
    if (!this.authoritativeValue) return "*";
    if (this.sourceValue === "ntp" && !this.ntpState.synchronized) return ".";
    return "";
  }

  /**
   * Call `listener` after every `set()`, `setAuthoritative()` and `setNtp()`, including NTP's
   * periodic refreshes (listeners compare the state before with the clock's to find what
   * changed). Returns the function that unsubscribes.
   */
  onChange(listener: ClockListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Step the clock to `utcMs` (from `clock set`, the calendar, or an NTP step). */
  set(utcMs: number, source: TimeSource, authoritative: boolean): void {
    const before = this.changeBase();
    const h = this.host.now();
    const targetSeconds = Math.floor(utcMs / 1000);
    const targetNanos = Math.round((utcMs - targetSeconds * 1000) * 1e6);
    let seconds = targetSeconds - h.seconds;
    let nanos = targetNanos - h.nanos;
    if (nanos < 0) {
      nanos += NS_PER_SECOND;
      seconds -= 1;
    }
    this.offsetSeconds = seconds;
    this.offsetNanos = nanos;
    this.frequencyAnchorMs = this.host.monotonicMs();
    this.sourceValue = source;
    this.authoritativeValue = authoritative;
    this.emit({ cause: "set", stepped: true, ...before });
  }

  /**
   * Put the clock at a fixed offset from the host clock (the calendar's own offset at boot and
   * on `clock read-calendar`): exact, where `set(calendar.nowMs())` would lose the time between
   * the two readings.
   */
  setOffsetFromHost(offsetMs: number, source: TimeSource, authoritative: boolean): void {
    const before = this.changeBase();
    const totalNanos = Math.round(offsetMs * 1e6);
    const seconds = Math.floor(totalNanos / NS_PER_SECOND);
    this.offsetSeconds = seconds;
    this.offsetNanos = totalNanos - seconds * NS_PER_SECOND;
    this.frequencyAnchorMs = this.host.monotonicMs();
    this.sourceValue = source;
    this.authoritativeValue = authoritative;
    this.emit({ cause: "set", stepped: true, ...before });
  }

  /** NTP step: move the clock by `offsetSeconds` at once (positive = forward). */
  step(offsetSeconds: number): void {
    const before = this.changeBase();
    this.addToOffset(Math.round(offsetSeconds * NS_PER_SECOND));
    this.emit({ cause: "ntp", stepped: true, ...before });
  }

  /** NTP discipline: the frequency correction in force, ppm (the drift to persist). */
  frequencyPpm(): number {
    return this.frequencyPpmValue;
  }

  /**
   * NTP discipline: run `ppm` parts per million fast (negative: slow) from now on, relative to
   * the host's monotonic clock. The correction accumulated so far is folded into the offset.
   */
  setFrequencyPpm(ppm: number): void {
    this.addToOffset(this.frequencyNanos());
    this.frequencyAnchorMs = this.host.monotonicMs();
    this.frequencyPpmValue = ppm;
  }

  /** The clock as the NTP client core steers it (proto/disciplinedClock.ts). */
  disciplined(): DisciplinedClock {
    return {
      now: () => wallTimeToNtp(this.wall()),
      step: (offsetSeconds) => this.step(offsetSeconds),
      setFrequencyPpm: (ppm) => this.setFrequencyPpm(ppm),
      frequencyPpm: () => this.frequencyPpm(),
    };
  }

  /** ppm × ms = ns: the correction the frequency has added since its anchor. */
  private frequencyNanos(): number {
    if (this.frequencyPpmValue === 0) return 0;
    return Math.round(this.frequencyPpmValue * (this.host.monotonicMs() - this.frequencyAnchorMs));
  }

  private addToOffset(nanos: number): void {
    const total = this.offsetNanos + nanos;
    const carry = Math.floor(total / NS_PER_SECOND);
    this.offsetSeconds += carry;
    this.offsetNanos = total - carry * NS_PER_SECOND;
  }

  /** Mark the clock (not) authoritative without moving it (`clock calendar-valid`, NTP sync). */
  setAuthoritative(authoritative: boolean, source: TimeSource): void {
    const before = this.changeBase();
    this.authoritativeValue = authoritative;
    this.sourceValue = source;
    this.emit({ cause: "authoritative", stepped: false, ...before });
  }

  /** NTP system variables; root dispersion includes its growth since the reference time. */
  ntp(): NtpSystemState {
    const state = this.ntpState;
    if (!state.synchronized || !state.referenceTime) return state;
    const now = this.wall();
    const elapsed =
      now.seconds - state.referenceTime.seconds + (now.nanos - state.referenceTime.nanos) / NS_PER_SECOND;
    return { ...state, rootDispersionSeconds: state.rootDispersionSeconds + PHI * Math.max(0, elapsed) };
  }

  /** Replace the NTP system variables (the NTP service's system process owns them). */
  setNtp(state: NtpSystemState): void {
    const before = this.changeBase();
    this.ntpState = state;
    if (state.synchronized) {
      this.authoritativeValue = true;
      this.sourceValue = "ntp";
    }
    this.emit({ cause: "ntp", stepped: false, ...before });
  }

  private changeBase(): { wasAuthoritative: boolean; wasSynchronized: boolean } {
    return { wasAuthoritative: this.authoritativeValue, wasSynchronized: this.ntpState.synchronized };
  }

  /**
   * Listeners run synchronously, after the change. One that throws must not undo the change
   * nor starve the others, so its error is rethrown on its own, outside this call.
   */
  private emit(change: ClockChange): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}

/** RFC 5905 precision: log2 of the time to read the clock, at least its resolution (1 ns). */
function measurePrecision(host: HostTime): number {
  const samples = 64;
  const t0 = performance.now();
  for (let i = 0; i < samples; i++) host.now();
  const perReadSeconds = Math.max(1e-9, (performance.now() - t0) / 1000 / samples);
  return Math.max(-30, Math.floor(Math.log2(perReadSeconds)));
}

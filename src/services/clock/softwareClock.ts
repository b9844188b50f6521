/**
 * The appliance's one clock (DESIGN.md "One clock"). It reads the host clock only through an
 * injected source and keeps its own offset, so `clock set` and NTP discipline move the
 * appliance's time without touching the host. It knows whether it is authoritative and who set
 * it (what `show clock` flags with `*` and `.`, and what PKI validity depends on), and it holds
 * the NTP system variables servers advertise: stratum, reference id, root delay and dispersion,
 * leap indicator, precision, reference time.
 */
import { createHostClock, type WallTime } from "./hostClock.js";

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

export class SoftwareClock {
  private offsetSeconds = 0;
  private offsetNanos = 0;
  private sourceValue: TimeSource = "none";
  private authoritativeValue = false;
  private ntpState: NtpSystemState = UNSYNCHRONIZED;
  private readonly bootMono: number;
  /** Measured cost of reading the clock, as RFC 5905 precision (log2 s). */
  readonly precisionLog2: number;

  constructor(private readonly host: HostTime = systemHostTime()) {
    this.bootMono = host.monotonicMs();
    this.precisionLog2 = measurePrecision(host);
  }

  /** Current appliance time with nanosecond resolution. */
  wall(): WallTime {
    const h = this.host.now();
    let seconds = h.seconds + this.offsetSeconds;
    let nanos = h.nanos + this.offsetNanos;
    if (nanos >= NS_PER_SECOND) {
      nanos -= NS_PER_SECOND;
      seconds += 1;
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

  /** Step the clock to `utcMs` (from `clock set`, the calendar, or an NTP step). */
  set(utcMs: number, source: TimeSource, authoritative: boolean): void {
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
    this.sourceValue = source;
    this.authoritativeValue = authoritative;
  }

  /** Mark the clock (not) authoritative without moving it (`clock calendar-valid`, NTP sync). */
  setAuthoritative(authoritative: boolean, source: TimeSource): void {
    this.authoritativeValue = authoritative;
    this.sourceValue = source;
  }

  /** NTP system variables; root dispersion includes its growth since the reference time. */
  ntp(): NtpSystemState {
    const state = this.ntpState;
    if (!state.synchronized || !state.referenceTime) return state;
    const now = this.wall();
    const elapsed = now.seconds - state.referenceTime.seconds + (now.nanos - state.referenceTime.nanos) / NS_PER_SECOND;
    return { ...state, rootDispersionSeconds: state.rootDispersionSeconds + PHI * Math.max(0, elapsed) };
  }

  /** Replace the NTP system variables (the NTP service's system process owns them). */
  setNtp(state: NtpSystemState): void {
    this.ntpState = state;
    if (state.synchronized) this.setAuthoritative(true, "ntp");
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

/**
 * The appliance's one clock (DESIGN.md "One clock"). It reads the host clock only through an
 * injected source and keeps its own offset, so `clock set` and (later) NTP discipline move the
 * appliance's time without touching the host. It knows whether it is authoritative and who set
 * it, which is what `show clock` flags (`*`, `.`) and PKI validity depend on.
 */

export type TimeSource = "none" | "calendar" | "user" | "ntp";

export interface HostTime {
  /** Host wall clock, milliseconds since the Unix epoch (fractional allowed). */
  wallMs(): number;
  /** Monotonic milliseconds (for uptime). */
  monotonicMs(): number;
}

/** The real host: wall time anchored once, then advanced by the monotonic clock (node-notes §6). */
export const systemHostTime: HostTime = (() => {
  const anchorWall = Date.now();
  const anchorMono = performance.now();
  return {
    wallMs: () => anchorWall + (performance.now() - anchorMono),
    monotonicMs: () => performance.now(),
  };
})();

export interface ClockReading {
  /** UTC milliseconds since the Unix epoch, integer part. */
  readonly ms: number;
  /** Fraction of a millisecond, 0 <= subMs < 1. */
  readonly subMs: number;
}

export class SoftwareClock {
  private offsetMs = 0;
  private sourceValue: TimeSource = "none";
  private authoritativeValue = false;
  private synchronizedValue = false;
  private readonly bootMono: number;

  constructor(private readonly host: HostTime = systemHostTime) {
    this.bootMono = host.monotonicMs();
  }

  /** Current appliance time. */
  now(): ClockReading {
    const t = this.host.wallMs() + this.offsetMs;
    const ms = Math.floor(t);
    return { ms, subMs: t - ms };
  }

  nowMs(): number {
    return this.host.wallMs() + this.offsetMs;
  }

  uptimeMs(): number {
    return this.host.monotonicMs() - this.bootMono;
  }

  get source(): TimeSource {
    return this.sourceValue;
  }

  /** Set by `clock set`, NTP or a valid calendar; drives the `*` flag. */
  get authoritative(): boolean {
    return this.authoritativeValue;
  }

  /** Currently synchronized to NTP; an authoritative clock that lost sync shows `.`. */
  get synchronized(): boolean {
    return this.synchronizedValue;
  }

  /** The flag `show clock` and syslog timestamps print (ios-cli.md §2.5, §2.7). */
  flag(): "" | "*" | "." {
    if (!this.authoritativeValue) return "*";
    if (this.sourceValue === "ntp" && !this.synchronizedValue) return ".";
    return "";
  }

  /** Step the clock to `utcMs` (from `clock set`, the calendar, or an NTP step). */
  set(utcMs: number, source: TimeSource, authoritative: boolean): void {
    this.offsetMs = utcMs - this.host.wallMs();
    this.sourceValue = source;
    this.authoritativeValue = authoritative;
    this.synchronizedValue = source === "ntp";
  }

  /** Mark the clock (not) authoritative without moving it (`clock calendar-valid`). */
  setAuthoritative(authoritative: boolean, source: TimeSource): void {
    this.authoritativeValue = authoritative;
    this.sourceValue = source;
  }
}

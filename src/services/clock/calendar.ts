/**
 * Hardware-calendar emulation: a battery-backed clock that keeps running while the appliance
 * is off. Held as an offset from the host clock; persisted by the runtime (a later issue).
 */
import { type HostTime, systemHostTime } from "./softwareClock.js";

export class Calendar {
  private offsetMs = 0;
  /** Called after every change, so the runtime can persist it. */
  onChange: ((offsetFromHostMs: number) => void) | undefined;

  constructor(private readonly host: HostTime = systemHostTime()) {}

  private hostMs(): number {
    const w = this.host.now();
    return w.seconds * 1000 + w.nanos / 1e6;
  }

  nowMs(): number {
    return this.hostMs() + this.offsetMs;
  }

  set(utcMs: number): void {
    this.offsetMs = utcMs - this.hostMs();
    this.onChange?.(this.offsetMs);
  }

  /** The offset from the host clock, for persistence. */
  get offsetFromHostMs(): number {
    return this.offsetMs;
  }

  restoreOffset(offsetMs: number): void {
    this.offsetMs = offsetMs;
  }
}

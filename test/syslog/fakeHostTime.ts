/**
 * A host clock the test drives: wall time and monotonic time advance only when told, so a
 * SoftwareClock built on it reads exactly the instants a test chooses. Never touches the OS clock.
 */
import type { WallTime } from "../../src/services/clock/hostClock.js";
import type { HostTime } from "../../src/services/clock/softwareClock.js";

export class FakeHostTime implements HostTime {
  private mono = 0;

  constructor(private utcMs: number) {}

  now(): WallTime {
    const seconds = Math.floor(this.utcMs / 1000);
    return { seconds, nanos: Math.round((this.utcMs - seconds * 1000) * 1e6) };
  }

  monotonicMs(): number {
    return this.mono;
  }

  /** Let `ms` pass on both clocks. */
  advance(ms: number): void {
    this.utcMs += ms;
    this.mono += ms;
  }
}

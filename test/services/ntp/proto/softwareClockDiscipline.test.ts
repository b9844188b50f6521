/** The appliance clock as the NTP client steers it (DisciplinedClock on SoftwareClock). */
import { describe, expect, it } from "vitest";
import type { WallTime } from "../../../../src/services/clock/hostClock.js";
import { type HostTime, SoftwareClock } from "../../../../src/services/clock/softwareClock.js";
import { fromUnixParts, timestampDiffSeconds } from "../../../../src/services/ntp/proto/ntpTimestamp.js";

class ManualHost implements HostTime {
  mono = 5000;
  constructor(private readonly startUnix: number) {}
  now(): WallTime {
    const seconds = this.startUnix + (this.mono - 5000) / 1000;
    const whole = Math.floor(seconds);
    return { seconds: whole, nanos: Math.round((seconds - whole) * 1e9) };
  }
  monotonicMs(): number {
    return this.mono;
  }
}

const START = 1_709_251_200;

describe("SoftwareClock as a DisciplinedClock", () => {
  it("steps by an offset, forward and back, and tells its listeners", () => {
    const host = new ManualHost(START);
    const clock = new SoftwareClock(host);
    const changes: boolean[] = [];
    clock.onChange((c) => changes.push(c.stepped));
    const disciplined = clock.disciplined();
    disciplined.step(1.25);
    expect(timestampDiffSeconds(disciplined.now(), fromUnixParts(START, 0))).toBeCloseTo(1.25, 9);
    disciplined.step(-2.5);
    expect(timestampDiffSeconds(disciplined.now(), fromUnixParts(START, 0))).toBeCloseTo(-1.25, 9);
    expect(changes).toEqual([true, true]);
  });

  it("runs fast or slow by the frequency correction, relative to the host's monotonic clock", () => {
    const host = new ManualHost(START);
    const clock = new SoftwareClock(host);
    const disciplined = clock.disciplined();
    disciplined.setFrequencyPpm(100);
    expect(disciplined.frequencyPpm()).toBe(100);
    host.mono += 1000_000; // 1000 s
    expect(timestampDiffSeconds(disciplined.now(), fromUnixParts(START + 1000, 0))).toBeCloseTo(0.1, 6);
    disciplined.setFrequencyPpm(-50);
    host.mono += 1000_000;
    expect(timestampDiffSeconds(disciplined.now(), fromUnixParts(START + 2000, 0))).toBeCloseTo(0.05, 6);
  });

  it("keeps the frequency across `clock set`, counting from the set", () => {
    const host = new ManualHost(START);
    const clock = new SoftwareClock(host);
    clock.setFrequencyPpm(1000);
    host.mono += 10_000;
    clock.set((START + 100) * 1000, "user", true);
    expect(clock.nowMs()).toBeCloseTo((START + 100) * 1000, 3);
    host.mono += 1000;
    expect(clock.nowMs()).toBeCloseTo((START + 101) * 1000 + 1, 3);
  });
});

/**
 * SoftwareClock.onChange, the hook the PKI service follows: every set / setAuthoritative /
 * setNtp reports the state before the change; unsubscribing stops it; a throwing listener
 * neither undoes the change nor silences the others.
 */
import { describe, expect, it } from "vitest";
import { type ClockChange, SoftwareClock, UNSYNCHRONIZED } from "../../src/services/clock/softwareClock.js";
import { FakeHostTime } from "../syslog/fakeHostTime.js";

describe("SoftwareClock.onChange", () => {
  it("reports each change with the state before it", () => {
    const clock = new SoftwareClock(new FakeHostTime(Date.UTC(2026, 0, 1)));
    const seen: ClockChange[] = [];
    const stop = clock.onChange((c) => seen.push(c));
    clock.set(Date.UTC(2026, 5, 1), "user", true);
    clock.setAuthoritative(false, "calendar");
    clock.setNtp({ ...UNSYNCHRONIZED, synchronized: true, stratum: 3, leap: 0 });
    clock.setNtp(UNSYNCHRONIZED);
    stop();
    clock.set(Date.UTC(2027, 0, 1), "user", true);
    expect(seen).toEqual([
      { cause: "set", stepped: true, wasAuthoritative: false, wasSynchronized: false },
      { cause: "authoritative", stepped: false, wasAuthoritative: true, wasSynchronized: false },
      { cause: "ntp", stepped: false, wasAuthoritative: false, wasSynchronized: false },
      { cause: "ntp", stepped: false, wasAuthoritative: true, wasSynchronized: true },
    ]);
    // setNtp still makes a synchronized clock authoritative, as before the hook existed.
    expect(clock.source).toBe("user");
    expect(clock.authoritative).toBe(true);
  });

  it("setNtp(synchronized) sets authority and source once, with one event", () => {
    const clock = new SoftwareClock(new FakeHostTime(Date.UTC(2026, 0, 1)));
    let events = 0;
    clock.onChange(() => events++);
    clock.setNtp({ ...UNSYNCHRONIZED, synchronized: true, stratum: 2, leap: 0 });
    expect(events).toBe(1);
    expect(clock.authoritative).toBe(true);
    expect(clock.source).toBe("ntp");
    expect(clock.flag()).toBe("");
  });

  it("a throwing listener does not undo the change or starve the others", async () => {
    const clock = new SoftwareClock(new FakeHostTime(Date.UTC(2026, 0, 1)));
    const errors: unknown[] = [];
    const onError = (e: unknown) => errors.push(e);
    process.on("uncaughtException", onError);
    try {
      let second = 0;
      clock.onChange(() => {
        throw new Error("listener bug");
      });
      clock.onChange(() => second++);
      clock.set(Date.UTC(2026, 5, 1), "user", true);
      expect(second).toBe(1);
      expect(clock.now().ms).toBe(Date.UTC(2026, 5, 1));
      await new Promise((r) => setTimeout(r, 0));
      expect(errors).toHaveLength(1);
    } finally {
      process.off("uncaughtException", onError);
    }
  });
});

/**
 * The seam between the NTP client core and the clock it steers (ntpd-rs `NtpClock` is the
 * model): read the time, step it, set its frequency. Nothing else.
 *
 * Slewing is deliberately not part of the interface: the client slews by raising the frequency
 * for a computed time and lowering it again from its own timer, so it always knows exactly how
 * much correction the clock has applied (the per-source estimators depend on that), and a clock
 * only needs "monotonic base + offset + frequency" to implement this — which is what the
 * appliance's SoftwareClock is (DESIGN.md "One clock") and what the simulator's clock is.
 */
import type { NtpTimestamp } from "./ntpTimestamp.js";

export interface DisciplinedClock {
  /** Current time of the disciplined clock. */
  now(): NtpTimestamp;
  /** Moves the clock by `offsetSeconds` at once (positive = forward). */
  step(offsetSeconds: number): void;
  /**
   * Sets the frequency correction, parts per million, replacing the previous one: the clock then
   * advances `1 + ppm·10⁻⁶` seconds per second of its underlying oscillator. Positive = faster.
   */
  setFrequencyPpm(ppm: number): void;
  /** The frequency correction in force, ppm. */
  frequencyPpm(): number;
}

/**
 * The clock the server reads: the appliance's SoftwareClock implements this (DESIGN.md "One
 * clock"); tests use a TestClock. Two calls per answered request: `system()` for the header
 * fields and `now()` for the transmit timestamp, which the server takes last.
 */
import type { NtpTimestamp } from "./ntpTimestamp.js";
import type { LeapIndicator } from "./protocolConstants.js";

/** The system variables a server advertises (RFC 5905 §11.1 / Figure 14, "system process"). */
export interface SystemSnapshot {
  /** Whether the clock is synchronized to a source (or is `ntp master`). */
  readonly synchronized: boolean;
  /** Leap warning while synchronized; ignored (sent as 3, alarm) while not. */
  readonly leap: LeapIndicator;
  /** 1..15 while synchronized; 16 (MAXSTRAT) while not. */
  readonly stratum: number;
  /** Clock precision, log2 seconds (e.g. -24 for 60 ns). */
  readonly precisionLog2: number;
  /** Total round-trip delay to the primary reference, seconds. */
  readonly rootDelaySeconds: number;
  /**
   * Total dispersion to the primary reference, seconds, including the growth since the last
   * update (RFC 5905 §11.2: PHI × elapsed); the clock computes it when asked.
   */
  readonly rootDispersionSeconds: number;
  /** u32: IPv4 address of the system peer, hash of an IPv6 one, or ASCII for stratum 1. */
  readonly referenceId: number;
  /** When the clock was last set or corrected. */
  readonly referenceTimestamp: NtpTimestamp;
}

/** The seam between the server decision core and the appliance clock. */
export interface ServerClock {
  /** Current time with sub-microsecond resolution (DESIGN.md "Time"). */
  now(): NtpTimestamp;
  /** Current system variables; cheap enough to call once per answered request. */
  system(): SystemSnapshot;
}

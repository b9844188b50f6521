/**
 * What the NTP client core asks its runtime to do (ntpd-rs `NtpSourceAction` is the model):
 * send datagrams, wake it at a deadline, and report what it did to the clock and what happened,
 * for the syslog service (ios-cli.md §2.8). Clock adjustments are already applied through the
 * injected `DisciplinedClock` when they are reported; the report is for logs and statistics.
 */
import type { NtpTimestamp } from "./ntpTimestamp.js";

/** Device events, each one IOS syslog message. */
export type ClientEvent =
  /** `%NTP-5-PEERSYNC: NTP synced to peer ADDR` — a new system peer (or the first). */
  | { readonly kind: "sync-gained"; readonly peer: string }
  /** `%NTP-4-UNSYNC: NTP sync is lost` — no selectable source and no `ntp master`. */
  | { readonly kind: "sync-lost" }
  /** `%NTP-6-PEERREACH: Peer ADDR is reachable`. */
  | { readonly kind: "peer-reachable"; readonly peer: string }
  /** `%NTP-4-PEERUNREACH: Peer ADDR is unreachable` — eight polls without a reply. */
  | { readonly kind: "peer-unreachable"; readonly peer: string }
  /**
   * `%SYS-6-CLOCKUPDATE: System clock has been updated from FROM to TO, configured from NTP by
   * PEER.` — `from` and `to` are the clock readings just before and after the step.
   */
  | {
      readonly kind: "clock-stepped";
      readonly from: NtpTimestamp;
      readonly to: NtpTimestamp;
      readonly offsetSeconds: number;
      readonly peer: string;
    }
  /** A leap second was applied at midnight UTC (the clock stepped back for an insertion). */
  | { readonly kind: "leap-second"; readonly inserted: boolean; readonly at: NtpTimestamp }
  /** A kiss-o'-death arrived (RATE slows polling; DENY and RSTR stop it). */
  | { readonly kind: "kiss-of-death"; readonly peer: string; readonly code: string }
  /** An offset above the panic threshold (1000 s) was refused (IOS `ntp panic`). */
  | { readonly kind: "panic"; readonly peer: string; readonly offsetSeconds: number };

/** A change made to the clock. */
export type ClockAdjustment =
  | { readonly type: "step"; readonly offsetSeconds: number }
  /** Slewing `offsetSeconds` over `durationSeconds`, with base frequency correction `frequencyPpm`. */
  | {
      readonly type: "slew";
      readonly offsetSeconds: number;
      readonly durationSeconds: number;
      readonly frequencyPpm: number;
    };

export type ClientAction =
  | { readonly kind: "send"; readonly address: string; readonly port: number; readonly datagram: Buffer }
  /** Call `handleTimer` at (or soon after) this monotonic time. Exactly one per call when anything is scheduled, last. */
  | { readonly kind: "timer"; readonly atMonotonicSeconds: number }
  | { readonly kind: "clock"; readonly adjustment: ClockAdjustment }
  | { readonly kind: "event"; readonly event: ClientEvent };

/** The remote end of a datagram. */
export interface DatagramSource {
  readonly address: string;
  readonly port: number;
}

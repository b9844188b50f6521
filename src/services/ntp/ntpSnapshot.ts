/**
 * What the NTP service shows the CLI: a read-only snapshot of the associations and the system
 * (the ntpd-rs "observer" idea). Show renderers are pure functions of these.
 */
import type { NtpTimestamp } from "./proto/ntpTimestamp.js";

/** Tally of `show ntp associations` (ios-cli.md §2.1) and status word of `... detail` (§2.2). */
export type SelectionState = "sys.peer" | "selected" | "candidate" | "outlyer" | "falseticker" | "reject";

export interface AssociationSnapshot {
  /** Association id (`assoc id 62758`). */
  readonly id: number;
  /** Address as configured/seen: `10.0.0.1`, `2001:db8::1`, `127.127.1.1` for the local clock. */
  readonly address: string;
  /** `~` in the list: configured by `ntp server`/`ntp peer` (or the `ntp master` local clock). */
  readonly configured: boolean;
  readonly kind: "server" | "peer" | "local";
  /** Ref clock column: IPv4 of the source's reference, or `.CODE.` (`.LOCL.`, `.INIT.`, `.AUTH.`, `.STEP.`, `.RATE.`, `.DENY.`). */
  readonly refid: string;
  readonly stratum: number;
  /** Seconds since the last valid packet; undefined = never (`-`). */
  readonly whenSeconds: number | undefined;
  readonly pollSeconds: number;
  /** 8-bit reach register, shown in octal. */
  readonly reach: number;
  readonly delayMs: number;
  readonly offsetMs: number;
  readonly dispersionMs: number;
  readonly jitterMs: number;
  readonly selection: SelectionState;
  readonly authenticated: boolean;
  /** RFC 5905 packet tests passed (`sane`), and usable for selection (`valid`). */
  readonly sane: boolean;
  readonly valid: boolean;
  readonly ourMode: "client" | "active" | "passive";
  readonly peerMode: "server" | "active" | "passive" | "unspec";
  readonly ourPollSeconds: number;
  readonly peerPollSeconds: number;
  readonly rootDelayMs: number;
  readonly rootDispersionMs: number;
  readonly syncDistanceMs: number;
  readonly precisionLog2: number;
  readonly version: number;
  readonly inPackets: number;
  readonly outPackets: number;
  readonly errorPackets: number;
  readonly referenceTime: NtpTimestamp;
  readonly originTime: NtpTimestamp;
  readonly receiveTime: NtpTimestamp;
  readonly transmitTime: NtpTimestamp;
  /** Clock-filter registers, newest first, 8 entries (ms). */
  readonly filterDelayMs: readonly number[];
  readonly filterOffsetMs: readonly number[];
  readonly filterErrorMs: readonly number[];
  readonly minpoll: number;
  readonly maxpoll: number;
}

/** Loop-filter state words of `show ntp status` (ios-cli.md §2.3). */
export type LoopState = "NSET" | "FREQ" | "SPIK" | "CTRL";

export interface SystemStatusSnapshot {
  readonly synchronized: boolean;
  readonly stratum: number;
  /** `10.16.2.2`, `127.127.1.1`, `.LOCL.`; undefined = "no reference clock". */
  readonly referenceName: string | undefined;
  readonly nominalFreqHz: number;
  readonly actualFreqHz: number;
  readonly precisionLog2: number;
  /** `ntp uptime is N (1/100 of seconds)`. */
  readonly uptimeCentiseconds: number;
  readonly resolution: number;
  readonly referenceTime: NtpTimestamp;
  readonly clockOffsetMs: number;
  readonly rootDelayMs: number;
  readonly rootDispersionMs: number;
  readonly peerDispersionMs: number;
  readonly loopState: LoopState;
  /** Frequency correction, seconds per second. */
  readonly drift: number;
  readonly systemPollSeconds: number;
  readonly lastUpdateSecondsAgo: number;
}

export interface NtpSnapshot {
  readonly associations: readonly AssociationSnapshot[];
  readonly system: SystemStatusSnapshot;
}

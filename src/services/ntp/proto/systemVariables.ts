/**
 * The system variables (RFC 5905 §11.1, Figure 14) the client derives from its system peer and
 * the server side advertises: stratum = peer stratum + 1, refid = the peer's IPv4 address (or
 * the hash of its IPv6 address), root delay and dispersion accumulated per RFC 5905 §11.2 /
 * A.5.5.7 `clock_update()`, the leap indicator of the majority of survivors, and the reference
 * time of the last update. With `ntp master` and no upstream, the local clock fills them.
 */
import type { Association } from "./association.js";
import { LOCAL_CLOCK_ID, LOCAL_DISPERSION_SECONDS, type LocalClockSource } from "./localClockSource.js";
import { type NtpTimestamp, timestampDiffSeconds, ZERO_TIMESTAMP } from "./ntpTimestamp.js";
import {
  FREQUENCY_TOLERANCE,
  Leap,
  type LeapIndicator,
  MAX_STRATUM,
  MIN_DISPERSION_SECONDS,
} from "./protocolConstants.js";
import { referenceIdForAddress } from "./referenceId.js";
import type { SystemSnapshot } from "./serverClock.js";

/** Highest stratum a synchronized system may advertise (MAXSTRAT - 1). */
const MAX_SYNCHRONIZED_STRATUM = MAX_STRATUM - 1;

/** What the leap vote needs from each survivor. */
export interface SurvivorEstimate {
  readonly leap: LeapIndicator;
}

export class SystemVariables {
  synchronized = false;
  /** Association id of the system peer (`LOCAL_CLOCK_ID` for the local clock), if any. */
  peerId: number | undefined;
  /** How `show ntp status` names the reference: `10.16.2.2`, `127.127.1.1`, `.LOCL.`. */
  peerName: string | undefined;
  stratum = MAX_STRATUM;
  referenceId = 0;
  rootDelaySeconds = 0;
  /** Root dispersion at `referenceTime`; it grows by PHI per second after it. */
  rootDispersionSeconds = 0;
  referenceTime: NtpTimestamp = ZERO_TIMESTAMP;
  leap: LeapIndicator = Leap.Unsynchronized;
  /** System jitter: the peer's jitter and the selection jitter combined (RFC 5905 A.5.5.5). */
  jitterSeconds = 0;
  /** The system peer's filter dispersion (`peer dispersion is` in `show ntp status`). */
  peerDispersionSeconds = 0;

  constructor(readonly precisionLog2: number) {}

  /** No system peer: stratum 16, leap alarm; the reference time of the last update is kept. */
  unsynchronize(): void {
    this.synchronized = false;
    this.peerId = undefined;
    this.peerName = undefined;
    this.stratum = MAX_STRATUM;
    this.referenceId = 0;
    this.leap = Leap.Unsynchronized;
  }

  /** The server's view at local time `nowLocal`: root dispersion grown since the last update. */
  snapshot(nowLocal: NtpTimestamp, local: LocalClockSource | undefined): SystemSnapshot {
    if (!this.synchronized) {
      return {
        synchronized: false,
        leap: Leap.Unsynchronized,
        stratum: MAX_STRATUM,
        precisionLog2: this.precisionLog2,
        rootDelaySeconds: 0,
        rootDispersionSeconds: 0,
        referenceId: 0,
        referenceTimestamp: this.referenceTime,
      };
    }
    const onLocal = this.peerId === LOCAL_CLOCK_ID && local !== undefined;
    const referenceTime = onLocal ? local.referenceTime : this.referenceTime;
    const elapsed = Math.max(0, timestampDiffSeconds(nowLocal, referenceTime));
    return {
      synchronized: true,
      leap: this.leap,
      stratum: this.stratum,
      precisionLog2: this.precisionLog2,
      rootDelaySeconds: this.rootDelaySeconds,
      rootDispersionSeconds: this.rootDispersionSeconds + FREQUENCY_TOLERANCE * elapsed,
      referenceId: this.referenceId,
      referenceTimestamp: referenceTime,
    };
  }
}

/**
 * RFC 5905 A.5.5.7 `clock_update()`: the system takes the peer's stratum + 1, its address as
 * refid, root delay = peer root delay + delay, and root dispersion = peer root dispersion +
 * system jitter + max(sample dispersion grown since + |offset|, MINDISP). The sample's own
 * dispersion stands in for the filter's, consistently with `Association.rootDistance`.
 */
export function adoptPeer(
  system: SystemVariables,
  peer: Association,
  survivors: readonly SurvivorEstimate[],
  now: number,
  offsetSeconds: number,
  selectionJitterSeconds: number,
  nowLocal: NtpTimestamp,
): void {
  const header = peer.header;
  const sample = peer.lastSample;
  if (header === undefined || sample === undefined) return;
  system.synchronized = true;
  system.peerId = peer.id;
  system.peerName = peer.config.address;
  system.stratum = Math.min(header.stratum + 1, MAX_SYNCHRONIZED_STRATUM);
  system.referenceId = referenceIdForAddress(peer.config.address);
  system.rootDelaySeconds = header.rootDelaySeconds + peer.filter.delaySeconds;
  system.jitterSeconds = Math.sqrt(peer.filter.jitterSeconds ** 2 + selectionJitterSeconds ** 2);
  const aged = sample.dispersionSeconds + FREQUENCY_TOLERANCE * Math.max(0, now - sample.timeSeconds);
  system.rootDispersionSeconds =
    header.rootDispersionSeconds +
    system.jitterSeconds +
    Math.max(aged + Math.abs(offsetSeconds), MIN_DISPERSION_SECONDS);
  system.referenceTime = nowLocal;
  system.leap = majorityLeap(survivors);
  system.peerDispersionSeconds = peer.filter.dispersionSeconds;
}

/** `ntp master`: the local clock is the reference at the configured stratum. */
export function adoptLocalClock(system: SystemVariables, local: LocalClockSource): void {
  system.synchronized = true;
  system.peerId = LOCAL_CLOCK_ID;
  system.peerName = local.referenceName;
  system.stratum = local.stratum;
  system.referenceId = local.referenceId;
  system.rootDelaySeconds = 0;
  system.rootDispersionSeconds = LOCAL_DISPERSION_SECONDS;
  system.referenceTime = local.referenceTime;
  system.leap = Leap.NoWarning;
  system.jitterSeconds = 0;
  system.peerDispersionSeconds = LOCAL_DISPERSION_SECONDS;
}

/** A leap is announced when more than half of the survivors announce it (ntpd-rs, chrony). */
export function majorityLeap(survivors: readonly SurvivorEstimate[]): LeapIndicator {
  let insert = 0;
  let remove = 0;
  for (const s of survivors) {
    if (s.leap === Leap.InsertSecond) insert++;
    else if (s.leap === Leap.DeleteSecond) remove++;
  }
  if (2 * insert > survivors.length) return Leap.InsertSecond;
  if (2 * remove > survivors.length) return Leap.DeleteSecond;
  return Leap.NoWarning;
}

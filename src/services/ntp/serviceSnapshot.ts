/**
 * The NTP snapshot while only the server side runs: the `ntp master` local reference as the
 * pseudo-association 127.127.1.1 (ios-cli.md §2.1: `*~127.127.1.1 .LOCL. 7 ... 16 377`), and the
 * system status from the clock's NTP state. The client of issue 4 replaces the associations.
 */
import type { WallTime } from "../clock/hostClock.js";
import { wallTimeToNtp } from "../clock/hostClock.js";
import type { SoftwareClock } from "../clock/softwareClock.js";
import { LOCAL_REFERENCE_POLL_SECONDS } from "./localReference.js";
import type { AssociationSnapshot, NtpSnapshot, SystemStatusSnapshot } from "./ntpSnapshot.js";
import { ZERO_TIMESTAMP } from "./proto/ntpTimestamp.js";

/** IOS XE reports a nominal 250 Hz clock; the appliance clock is not tick-based (ios-cli.md §2.3). */
const NOMINAL_FREQ_HZ = 250;
/** Full reach register: the local clock answers every poll. */
const REACH_ALL = 0o377;

function secondsBetween(a: WallTime, b: WallTime): number {
  return a.seconds - b.seconds + (a.nanos - b.nanos) / 1e9;
}

export function localClockAssociation(stratum: number, clock: SoftwareClock, id: number): AssociationSnapshot {
  const state = clock.ntp();
  const reference = state.referenceTime ?? clock.wall();
  const ts = wallTimeToNtp(reference);
  const dispersionMs = state.rootDispersionSeconds * 1000;
  return {
    id,
    address: "127.127.1.1",
    configured: true,
    kind: "local",
    refid: ".LOCL.",
    stratum: stratum - 1,
    whenSeconds: Math.max(0, Math.floor(secondsBetween(clock.wall(), reference))),
    pollSeconds: LOCAL_REFERENCE_POLL_SECONDS,
    reach: REACH_ALL,
    delayMs: 0,
    offsetMs: 0,
    dispersionMs,
    jitterMs: 0,
    selection: "sys.peer",
    authenticated: false,
    sane: true,
    valid: true,
    ourMode: "client",
    peerMode: "server",
    ourPollSeconds: LOCAL_REFERENCE_POLL_SECONDS,
    peerPollSeconds: LOCAL_REFERENCE_POLL_SECONDS,
    rootDelayMs: 0,
    rootDispersionMs: dispersionMs,
    syncDistanceMs: dispersionMs,
    precisionLog2: clock.precisionLog2,
    version: 4,
    inPackets: 0,
    outPackets: 0,
    errorPackets: 0,
    referenceTime: ts,
    originTime: ZERO_TIMESTAMP,
    receiveTime: ts,
    transmitTime: ts,
    filterDelayMs: new Array(8).fill(0),
    filterOffsetMs: new Array(8).fill(0),
    filterErrorMs: new Array(8).fill(dispersionMs),
    minpoll: 4,
    maxpoll: 4,
  };
}

export function systemStatusOf(clock: SoftwareClock, startedMonotonicMs: number): SystemStatusSnapshot {
  const s = clock.ntp();
  const now = clock.wall();
  return {
    synchronized: s.synchronized,
    stratum: s.stratum,
    referenceName: s.synchronized ? s.referenceName : undefined,
    nominalFreqHz: NOMINAL_FREQ_HZ,
    actualFreqHz: NOMINAL_FREQ_HZ,
    precisionLog2: clock.precisionLog2,
    uptimeCentiseconds: Math.floor((clock.monotonicMs() - startedMonotonicMs) / 10),
    resolution: Math.max(1, Math.round(2 ** clock.precisionLog2 * 1e9)),
    referenceTime: s.referenceTime ? wallTimeToNtp(s.referenceTime) : ZERO_TIMESTAMP,
    clockOffsetMs: 0,
    rootDelayMs: s.rootDelaySeconds * 1000,
    rootDispersionMs: s.rootDispersionSeconds * 1000,
    peerDispersionMs: 0,
    loopState: s.synchronized ? "CTRL" : "NSET",
    drift: 0,
    systemPollSeconds: LOCAL_REFERENCE_POLL_SECONDS,
    lastUpdateSecondsAgo: s.referenceTime ? Math.max(0, Math.floor(secondsBetween(now, s.referenceTime))) : 0,
  };
}

export function serverOnlySnapshot(clock: SoftwareClock, master: number | undefined, startedMonotonicMs: number): NtpSnapshot {
  return {
    associations: master === undefined ? [] : [localClockAssociation(master, clock, 1)],
    system: systemStatusOf(clock, startedMonotonicMs),
  };
}

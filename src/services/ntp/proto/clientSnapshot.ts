/**
 * The observer view of the client (ntpd-rs's observer idea, DESIGN.md): plain snapshots for
 * `show ntp associations [detail]` and `show ntp status` (ios-cli.md §2.1-2.3). Values are in
 * the units the snapshot types name (ms, seconds, log2); formatting is the renderers' job.
 */
import type { AssociationSnapshot, NtpSnapshot, SystemStatusSnapshot } from "../ntpSnapshot.js";
import type { Association } from "./association.js";
import type { ClockDiscipline } from "./clockDiscipline.js";
import {
  LOCAL_CLOCK_ADDRESS,
  LOCAL_CLOCK_ID,
  LOCAL_DISPERSION_SECONDS,
  LOCAL_POLL_LOG2,
  type LocalClockSource,
} from "./localClockSource.js";
import { type NtpTimestamp, ZERO_TIMESTAMP } from "./ntpTimestamp.js";
import { MAX_DISPERSION_SECONDS, Mode, NTP_VERSION } from "./protocolConstants.js";
import type { SystemVariables } from "./systemVariables.js";

/** Cosmetic figures of `show ntp status` that depend on the platform IOS runs on. */
export interface SnapshotOptions {
  /** `nominal freq is 250.0000 Hz` on IOS XE, `1000.0003 Hz` on IOSv (ios-cli.md §2.3). */
  readonly nominalFreqHz?: number;
  /** `resolution is 4000` on IOS XE. */
  readonly resolution?: number;
}

const DEFAULT_NOMINAL_FREQ_HZ = 250;
const DEFAULT_RESOLUTION = 4000;
const MS = 1000;

export interface SnapshotInput {
  readonly now: number;
  readonly startedAt: number;
  readonly associations: readonly Association[];
  readonly local: LocalClockSource | undefined;
  readonly system: SystemVariables;
  readonly discipline: ClockDiscipline;
  readonly precisionLog2: number;
  readonly clockNow: NtpTimestamp;
  readonly options: SnapshotOptions;
}

export function buildNtpSnapshot(input: SnapshotInput): NtpSnapshot {
  const rows = input.associations.map((a) => associationSnapshot(a, input.now));
  if (input.local !== undefined) rows.unshift(localSnapshot(input));
  return { associations: rows, system: systemStatus(input) };
}

function associationSnapshot(a: Association, now: number): AssociationSnapshot {
  const header = a.header;
  const stages = a.filter.stages(now);
  const distance = a.rootDistance(now);
  return {
    id: a.id,
    address: a.config.address,
    configured: true,
    kind: a.config.kind,
    refid: a.displayReferenceId(),
    stratum: a.displayStratum(),
    whenSeconds: a.lastHeardAt === undefined ? undefined : Math.max(0, Math.floor(now - a.lastHeardAt)),
    pollSeconds: 2 ** a.hpoll,
    reach: a.reach,
    delayMs: a.filter.delaySeconds * MS,
    offsetMs: a.filter.offsetSeconds * MS,
    dispersionMs: a.filter.dispersionSeconds * MS,
    jitterMs: a.filter.jitterSeconds * MS,
    selection: a.selection,
    authenticated: a.authenticated,
    sane: header !== undefined && a.condition === undefined,
    valid: a.selection !== "reject",
    ourMode: a.config.kind === "peer" ? "active" : "client",
    peerMode: peerModeOf(header?.mode),
    ourPollSeconds: 2 ** a.hpoll,
    peerPollSeconds: 2 ** (header?.pollLog2 ?? a.hpoll),
    rootDelayMs: (header?.rootDelaySeconds ?? 0) * MS,
    rootDispersionMs: (header?.rootDispersionSeconds ?? 0) * MS,
    syncDistanceMs: (Number.isFinite(distance) ? distance : MAX_DISPERSION_SECONDS) * MS,
    precisionLog2: header?.precisionLog2 ?? 0,
    version: header?.version ?? a.config.version,
    inPackets: a.counters.received,
    outPackets: a.counters.sent,
    errorPackets: a.counters.errors,
    referenceTime: header?.referenceTime ?? ZERO_TIMESTAMP,
    originTime: a.lastReceivedTransmit ?? ZERO_TIMESTAMP,
    receiveTime: a.lastReceiveLocal,
    transmitTime: a.lastTransmitLocal,
    filterDelayMs: stages.map((s) => s.delaySeconds * MS),
    filterOffsetMs: stages.map((s) => s.offsetSeconds * MS),
    filterErrorMs: stages.map((s) => s.dispersionSeconds * MS),
    minpoll: a.config.minpoll,
    maxpoll: a.config.maxpoll,
  };
}

/** The `ntp master` pseudo-association: `127.127.1.1 .LOCL.` at stratum N-1 (ios-cli.md §2.1). */
function localSnapshot(input: SnapshotInput): AssociationSnapshot {
  const local = input.local as LocalClockSource;
  const poll = 2 ** LOCAL_POLL_LOG2;
  const dispersionMs = LOCAL_DISPERSION_SECONDS * MS;
  return {
    id: LOCAL_CLOCK_ID,
    address: LOCAL_CLOCK_ADDRESS,
    configured: true,
    kind: "local",
    refid: ".LOCL.",
    stratum: Math.max(0, local.stratum - 1),
    whenSeconds:
      local.lastPollAt === undefined ? undefined : Math.max(0, Math.floor(input.now - local.lastPollAt)),
    pollSeconds: poll,
    reach: local.reach,
    delayMs: 0,
    offsetMs: 0,
    dispersionMs,
    jitterMs: 0,
    selection: input.system.peerId === LOCAL_CLOCK_ID ? "sys.peer" : "reject",
    authenticated: false,
    sane: true,
    valid: true,
    ourMode: "client",
    peerMode: "server",
    ourPollSeconds: poll,
    peerPollSeconds: poll,
    rootDelayMs: 0,
    rootDispersionMs: dispersionMs,
    syncDistanceMs: dispersionMs,
    precisionLog2: input.precisionLog2,
    version: NTP_VERSION,
    inPackets: local.polls,
    outPackets: local.polls,
    errorPackets: 0,
    referenceTime: local.referenceTime,
    originTime: local.referenceTime,
    receiveTime: local.referenceTime,
    transmitTime: local.referenceTime,
    filterDelayMs: new Array<number>(8).fill(0),
    filterOffsetMs: new Array<number>(8).fill(0),
    filterErrorMs: new Array<number>(8).fill(dispersionMs),
    minpoll: LOCAL_POLL_LOG2,
    maxpoll: LOCAL_POLL_LOG2,
  };
}

function systemStatus(input: SnapshotInput): SystemStatusSnapshot {
  const { system, discipline, options } = input;
  const advertised = system.snapshot(input.clockNow, input.local);
  const drift = discipline.frequencyPpm * 1e-6;
  const nominal = options.nominalFreqHz ?? DEFAULT_NOMINAL_FREQ_HZ;
  const onLocal = system.peerId === LOCAL_CLOCK_ID;
  const lastUpdate = onLocal ? input.local?.lastPollAt : discipline.lastUpdateAt;
  return {
    synchronized: system.synchronized,
    stratum: system.synchronized ? system.stratum : 16,
    referenceName: system.peerName,
    nominalFreqHz: nominal,
    // ios-cli.md §2.3: drift -0.000458631 s/s with nominal 1000.0003 Hz shows 1000.4589 Hz.
    actualFreqHz: nominal * (1 - drift),
    precisionLog2: input.precisionLog2,
    uptimeCentiseconds: Math.max(0, Math.floor((input.now - input.startedAt) * 100)),
    resolution: options.resolution ?? DEFAULT_RESOLUTION,
    referenceTime: advertised.synchronized ? advertised.referenceTimestamp : system.referenceTime,
    clockOffsetMs: onLocal ? 0 : discipline.lastOffsetSeconds * MS,
    rootDelayMs: advertised.rootDelaySeconds * MS,
    rootDispersionMs: advertised.rootDispersionSeconds * MS,
    peerDispersionMs: system.peerDispersionSeconds * MS,
    loopState: discipline.loopState,
    drift,
    systemPollSeconds: 2 ** (onLocal ? LOCAL_POLL_LOG2 : discipline.pollLog2),
    lastUpdateSecondsAgo: Math.max(0, Math.floor(input.now - (lastUpdate ?? input.startedAt))),
  };
}

function peerModeOf(mode: number | undefined): AssociationSnapshot["peerMode"] {
  switch (mode) {
    case Mode.Server:
      return "server";
    case Mode.SymmetricPassive:
      return "passive";
    case Mode.SymmetricActive:
      return "active";
    default:
      return "unspec";
  }
}

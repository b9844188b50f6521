/**
 * Answers to mode-6 queries for association 0 (the system): READSTAT (opcode 1) lists the
 * associations, READVAR (opcode 2) returns the system variables as ntpq reads them.
 *
 * Variable formats follow ntpd/NTPsec `ctl_putsys` so ntpq and monitoring plugins read them
 * unchanged: strings quoted, times as `0x%08x.%08x` NTP timestamps, root delay/dispersion,
 * offset and jitters in milliseconds, frequency and wander in ppm, refid as text at stratum
 * 0/1/16 and as a dotted quad otherwise; pairs separated by ", ".
 *
 * Kept deliberately small: one fragment per answer (≤ 468 octets of data). The default list is
 * sized to fit whatever the values (strings capped at 32 characters, numbers clamped), so no
 * answer ever needs a second fragment; a requested list that would overflow is cut at a variable
 * boundary.
 */
import {
  CONTROL_HEADER_LENGTH,
  ControlError,
  ControlOpcode,
  type ControlRequest,
  MAX_CONTROL_DATA_LENGTH,
  writeControlError,
  writeControlResponse,
} from "./controlMessage.js";
import { refIdToAscii } from "./kissCode.js";
import type { NtpTimestamp } from "./ntpTimestamp.js";
import {
  Leap,
  type LeapIndicator,
  MAX_STRATUM,
  MIN_POLL_LOG2,
  STRATUM_PRIMARY,
} from "./protocolConstants.js";
import type { ServerClock, SystemSnapshot } from "./serverClock.js";
import { isSynchronized } from "./serverResponse.js";

/** Strings ntpq shows in `rv`: software version, CPU, operating system. */
export interface ControlIdentity {
  readonly version: string;
  readonly processor: string;
  readonly system: string;
}

/** Discipline figures for `rv`; the discipline module fills them later. */
export interface DisciplineFigures {
  readonly offsetSeconds: number;
  readonly frequencyPpm: number;
  readonly systemJitterSeconds: number;
  readonly clockJitterSeconds: number;
  readonly clockWanderPpm: number;
  /** Current poll exponent (`tc`), log2 seconds. */
  readonly pollLog2: number;
  /** Minimum poll exponent (`mintc`), log2 seconds. */
  readonly minPollLog2: number;
  /** Association id of the system peer, 0 if none (`peer`). */
  readonly systemPeerAssociationId: number;
}

/** One entry of the READSTAT list: association id and its peer status word (RFC 9327 §2.3). */
export interface AssociationStatus {
  readonly associationId: number;
  readonly statusWord: number;
}

/** What mode-6 answers draw on besides the clock. */
export interface ControlInformation {
  readonly identity: ControlIdentity;
  discipline(): DisciplineFigures;
  associations(): readonly AssociationStatus[];
}

const ZERO_DISCIPLINE: DisciplineFigures = Object.freeze({
  offsetSeconds: 0,
  frequencyPpm: 0,
  systemJitterSeconds: 0,
  clockJitterSeconds: 0,
  clockWanderPpm: 0,
  pollLog2: MIN_POLL_LOG2,
  minPollLog2: MIN_POLL_LOG2,
  systemPeerAssociationId: 0,
});

/** Used until the agent supplies real figures: identity "meridian", zero discipline, no associations. */
export const DEFAULT_CONTROL_INFORMATION: ControlInformation = Object.freeze({
  identity: Object.freeze({ version: "meridian", processor: "unknown", system: "unknown" }),
  discipline: () => ZERO_DISCIPLINE,
  associations: () => [],
});

/** System variables in the order ntpd lists them, as the brief's minimal set. */
export const SYSTEM_VARIABLE_NAMES = [
  "version",
  "processor",
  "system",
  "leap",
  "stratum",
  "precision",
  "rootdelay",
  "rootdisp",
  "refid",
  "reftime",
  "clock",
  "peer",
  "tc",
  "mintc",
  "offset",
  "frequency",
  "sys_jitter",
  "clk_jitter",
  "clk_wander",
] as const;
export type SystemVariableName = (typeof SYSTEM_VARIABLE_NAMES)[number];

/** Clock source field of the system status word: 6 = UDP/NTP (RFC 9327 §2.2), 0 = unspecified. */
const CLOCK_SOURCE_NTP = 6;
const CLOCK_SOURCE_UNSPECIFIED = 0;
/** READSTAT entries that fit in one fragment: 4 octets each. */
const MAX_STATUS_ENTRIES = Math.floor(MAX_CONTROL_DATA_LENGTH / 4);
const MAX_TEXT_LENGTH = 32;
/** Numbers are clamped to this magnitude so the default list always fits one fragment. */
const MAX_MAGNITUDE = 1e9;
const SEPARATOR = ", ";

/** Writes the answer to `request` into `out`; returns its length. */
export function answerControlRequest(
  out: Buffer,
  request: ControlRequest,
  clock: ServerClock,
  information: ControlInformation,
): number {
  const system = clock.system();
  const leap = systemLeap(system);
  if (request.opcode !== ControlOpcode.ReadStatus && request.opcode !== ControlOpcode.ReadVariables) {
    return writeControlError(out, request, leap, ControlError.InvalidOpcode);
  }
  if (request.associationId !== 0)
    return writeControlError(out, request, leap, ControlError.UnknownAssociation);
  let dataLength: number;
  if (request.opcode === ControlOpcode.ReadStatus) {
    dataLength = writeAssociationList(out, information.associations());
  } else {
    const names = requestedVariables(request.data);
    if (names === undefined) return writeControlError(out, request, leap, ControlError.UnknownVariable);
    const text = formatSystemVariables(names, system, information, clock.now());
    dataLength = out.write(text, CONTROL_HEADER_LENGTH, "latin1");
  }
  const header = {
    leap,
    version: request.version,
    opcode: request.opcode,
    sequence: request.sequence,
    status: systemStatusWord(system),
    associationId: 0,
    error: false,
  };
  return writeControlResponse(out, header, dataLength);
}

/** System status word: LI, clock source, event counter and code (RFC 9327 §2.2); no events kept. */
export function systemStatusWord(system: SystemSnapshot): number {
  const source = isSynchronized(system) ? CLOCK_SOURCE_NTP : CLOCK_SOURCE_UNSPECIFIED;
  return (systemLeap(system) << 14) | (source << 8);
}

/**
 * The variables as `name=value, name=value`, cut at the last whole variable that fits in one
 * fragment.
 */
export function formatSystemVariables(
  names: readonly SystemVariableName[],
  system: SystemSnapshot,
  information: ControlInformation,
  now: NtpTimestamp,
): string {
  const figures = information.discipline();
  let text = "";
  for (const name of names) {
    const pair = `${name}=${variableValue(name, system, figures, information.identity, now)}`;
    const next = text.length === 0 ? pair : text + SEPARATOR + pair;
    if (next.length > MAX_CONTROL_DATA_LENGTH) break;
    text = next;
  }
  return text;
}

/** Names asked for in a READVAR request ("a, b=..."), all when empty; undefined if one is unknown. */
function requestedVariables(data: Buffer): readonly SystemVariableName[] | undefined {
  const text = data.toString("latin1");
  const names: SystemVariableName[] = [];
  for (const item of text.split(",")) {
    const name = (item.split("=")[0] ?? "").replace(/\0/g, "").trim();
    if (name.length === 0) continue;
    if (!isSystemVariableName(name)) return undefined;
    names.push(name);
  }
  return names.length > 0 ? names : SYSTEM_VARIABLE_NAMES;
}

function isSystemVariableName(name: string): name is SystemVariableName {
  return (SYSTEM_VARIABLE_NAMES as readonly string[]).includes(name);
}

function variableValue(
  name: SystemVariableName,
  system: SystemSnapshot,
  figures: DisciplineFigures,
  identity: ControlIdentity,
  now: NtpTimestamp,
): string {
  const synchronized = isSynchronized(system);
  switch (name) {
    case "version":
      return quoted(identity.version);
    case "processor":
      return quoted(identity.processor);
    case "system":
      return quoted(identity.system);
    case "leap":
      return String(systemLeap(system));
    case "stratum":
      return String(synchronized ? system.stratum : MAX_STRATUM);
    case "precision":
      return String(integer(system.precisionLog2));
    case "rootdelay":
      return fixed(system.rootDelaySeconds * 1e3, 3);
    case "rootdisp":
      return fixed(system.rootDispersionSeconds * 1e3, 3);
    case "refid":
      return referenceIdText(synchronized ? system.stratum : MAX_STRATUM, system.referenceId);
    case "reftime":
      return timestampHex(system.referenceTimestamp);
    case "clock":
      return timestampHex(now);
    case "peer":
      return String(integer(figures.systemPeerAssociationId));
    case "tc":
      return String(integer(figures.pollLog2));
    case "mintc":
      return String(integer(figures.minPollLog2));
    case "offset":
      return fixed(figures.offsetSeconds * 1e3, 6);
    case "frequency":
      return fixed(figures.frequencyPpm, 3);
    case "sys_jitter":
      return fixed(figures.systemJitterSeconds * 1e3, 6);
    case "clk_jitter":
      return fixed(figures.clockJitterSeconds * 1e3, 3);
    case "clk_wander":
      return fixed(figures.clockWanderPpm, 3);
  }
}

function writeAssociationList(out: Buffer, associations: readonly AssociationStatus[]): number {
  const count = Math.min(associations.length, MAX_STATUS_ENTRIES);
  for (let i = 0; i < count; i++) {
    const entry = associations[i] as AssociationStatus;
    const offset = CONTROL_HEADER_LENGTH + 4 * i;
    out.writeUInt16BE(entry.associationId & 0xffff, offset);
    out.writeUInt16BE(entry.statusWord & 0xffff, offset + 2);
  }
  return 4 * count;
}

function systemLeap(system: SystemSnapshot): LeapIndicator {
  return isSynchronized(system) ? system.leap : Leap.Unsynchronized;
}

/** Refid as ntpd's `ctl_putrefid`/`ctl_putadr`: text when it is a code, a dotted quad otherwise. */
function referenceIdText(stratum: number, referenceId: number): string {
  const id = referenceId >>> 0;
  if (stratum <= STRATUM_PRIMARY || stratum >= MAX_STRATUM) {
    const text = refIdToAscii(id);
    if (text !== undefined) return text.replace(/[\s,="]/g, ".");
  }
  return [id >>> 24, (id >>> 16) & 0xff, (id >>> 8) & 0xff, id & 0xff].join(".");
}

function timestampHex(ts: NtpTimestamp): string {
  return `0x${hex8(ts.seconds)}.${hex8(ts.fraction)}`;
}

function hex8(value: number): string {
  return (value >>> 0).toString(16).padStart(8, "0");
}

/** A quoted string of printable ASCII without quotes or commas, at most 32 characters. */
function quoted(text: string): string {
  return `"${text.replace(/[^\x20-\x7e]|["\\,]/g, "").slice(0, MAX_TEXT_LENGTH)}"`;
}

function fixed(value: number, digits: number): string {
  if (!Number.isFinite(value)) return (0).toFixed(digits);
  return Math.max(-MAX_MAGNITUDE, Math.min(MAX_MAGNITUDE, value)).toFixed(digits);
}

function integer(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.max(-MAX_MAGNITUDE, Math.min(MAX_MAGNITUDE, Math.trunc(value)));
}

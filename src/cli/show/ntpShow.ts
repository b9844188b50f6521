/**
 * `show ntp associations [detail]` and `show ntp status` (ios-cli.md §2.1-2.3): pure functions
 * of an {@link NtpSnapshot}, in the NTPv4 layout of IOS 15.x / IOS XE. Packet Tracer's look-alike
 * columns and one-line status are deliberately not reproduced (§6).
 */
import { formatNtpDetailTime } from "../../services/clock/timeFormat.js";
import type { ZoneSpec } from "../../services/clock/timeZone.js";
import type {
  AssociationSnapshot,
  LoopState,
  SelectionState,
  SystemStatusSnapshot,
} from "../../services/ntp/ntpSnapshot.js";
import {
  formatTimestampHex,
  isZeroTimestamp,
  NTP_ERA_SECONDS,
  NTP_UNIX_EPOCH_OFFSET_SECONDS,
  type NtpTimestamp,
} from "../../services/ntp/proto/ntpTimestamp.js";

/** Fixed header of the association list (§2.1, every NTPv4 sample). */
export const ASSOCIATIONS_HEADER =
  "  address         ref clock       st   when   poll reach  delay  offset   disp";
/** Legend closing the association list (§2.1); the 12.x legend is a different, older format. */
export const ASSOCIATIONS_LEGEND =
  " * sys.peer, # selected, + candidate, - outlyer, x falseticker, ~ configured";

/**
 * Column widths of the association list, derived from the header and the §2.1 rows: address and
 * ref clock left-justified in 16, then right-aligned `%2d` stratum, ` %6s` when, ` %6d` poll,
 * ` %5o` reach, ` %6s` delay, ` %7s` offset, ` %6s` disp.
 */
export const ASSOCIATION_COLUMNS = {
  address: 16,
  refClock: 16,
  stratum: 2,
  when: 6,
  poll: 6,
  reach: 5,
  delay: 6,
  offset: 7,
  dispersion: 6,
} as const;

/** Most decimals the list prints for a millisecond value (`35.535`, `0.000`, §2.1). */
const MAX_LIST_DECIMALS = 3;
/** Width of each clock-filter register in the detail view (`   -0.50`, `   13.89`, §2.2). */
const FILTER_REGISTER_WIDTH = 8;
/** `filtdelay =` and `filterror =` are padded to the width of `filtoffset =` (§2.2). */
const FILTER_LABEL_WIDTH = 12;
/** `ref ID 127.127.1.1    ,` (§2.2) and `reference is 127.127.1.1    ` (§2.3): `%-15s`. */
const REFERENCE_FIELD_WIDTH = 15;

const TALLY: Readonly<Record<SelectionState, string>> = {
  "sys.peer": "*",
  selected: "#",
  candidate: "+",
  outlyer: "-",
  falseticker: "x",
  reject: " ",
};

/** Selection word of the detail view; IOS names the system peer `our_master` (§2.2). */
const SELECTION_WORD: Readonly<Record<SelectionState, string>> = {
  "sys.peer": "our_master",
  selected: "selected",
  candidate: "candidate",
  outlyer: "outlyer",
  falseticker: "falseticker",
  reject: "reject",
};

const LOOP_STATE_DESCRIPTION: Readonly<Record<LoopState, string>> = {
  CTRL: "Normal Controlled Loop",
  SPIK: "Spike",
  FREQ: "Drift being measured",
  NSET: "Never set",
};

/** `show ntp associations` (§2.1): blank line, header, one row per association, legend. */
export function renderNtpAssociations(associations: readonly AssociationSnapshot[]): string[] {
  return ["", ASSOCIATIONS_HEADER, ...associations.map(associationRow), ASSOCIATIONS_LEGEND];
}

/** `show ntp associations detail` (§2.2): one block per association, separated by a blank line. */
export function renderNtpAssociationsDetail(
  associations: readonly AssociationSnapshot[],
  zone: ZoneSpec,
): string[] {
  return associations.flatMap((association, index) => [
    ...(index > 0 ? [""] : []),
    ...associationDetail(association, zone),
  ]);
}

/** `show ntp status` (§2.3): the eight-line IOS 15.x / IOS XE layout. */
export function renderNtpStatus(system: SystemStatusSnapshot, zone: ZoneSpec): string[] {
  const state = system.synchronized ? "synchronized" : "unsynchronized";
  const reference =
    system.referenceName === undefined
      ? "no reference clock"
      : `reference is ${system.referenceName.padEnd(REFERENCE_FIELD_WIDTH)}`;
  return [
    `Clock is ${state}, stratum ${system.stratum}, ${reference}`,
    `nominal freq is ${system.nominalFreqHz.toFixed(4)} Hz, actual freq is ${system.actualFreqHz.toFixed(4)} Hz, precision is ${precision(system.precisionLog2)}`,
    `ntp uptime is ${system.uptimeCentiseconds} (1/100 of seconds), resolution is ${system.resolution}`,
    `reference time is ${timestampWithLocal(system.referenceTime, zone)}`,
    `clock offset is ${system.clockOffsetMs.toFixed(4)} msec, root delay is ${system.rootDelayMs.toFixed(2)} msec`,
    `root dispersion is ${system.rootDispersionMs.toFixed(2)} msec, peer dispersion is ${system.peerDispersionMs.toFixed(2)} msec`,
    `loopfilter state is '${system.loopState}' (${LOOP_STATE_DESCRIPTION[system.loopState]}), drift is ${system.drift.toFixed(9)} s/s`,
    `system poll interval is ${system.systemPollSeconds}, last update was ${system.lastUpdateSecondsAgo} sec ago.`,
  ];
}

/**
 * A millisecond value in a list column of `width`: up to three decimals, fewer when the value
 * would not fit, and at the last resort no decimals but the point kept (§2.1: `35.535`,
 * `103.59`, `1405.39` in the 7-wide offset, `15937.` for an unreachable peer's dispersion).
 * Right-aligned; a value too large even for that overflows and pushes the row right.
 */
export function formatListMs(valueMs: number, width: number): string {
  let text = "";
  for (let decimals = MAX_LIST_DECIMALS; decimals >= 0; decimals--) {
    text = decimals > 0 ? valueMs.toFixed(decimals) : `${valueMs.toFixed(0)}.`;
    if (text.length <= width) break;
  }
  return text.padStart(width);
}

function associationRow(a: AssociationSnapshot): string {
  const c = ASSOCIATION_COLUMNS;
  const when = a.whenSeconds === undefined ? "-" : String(a.whenSeconds);
  return [
    TALLY[a.selection],
    a.configured ? "~" : " ",
    leftColumn(a.address, c.address),
    leftColumn(a.refid, c.refClock),
    String(a.stratum).padStart(c.stratum),
    ` ${when.padStart(c.when)}`,
    ` ${String(a.pollSeconds).padStart(c.poll)}`,
    ` ${a.reach.toString(8).padStart(c.reach)}`,
    ` ${formatListMs(a.delayMs, c.delay)}`,
    ` ${formatListMs(a.offsetMs, c.offset)}`,
    ` ${formatListMs(a.dispersionMs, c.dispersion)}`,
  ].join("");
}

/**
 * Left-justified in `width`, always followed by at least one space, so a long IPv6 address
 * pushes the row right instead of running into the ref clock (§2.1) [I].
 */
function leftColumn(text: string, width: number): string {
  return `${text.padEnd(width - 1)} `;
}

function associationDetail(a: AssociationSnapshot, zone: ZoneSpec): string[] {
  return [
    statusLine(a),
    `ref ID ${a.refid.padEnd(REFERENCE_FIELD_WIDTH)}, time ${timestampWithLocal(a.referenceTime, zone)}`,
    `our mode ${a.ourMode}, peer mode ${a.peerMode}, our poll intvl ${a.ourPollSeconds}, peer poll intvl ${a.peerPollSeconds}`,
    `root delay ${a.rootDelayMs.toFixed(2)} msec, root disp ${a.rootDispersionMs.toFixed(2)}, reach ${a.reach.toString(8)}, sync dist ${a.syncDistanceMs.toFixed(2)}`,
    `delay ${a.delayMs.toFixed(2)} msec, offset ${a.offsetMs.toFixed(4)} msec, dispersion ${a.dispersionMs.toFixed(2)}, jitter ${a.jitterMs.toFixed(2)} msec`,
    `precision ${precision(a.precisionLog2)}, version ${a.version}`,
    `assoc id ${a.id}, assoc name ${a.address}`,
    `assoc in packets ${a.inPackets}, assoc out packets ${a.outPackets}, assoc error packets ${a.errorPackets}`,
    `org time ${timestampWithLocal(a.originTime, zone)}`,
    `rec time ${timestampWithLocal(a.receiveTime, zone)}`,
    `xmt time ${timestampWithLocal(a.transmitTime, zone)}`,
    filterRow("filtdelay", a.filterDelayMs),
    filterRow("filtoffset", a.filterOffsetMs),
    filterRow("filterror", a.filterErrorMs),
    `minpoll = ${a.minpoll}, maxpoll = ${a.maxpoll}`,
  ];
}

/**
 * `192.168.255.254 configured, ipv4, authenticated (' ' reject), insane, invalid, stratum 3`
 * (§2.2): a rejected association shows its blank tally in parentheses after the previous word,
 * any other selection state is a word of its own (`, our_master,`).
 */
function statusLine(a: AssociationSnapshot): string {
  const words = [a.configured ? "configured" : "dynamic", a.address.includes(":") ? "ipv6" : "ipv4"];
  if (a.authenticated) words.push("authenticated");
  const selection = SELECTION_WORD[a.selection];
  const head =
    a.selection === "reject"
      ? `${words.join(", ")} ('${TALLY.reject}' ${selection})`
      : [...words, selection].join(", ");
  const tail = [a.sane ? "sane" : "insane", a.valid ? "valid" : "invalid", `stratum ${a.stratum}`];
  return `${a.address} ${[head, ...tail].join(", ")}`;
}

function filterRow(label: string, registersMs: readonly number[]): string {
  const values = registersMs.map((ms) => ms.toFixed(2).padStart(FILTER_REGISTER_WIDTH)).join("");
  return `${`${label} =`.padEnd(FILTER_LABEL_WIDTH)}${values}`;
}

/** IOS prints the magnitude of the log2 precision: `2**10` for about a millisecond (§2.2, §2.3). */
function precision(precisionLog2: number): string {
  return `2**${Math.abs(precisionLog2)}`;
}

/** `DBAB02D6.9E354130 (16:08:06.618 EST Fri Oct 14 2016)` (§2.2, §2.3). */
function timestampWithLocal(ts: NtpTimestamp, zone: ZoneSpec): string {
  return `${formatTimestampHex(ts)} (${formatNtpDetailTime(timestampToUnixMs(ts), zone)})`;
}

/** Era-0 timestamps with the top bit clear lie after 2036 (RFC 4330 §3). */
const ERA_PIVOT_SECONDS = 2 ** 31;
const MS_PER_SECOND = 1000;
const FRACTION_SCALE = 2 ** 32;

/**
 * Unix milliseconds for display, truncated like `show clock`. The zero timestamp ("unknown",
 * RFC 5905 §7.3) is shown as the NTP prime epoch, as IOS does (`00000000.00000000 (00:00:00.000
 * UTC Mon Jan 1 1900)`, §2.3); otherwise the era follows RFC 4330 §3 (1968-2104), which needs
 * no clock and so keeps the renderer a pure function of the snapshot.
 */
function timestampToUnixMs(ts: NtpTimestamp): number {
  const nextEra = !isZeroTimestamp(ts) && ts.seconds < ERA_PIVOT_SECONDS;
  const unixSeconds = ts.seconds - NTP_UNIX_EPOCH_OFFSET_SECONDS + (nextEra ? NTP_ERA_SECONDS : 0);
  // fraction × 1000 < 2^42 and the division is by a power of two: exact in a double.
  return unixSeconds * MS_PER_SECOND + Math.floor((ts.fraction * MS_PER_SECOND) / FRACTION_SCALE);
}

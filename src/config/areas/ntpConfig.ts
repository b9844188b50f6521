/**
 * NTP configuration: applying `ntp ...` commands and printing the NTP block of the running
 * configuration (ios-cli.md §1.1-1.5, nvgen order of §1.5).
 */
import type { ApplyContext, HandlerTable } from "../applyContext.js";
import type { MacAlgorithmName, NtpAccessType, NtpAssociationConfig, NtpConfig } from "../model.js";
import { decodeType7, encodeType7 } from "../type7.js";

const ALGORITHMS: readonly MacAlgorithmName[] = [
  "md5",
  "sha1",
  "sha2",
  "cmac-aes-128",
  "hmac-sha1",
  "hmac-sha2-256",
];
const ACCESS_TYPES: readonly NtpAccessType[] = ["peer", "query-only", "serve", "serve-only"];

/** RFC 5905 §7.3 defaults IOS omits from nvgen. */
export const DEFAULT_NTP_VERSION = 4;
export const DEFAULT_MINPOLL = 6;
export const DEFAULT_MAXPOLL = 10;
export const DEFAULT_MASTER_STRATUM = 8;

function associationAddress(ctx: ApplyContext): string {
  return ctx.args.str("address") ?? ctx.args.str("address6") ?? ctx.args.str("host") ?? "";
}

function associationKey(vrf: string | undefined, address: string): string {
  return `${vrf ?? ""}|${address.toLowerCase()}`;
}

function applyAssociation(kind: "server" | "peer") {
  return (ctx: ApplyContext): string | undefined => {
    const { args } = ctx;
    const vrf = args.str("vrf");
    const address = associationAddress(ctx);
    const key = associationKey(vrf, address);
    const { associations } = ctx.config.ntp;
    if (ctx.negated) {
      if (!associations.delete(key)) return "%NTP: no such association configured";
      return undefined;
    }
    const minpoll = args.int("min-poll");
    const maxpoll = args.int("max-poll");
    const assoc: NtpAssociationConfig = {
      kind,
      ...(vrf ? { vrf } : {}),
      ...(args.has("ip") ? { resolve: "ip" as const } : args.has("ipv6") ? { resolve: "ipv6" as const } : {}),
      address,
      burst: args.has("burst"),
      iburst: args.has("iburst"),
      ...optionalInt("key", args.int("keyid")),
      ...optionalInt("minpoll", minpoll),
      ...optionalInt("maxpoll", maxpoll),
      normalSync: args.has("normal-sync"),
      prefer: args.has("prefer"),
      ...(args.has("source") ? { source: args.str("iface") ?? "" } : {}),
      ...optionalInt("version", args.int("version")),
      ...optionalInt("port", args.int("port")),
    };
    if ((minpoll ?? DEFAULT_MINPOLL) > (maxpoll ?? Math.max(DEFAULT_MAXPOLL, minpoll ?? 0))) {
      return "%NTP: minpoll must not exceed maxpoll";
    }
    // ios-cli.md §1.12: re-entry replaces the option set, keeping the association's place.
    associations.set(key, assoc);
    return undefined;
  };
}

function optionalInt<K extends string>(name: K, value: number | undefined): { [P in K]?: number } {
  return (value === undefined ? {} : { [name]: value }) as { [P in K]?: number };
}

function applyKey(ctx: ApplyContext): string | undefined {
  const id = ctx.args.int("authkey")!;
  const { keys } = ctx.config.ntp;
  if (ctx.negated) {
    keys.delete(id);
    return undefined;
  }
  const algorithm = ctx.args.which(ALGORITHMS)!;
  const typed = ctx.args.str("keyvalue") ?? "";
  const encType = ctx.args.int("enctype") ?? 0;
  let secret = typed;
  if (encType === 7) {
    const decoded = decodeType7(typed);
    if (!decoded.ok) return `% Invalid encrypted key: ${decoded.reason}`;
    secret = decoded.value;
  } else if (encType !== 0) return "% Invalid encryption type";
  const problem = keyLengthProblem(algorithm, secret);
  if (problem) return problem;
  keys.set(id, { id, algorithm, secret, ...(encType === 7 ? { encoded: typed } : {}) });
  return undefined;
}

/** Key sizes per algorithm; CMAC-AES-128 needs a 128-bit key (RFC 8573 §4). */
function keyLengthProblem(algorithm: MacAlgorithmName, secret: string): string | undefined {
  if (algorithm === "cmac-aes-128") {
    const isHex = /^[0-9A-Fa-f]{32}$/.test(secret);
    if (!isHex && secret.length !== 16) return "% CMAC-AES-128 key must be 16 characters or 32 hex digits";
    return undefined;
  }
  if (secret.length < 1 || secret.length > 32) return "% Key length must be 1 to 32 characters";
  return undefined;
}

function applyTrustedKey(ctx: ApplyContext): string | undefined {
  const first = ctx.args.int("trusted")!;
  const last = ctx.args.int("trusted-end") ?? first;
  if (last < first) return "% Invalid key range";
  const { trustedKeys } = ctx.config.ntp;
  if (ctx.negated) {
    for (let k = first; k <= last; k++) trustedKeys.delete(k);
    return undefined;
  }
  if (first === last && trustedKeys.has(first)) {
    // Observed on IOS XE 17.15 (ios-cli.md §1.3).
    ctx.say("%NTP trusted-key is invalid : key already configured");
    return undefined;
  }
  for (let k = first; k <= last; k++) trustedKeys.add(k);
  return undefined;
}

function applyAccessGroup(ctx: ApplyContext): string | undefined {
  const family = ctx.args.has("ipv6") ? "ipv6" : "ipv4";
  const type = ctx.args.which(ACCESS_TYPES)!;
  const key = `${family}|${type}`;
  const groups = ctx.config.ntp.accessGroups;
  if (ctx.negated) {
    groups.delete(key);
    return undefined;
  }
  groups.set(key, { family, type, acl: ctx.args.str("acl") ?? "", kod: ctx.args.has("kod") });
  return undefined;
}

type NtpScalar =
  | "source"
  | "maxAssociations"
  | "orphan"
  | "broadcastDelay"
  | "clockPeriod"
  | "maxDistance"
  | "minDistance";

function scalar(field: NtpScalar, param: string, numeric: boolean) {
  return (ctx: ApplyContext): undefined => {
    const ntp = ctx.config.ntp as { -readonly [K in keyof NtpConfig]: NtpConfig[K] };
    if (ctx.negated) delete ntp[field];
    else (ntp as Record<NtpScalar, unknown>)[field] = numeric ? ctx.args.int(param) : ctx.args.str(param);
    return undefined;
  };
}

type NtpFlag = "authenticate" | "updateCalendar" | "logging" | "passive" | "panicUpdate" | "leapHandle";

function flag(field: NtpFlag) {
  return (ctx: ApplyContext): undefined => {
    (ctx.config.ntp as Record<NtpFlag, boolean>)[field] = !ctx.negated;
    return undefined;
  };
}

function applyAllow(ctx: ApplyContext): undefined {
  const ntp = ctx.config.ntp;
  if (ctx.args.has("private")) ntp.allowPrivate = !ctx.negated;
  else if (ctx.negated) delete ntp.allowControl;
  else ntp.allowControl = ctx.args.int("control-delay") ?? 0;
  return undefined;
}

/**
 * Meridian extension defaults, on unless `no ntp rate-limit`: a client may send 16 requests back
 * to back (an iburst start-up is 4-8), then one per 2^3 s on average, like NTPsec's `limit`
 * (average 8 s); one limited request in 2^2 gets a RATE KoD, as chrony's default `leak 2`.
 */
export const DEFAULT_RATE_LIMIT = { intervalLog2: 3, burst: 16, leakLog2: 2 } as const;

function applyRateLimit(ctx: ApplyContext): undefined {
  const ntp = ctx.config.ntp;
  if (ctx.negated) {
    ntp.rateLimit = null;
    return undefined;
  }
  const base = ntp.rateLimit ?? DEFAULT_RATE_LIMIT;
  ntp.rateLimit = {
    intervalLog2: ctx.args.int("rl-interval") ?? base.intervalLog2,
    burst: ctx.args.int("rl-burst") ?? base.burst,
    leakLog2: ctx.args.int("rl-leak") ?? base.leakLog2,
  };
  return undefined;
}

export const ntpHandlers: HandlerTable = {
  "ntp.server": applyAssociation("server"),
  "ntp.peer": applyAssociation("peer"),
  "ntp.master": (ctx) => {
    if (ctx.negated) delete ctx.config.ntp.master;
    else ctx.config.ntp.master = ctx.args.int("stratum") ?? DEFAULT_MASTER_STRATUM;
    return undefined;
  },
  "ntp.authenticate": flag("authenticate"),
  "ntp.authentication-key": applyKey,
  "ntp.trusted-key": applyTrustedKey,
  "ntp.access-group": applyAccessGroup,
  "ntp.source": scalar("source", "iface", false),
  "ntp.update-calendar": flag("updateCalendar"),
  "ntp.logging": flag("logging"),
  "ntp.max-associations": scalar("maxAssociations", "maxassoc", true),
  "ntp.orphan": scalar("orphan", "orphan-stratum", true),
  "ntp.passive": flag("passive"),
  "ntp.allow": applyAllow,
  "ntp.broadcastdelay": scalar("broadcastDelay", "bdelay", true),
  "ntp.clock-period": scalar("clockPeriod", "clockperiod", true),
  "ntp.maxdistance": scalar("maxDistance", "distance", true),
  "ntp.mindistance": scalar("minDistance", "mindistance", true),
  "ntp.panic": flag("panicUpdate"),
  "ntp.leap-handle": flag("leapHandle"),
  "ntp.rate-limit": applyRateLimit,
};

/** One association in nvgen order (ios-cli.md §1.1), defaults omitted. */
export function renderAssociation(a: NtpAssociationConfig): string {
  const parts = [`ntp ${a.kind}`];
  if (a.vrf) parts.push(`vrf ${a.vrf}`);
  if (a.resolve) parts.push(a.resolve);
  parts.push(a.address);
  if (a.burst) parts.push("burst");
  if (a.iburst) parts.push("iburst");
  if (a.key !== undefined) parts.push(`key ${a.key}`);
  if (a.minpoll !== undefined && a.minpoll !== DEFAULT_MINPOLL) parts.push(`minpoll ${a.minpoll}`);
  if (a.maxpoll !== undefined && a.maxpoll !== DEFAULT_MAXPOLL) parts.push(`maxpoll ${a.maxpoll}`);
  if (a.normalSync) parts.push("normal-sync");
  if (a.prefer) parts.push("prefer");
  if (a.source) parts.push(`source ${a.source}`);
  if (a.version !== undefined && a.version !== DEFAULT_NTP_VERSION) parts.push(`version ${a.version}`);
  if (a.port !== undefined && a.port !== 123) parts.push(`port ${a.port}`);
  return parts.join(" ");
}

/** Consecutive trusted keys collapse to the range form `A - B`. */
function renderTrustedKeys(keys: ReadonlySet<number>): string[] {
  const sorted = [...keys].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    out.push(j > i ? `ntp trusted-key ${sorted[i]} - ${sorted[j]}` : `ntp trusted-key ${sorted[i]}`);
    i = j + 1;
  }
  return out;
}

/** The NTP block of `show running-config` (ios-cli.md §1.5 order). */
export function renderNtp(ntp: NtpConfig): string[] {
  const out: string[] = [];
  if (ntp.clockPeriod !== undefined) out.push(`ntp clock-period ${ntp.clockPeriod}`);
  if (ntp.logging) out.push("ntp logging");
  for (const k of ntp.keys.values())
    out.push(`ntp authentication-key ${k.id} ${k.algorithm} ${encodeType7(k.secret)} 7`);
  if (ntp.authenticate) out.push("ntp authenticate");
  out.push(...renderTrustedKeys(ntp.trustedKeys));
  if (ntp.source) out.push(`ntp source ${ntp.source}`);
  for (const g of [...ntp.accessGroups.values()].sort((a, b) => accessOrder(a.type) - accessOrder(b.type))) {
    out.push(
      `ntp access-group ${g.family === "ipv6" ? "ipv6 " : ""}${g.type} ${g.acl}${g.kod ? " kod" : ""}`,
    );
  }
  if (ntp.allowControl !== undefined)
    out.push(`ntp allow mode control${ntp.allowControl ? ` ${ntp.allowControl}` : ""}`);
  if (ntp.allowPrivate) out.push("ntp allow mode private");
  if (ntp.passive) out.push("ntp passive");
  if (ntp.orphan !== undefined) out.push(`ntp orphan ${ntp.orphan}`);
  if (ntp.maxAssociations !== undefined) out.push(`ntp max-associations ${ntp.maxAssociations}`);
  if (ntp.maxDistance !== undefined) out.push(`ntp maxdistance ${ntp.maxDistance}`);
  if (ntp.minDistance !== undefined) out.push(`ntp mindistance ${ntp.minDistance}`);
  if (ntp.broadcastDelay !== undefined) out.push(`ntp broadcastdelay ${ntp.broadcastDelay}`);
  if (ntp.panicUpdate) out.push("ntp panic update");
  if (ntp.leapHandle) out.push("ntp leap-handle");
  if (ntp.rateLimit === null) out.push("no ntp rate-limit");
  else if (ntp.rateLimit) {
    const r = ntp.rateLimit;
    out.push(`ntp rate-limit interval ${r.intervalLog2} burst ${r.burst} leak ${r.leakLog2}`);
  }
  if (ntp.master !== undefined)
    out.push(ntp.master === DEFAULT_MASTER_STRATUM ? "ntp master" : `ntp master ${ntp.master}`);
  if (ntp.updateCalendar) out.push("ntp update-calendar");
  for (const a of ntp.associations.values()) out.push(renderAssociation(a));
  return out;
}

function accessOrder(type: NtpAccessType): number {
  return ACCESS_TYPES.indexOf(type);
}

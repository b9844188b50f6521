/**
 * Logging configuration: applying `logging ...` commands and printing the two logging blocks of
 * the running configuration — buffered/console/monitor near the top, trap/origin-id/facility/
 * source-interface/hosts after the named ACLs (ios-cli.md §1.8, §2.9).
 *
 * Adding a host prints nothing at the CLI: `%SYS-6-LOGGINGHOST_STARTSTOP` is a syslog event the
 * logging service raises when it reconciles the new configuration.
 */
import type { ApplyContext, HandlerTable } from "../applyContext.js";
import {
  DEFAULT_BUFFER_SIZE,
  DEFAULT_FACILITY,
  DEFAULT_TRAP_LEVEL,
  type LoggingConfig,
  type LoggingHostConfig,
  type RunningConfig,
  type SyslogLevel,
} from "../model.js";

/** Severity names by level, as `logging trap ?` lists them and nvgen prints them (§1.8). */
export const SYSLOG_LEVEL_NAMES = [
  "emergencies",
  "alerts",
  "critical",
  "errors",
  "warnings",
  "notifications",
  "informational",
  "debugging",
] as const;

export const SYSLOG_FACILITIES = [
  "auth",
  "cron",
  "daemon",
  "kern",
  "local0",
  "local1",
  "local2",
  "local3",
  "local4",
  "local5",
  "local6",
  "local7",
  "lpr",
  "mail",
  "news",
  "sys9",
  "sys10",
  "sys11",
  "sys12",
  "sys13",
  "sys14",
  "syslog",
  "user",
  "uucp",
] as const;

/** `logging buffered`, `logging console` and `logging monitor` default to debugging. */
export const DEFAULT_LOCAL_LEVEL: SyslogLevel = 7;

/** RFC 5426 §3.1: syslog over UDP uses port 514. */
export const SYSLOG_UDP_PORT = 514;
/**
 * RFC 6587 §3.3 / IANA `syslog-conn`: syslog over TCP uses port 601, which is also the IOS
 * default for `transport tcp`. IOS prints the port of a TCP host even when it is 601.
 */
export const SYSLOG_TCP_PORT = 601;

/** The level typed as a number or a name, if any. */
function typedLevel(ctx: ApplyContext): SyslogLevel | undefined {
  const numeric = ctx.args.int("level");
  if (numeric !== undefined) return numeric as SyslogLevel;
  const name = ctx.args.which(SYSLOG_LEVEL_NAMES);
  return name === undefined ? undefined : (SYSLOG_LEVEL_NAMES.indexOf(name) as SyslogLevel);
}

/** Re-entry changes only what is typed: `logging buffered 16384` keeps the level and vice versa. */
function applyBuffered(ctx: ApplyContext): undefined {
  const logging = ctx.config.logging;
  if (ctx.negated) {
    logging.buffered = null;
    return undefined;
  }
  const base = logging.buffered ?? { size: DEFAULT_BUFFER_SIZE, level: DEFAULT_LOCAL_LEVEL };
  logging.buffered = { size: ctx.args.int("size") ?? base.size, level: typedLevel(ctx) ?? base.level };
  return undefined;
}

/** `logging console|monitor [LEVEL]`: bare means debugging; `no` turns it off. */
function applyLocal(field: "console" | "monitor") {
  return (ctx: ApplyContext): undefined => {
    ctx.config.logging[field] = ctx.negated ? null : (typedLevel(ctx) ?? DEFAULT_LOCAL_LEVEL);
    return undefined;
  };
}

/** `no logging trap` restores the default: the model keeps a level, not an off switch. */
function applyTrap(ctx: ApplyContext): undefined {
  ctx.config.logging.trap = ctx.negated ? DEFAULT_TRAP_LEVEL : (typedLevel(ctx) ?? DEFAULT_TRAP_LEVEL);
  return undefined;
}

function applyFacility(ctx: ApplyContext): undefined {
  ctx.config.logging.facility = ctx.negated
    ? DEFAULT_FACILITY
    : (ctx.args.which(SYSLOG_FACILITIES) ?? DEFAULT_FACILITY);
  return undefined;
}

function applySourceInterface(ctx: ApplyContext): undefined {
  const logging = ctx.config.logging;
  if (ctx.negated) {
    delete logging.sourceInterface;
    return undefined;
  }
  const vrf = ctx.args.str("vrf-name");
  logging.sourceInterface = { iface: ctx.args.str("iface") ?? "", ...(vrf === undefined ? {} : { vrf }) };
  return undefined;
}

function applyOriginId(ctx: ApplyContext): undefined {
  const logging = ctx.config.logging;
  if (ctx.negated) {
    delete logging.originId;
    return undefined;
  }
  const kind = ctx.args.which(["hostname", "ip", "string"] as const) ?? "hostname";
  const value = ctx.args.str("origin-string");
  logging.originId = kind === "string" && value !== undefined ? { kind, value } : { kind };
  return undefined;
}

/** Hosts are keyed by address, VRF, transport and port (ios-cli.md §1.12). */
export function loggingHostKey(h: LoggingHostConfig): string {
  return `${h.host.toLowerCase()}|${h.vrf ?? ""}|${h.transport}|${h.port}`;
}

function hostFromArgs(ctx: ApplyContext): LoggingHostConfig {
  const { args } = ctx;
  const host =
    args.str("host-ip") ?? args.str("host-ip6") ?? args.str("host-name") ?? args.str("legacy-host") ?? "";
  const vrf = args.str("vrf-name");
  const transport = args.has("tcp") ? "tcp" : "udp";
  const port = args.int("port") ?? (transport === "tcp" ? SYSLOG_TCP_PORT : SYSLOG_UDP_PORT);
  return { host, ...(vrf === undefined ? {} : { vrf }), transport, port };
}

/**
 * `logging host` adds (or keeps) one entry. The `no` form with a transport removes exactly that
 * entry; without one it removes every entry for the host in that VRF.
 */
function applyHost(ctx: ApplyContext): undefined {
  const { hosts } = ctx.config.logging;
  const entry = hostFromArgs(ctx);
  if (!ctx.negated) {
    hosts.set(loggingHostKey(entry), entry);
    return undefined;
  }
  if (ctx.args.has("transport")) {
    hosts.delete(loggingHostKey(entry));
    return undefined;
  }
  for (const [key, h] of hosts) {
    if (h.host.toLowerCase() === entry.host.toLowerCase() && h.vrf === entry.vrf) hosts.delete(key);
  }
  return undefined;
}

export const loggingHandlers: HandlerTable = {
  "logging.buffered": applyBuffered,
  "logging.host": applyHost,
  "logging.trap": applyTrap,
  "logging.facility": applyFacility,
  "logging.console": applyLocal("console"),
  "logging.monitor": applyLocal("monitor"),
  "logging.source-interface": applySourceInterface,
  "logging.origin-id": applyOriginId,
};

// ---------------------------------------------------------------------------------------------
// nvgen

export function levelName(level: SyslogLevel): string {
  return SYSLOG_LEVEL_NAMES[level];
}

function renderBuffered(b: LoggingConfig["buffered"]): string[] {
  if (b === null) return ["no logging buffered"];
  const parts = ["logging buffered"];
  if (b.size !== DEFAULT_BUFFER_SIZE) parts.push(String(b.size));
  if (b.level !== DEFAULT_LOCAL_LEVEL) parts.push(levelName(b.level));
  return parts.length > 1 ? [parts.join(" ")] : [];
}

function renderLocal(field: "console" | "monitor", level: SyslogLevel | null): string[] {
  if (level === null) return [`no logging ${field}`];
  return level === DEFAULT_LOCAL_LEVEL ? [] : [`logging ${field} ${levelName(level)}`];
}

/**
 * The lines after `boot-end-marker`: `logging buffered` with only its non-default parts
 * (`logging buffered 16384 informational`, `logging buffered informational`), then console and
 * monitor, each printed when not debugging and as `no logging ...` when off (ios-cli.md §1.8).
 */
export function renderLoggingTop(c: RunningConfig): string[] {
  const l = c.logging;
  return [
    ...renderBuffered(l.buffered),
    ...renderLocal("console", l.console),
    ...renderLocal("monitor", l.monitor),
  ];
}

/** UDP/514 prints as the plain form; TCP always names its port. */
export function renderLoggingHost(h: LoggingHostConfig): string {
  const parts = [`logging host ${h.host}`];
  if (h.vrf !== undefined) parts.push(`vrf ${h.vrf}`);
  if (h.transport === "tcp") parts.push(`transport tcp port ${h.port}`);
  else if (h.port !== SYSLOG_UDP_PORT) parts.push(`transport udp port ${h.port}`);
  return parts.join(" ");
}

/** The remote-logging block: trap, origin-id, facility, source-interface, hosts (§1.8 order). */
export function renderLoggingRemote(c: RunningConfig): string[] {
  const l = c.logging;
  const out: string[] = [];
  if (l.trap !== DEFAULT_TRAP_LEVEL) out.push(`logging trap ${levelName(l.trap)}`);
  if (l.originId) {
    const o = l.originId;
    out.push(
      o.kind === "string" ? `logging origin-id string ${o.value ?? ""}` : `logging origin-id ${o.kind}`,
    );
  }
  if (l.facility !== DEFAULT_FACILITY) out.push(`logging facility ${l.facility}`);
  if (l.sourceInterface) {
    const s = l.sourceInterface;
    out.push(`logging source-interface ${s.iface}${s.vrf === undefined ? "" : ` vrf ${s.vrf}`}`);
  }
  for (const h of l.hosts.values()) out.push(renderLoggingHost(h));
  return out;
}

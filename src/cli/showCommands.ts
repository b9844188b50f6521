/**
 * Show commands of the CLI. Renderers are pure functions of appliance state; commands whose
 * service arrives in a later issue say so in one clear line.
 */
import { renderNtp } from "../config/areas/ntpConfig.js";
import type { AccessListConfig } from "../config/model.js";
import { MERIDIAN_VERSION, renderRunningConfig } from "../config/render.js";
import {
  formatCalendar,
  formatShowClock,
  formatSummerTransition,
  formatUptimeLong,
} from "../services/clock/timeFormat.js";
import { summerTransitionsForYear } from "../services/clock/timeZone.js";
import type { ExecContext, ExecHandler, ExecResult } from "./execCommands.js";
import { zoneSpec } from "./execCommands.js";

/** Size `show startup-config` reports as the NVRAM capacity (IOS XE prints 33554432). */
const NVRAM_BYTES = 33554432;

const TIME_SOURCES = {
  none: "No time source",
  calendar: "Time source is hardware calendar",
  user: "Time source is user configuration",
  ntp: "Time source is NTP",
} as const;

function lines(text: string): string[] {
  const out = text.split("\n");
  if (out[out.length - 1] === "") out.pop();
  return out;
}

function notYet(service: string): ExecHandler {
  return () => ({ lines: [`% ${service} is not running in this shell`] });
}

function showClock({ appliance, args }: ExecContext): ExecResult {
  const spec = zoneSpec(appliance);
  const now = appliance.clock.now();
  const out = [formatShowClock(now.ms, now.subMs, spec, appliance.clock.flag())];
  if (args.has("detail")) {
    out.push(TIME_SOURCES[appliance.clock.source]);
    const transitions = summerTransitionsForYear(spec, new Date(now.ms).getUTCFullYear());
    if (transitions) {
      out.push(`Summer time starts ${formatSummerTransition(transitions.startUtcMs, spec, "start")}`);
      out.push(`Summer time ends ${formatSummerTransition(transitions.endUtcMs, spec, "end")}`);
    }
  }
  return { lines: out };
}

/** `show access-lists`: IOS XE layout with sequence numbers (ios-cli.md §2.10). */
export function renderAccessList(acl: AccessListConfig): string[] {
  const out = [`Standard IP access list ${acl.name}`];
  for (const e of acl.entries) {
    if (e.action === "remark") continue;
    const action = e.action === "deny" ? "deny  " : "permit";
    const source =
      e.source === "any"
        ? "any"
        : e.wildcard && e.wildcard !== "0.0.0.0"
          ? `${e.source}, wildcard bits ${e.wildcard}`
          : e.source;
    out.push(`    ${e.sequence} ${action} ${source}${e.log ? " log" : ""}`);
  }
  return out;
}

export const showHandlers: Readonly<Record<string, ExecHandler>> = {
  "show.running-config": ({ appliance }) => ({
    lines: lines(renderRunningConfig(appliance.config, appliance.lastChange)),
  }),
  "exec.write-terminal": ({ appliance }) => ({
    lines: lines(renderRunningConfig(appliance.config, appliance.lastChange)),
  }),
  "show.startup-config": ({ appliance }) => {
    const text = appliance.startup.read();
    if (text === undefined) return { lines: ["startup-config is not present"] };
    return { lines: [`Using ${Buffer.byteLength(text)} out of ${NVRAM_BYTES} bytes`, ...lines(text)] };
  },
  "show.ntp.config": ({ appliance }) => ({
    lines: renderNtp(appliance.config.ntp).filter(
      (l) => l.startsWith("ntp server") || l.startsWith("ntp peer"),
    ),
  }),
  "show.ntp.associations": notYet("The NTP service"),
  "show.ntp.status": notYet("The NTP service"),
  "show.logging": notYet("The syslog service"),
  "show.crypto.pki.certificates": notYet("The PKI service"),
  "show.crypto.pki.trustpoints": notYet("The PKI service"),
  "show.clock": showClock,
  "show.calendar": ({ appliance }) => ({
    lines: [formatCalendar(appliance.calendar.nowMs(), zoneSpec(appliance))],
  }),
  "show.version": ({ appliance }) => ({
    lines: [
      `Meridian Network Time Appliance Software, Version ${MERIDIAN_VERSION}`,
      "",
      `${appliance.config.hostname} uptime is ${formatUptimeLong(appliance.clock.uptimeMs())}`,
      "",
    ],
  }),
  "show.history": ({ session }) => ({ lines: session.history.map((h) => `  ${h}`) }),
  "show.users": ({ session }) => ({
    lines: [
      "    Line       User       Host(s)              Idle       Location",
      `*  0 ${session.origin.line.padEnd(9)} ${session.user.name.padEnd(10)} idle                 00:00:00 ${session.origin.address ?? ""}`.trimEnd(),
      "",
    ],
  }),
  "show.access-lists": ({ appliance, args }) => {
    const name = args.str("acl-name");
    const lists = [...appliance.config.accessLists.values()].filter(
      (a) => name === undefined || a.name === name,
    );
    return { lines: lists.flatMap(renderAccessList) };
  },
  "show.ip.ssh": ({ appliance }) => ({
    lines: [
      "SSH Enabled - version 2.0",
      `Authentication methods:publickey,keyboard-interactive,password`,
      `Authentication timeout: ${appliance.config.sshTimeout ?? 120} secs; Authentication retries: ${appliance.config.sshRetries ?? 3}`,
    ],
  }),
  "show.privilege": ({ session }) => ({ lines: [`Current privilege level is ${session.privilege}`] }),
  "show.terminal": ({ session }) => ({
    lines: [
      `Line 0, Location: "", Type: ""`,
      `Length: ${session.terminal.length} lines, Width: ${session.terminal.width} columns`,
      `History is enabled, history size is 20.`,
    ],
  }),
};

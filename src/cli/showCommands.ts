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
import type { NtpSnapshot } from "../services/ntp/ntpSnapshot.js";
import { CertificateCache } from "../services/pki/certificateCache.js";
import { type PkiSnapshot, pkiSnapshotOf } from "../services/pki/pkiSnapshot.js";
import type { Appliance } from "./appliance.js";
import type { ExecContext, ExecHandler, ExecResult } from "./execCommands.js";
import { zoneSpec } from "./execCommands.js";
import { renderShowLogging } from "./show/loggingShow.js";
import { renderNtpAssociations, renderNtpAssociationsDetail, renderNtpStatus } from "./show/ntpShow.js";
import { renderShowCryptoPkiCertificates, renderShowCryptoPkiTrustpoints } from "./show/pkiShow.js";

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

function _notYet(service: string): ExecHandler {
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

/**
 * `show ip ssh` as IOS XE 17 prints it [I: line labels from XE 17 output], with the running
 * server's algorithms and host key when there is one. The fingerprint line is a Meridian
 * extension (OpenSSH's `SHA256:` form, what `ssh` shows on first connection).
 */
export function renderShowIpSsh(appliance: Appliance): string[] {
  const { config, sshServer: ssh } = appliance;
  const timeouts = `Authentication timeout: ${config.sshTimeout ?? 120} secs; Authentication retries: ${config.sshRetries ?? 3}`;
  const head = [
    "SSH Enabled - version 2.0",
    "Authentication methods:publickey,keyboard-interactive,password",
  ];
  if (!ssh) return [...head, timeouts];
  const alg = ssh.hostPublicKey.split(" ")[0];
  return [
    ...head,
    `Authentication Publickey Algorithms:${ssh.publicKeyAlgorithms.join(",")}`,
    `Hostkey Algorithms:${ssh.hostKeyAlgorithm}`,
    `Encryption Algorithms:${ssh.ciphers.join(",")}`,
    `MAC Algorithms:${ssh.macs.join(",")}`,
    `KEX Algorithms:${ssh.kex.join(",")}`,
    timeouts,
    "Minimum expected Diffie Hellman key size : 2048 bits",
    `IOS Keys in SECSH format(${alg}, base64 encoded): ${config.hostname}-host-key`,
    ssh.hostPublicKey,
    `Hostkey fingerprint: ${ssh.hostKeyFingerprint}`,
  ];
}

/** NTP is off until the first `ntp` command (ios-cli.md §4); offline there is no service. */
function ntpSnapshot(appliance: Appliance): NtpSnapshot | undefined {
  if (!ntpConfigured(appliance.config.ntp)) return undefined;
  return appliance.ntp?.snapshot();
}

function ntpConfigured(ntp: Appliance["config"]["ntp"]): boolean {
  return renderNtp(ntp).length > 0;
}

/**
 * `show version` in the IOS layout automation parses (ntc-templates cisco_ios_show_version:
 * `... Software (IMAGE), Version V, RELEASE SOFTWARE (R)`, `HOST uptime is ...`), naming
 * Meridian rather than posing as Cisco.
 */
export function renderShowVersion(appliance: Appliance): string[] {
  const host = appliance.config.hostname;
  return [
    `Meridian Network Time Appliance Software (MERIDIAN-NTP), Version ${MERIDIAN_VERSION}, RELEASE SOFTWARE (mrd1)`,
    "Technical Support: see README.md",
    "",
    "ROM: Bootstrap program is Meridian",
    "",
    `${host} uptime is ${formatUptimeLong(appliance.clock.uptimeMs())}`,
    "System returned to ROM by power-on",
    'System image file is "flash:meridian"',
    "Last reload reason: power-on",
    "",
    "Configuration register is 0x2102",
    "",
  ];
}

/** IOS line numbering: `0 con 0`; vty N is line N+2 (ios-cli.md §1.10, IOL). */
function lineLabel(line: string): string {
  const vty = /^vty(\d+)$/.exec(line);
  return vty ? `${String(Number(vty[1]) + 2).padStart(3)} vty ${vty[1]}` : "  0 con 0";
}

/** The PKI service's verdicts, or (offline) the certificates with verdicts pending. */
export function pkiSnapshot(appliance: Appliance): PkiSnapshot {
  return appliance.pki?.snapshot() ?? pkiSnapshotOf(appliance.config, offlineCertificates.parse);
}

const offlineCertificates = new CertificateCache();

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
  "show.ntp.associations": ({ appliance, args }) => {
    const snap = ntpSnapshot(appliance);
    if (!snap) return { lines: ["%NTP is not enabled."] };
    return {
      lines: args.has("detail")
        ? renderNtpAssociationsDetail(snap.associations, zoneSpec(appliance))
        : renderNtpAssociations(snap.associations),
    };
  },
  "show.ntp.status": ({ appliance }) => {
    const snap = ntpSnapshot(appliance);
    return { lines: snap ? renderNtpStatus(snap.system, zoneSpec(appliance)) : ["%NTP is not enabled."] };
  },
  "show.logging": ({ appliance }) => ({ lines: renderShowLogging(appliance.syslog.status()) }),
  "show.crypto.pki.certificates": ({ appliance, args }) => ({
    lines: renderShowCryptoPkiCertificates(
      pkiSnapshot(appliance),
      zoneSpec(appliance),
      args.str("trustpoint"),
    ),
  }),
  "show.crypto.pki.trustpoints": ({ appliance, args }) => ({
    lines: renderShowCryptoPkiTrustpoints(pkiSnapshot(appliance), zoneSpec(appliance), {
      ...(args.has("trustpoint") ? { trustpoint: args.str("trustpoint") ?? "" } : {}),
      status: args.has("status"),
    }),
  }),
  "show.clock": showClock,
  "show.calendar": ({ appliance }) => ({
    lines: [formatCalendar(appliance.calendar.nowMs(), zoneSpec(appliance))],
  }),
  "show.version": ({ appliance }) => ({ lines: renderShowVersion(appliance) }),
  "show.history": ({ session }) => ({ lines: session.history.map((h) => `  ${h}`) }),
  "show.users": ({ session }) => ({
    lines: [
      "    Line       User       Host(s)              Idle       Location",
      `*${lineLabel(session.origin.line).padEnd(13)} ${session.user.name.padEnd(10)} idle                 00:00:00 ${session.origin.address ?? ""}`.trimEnd(),
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
  "show.ip.ssh": ({ appliance }) => ({ lines: renderShowIpSsh(appliance) }),
  "show.privilege": ({ session }) => ({ lines: [`Current privilege level is ${session.privilege}`] }),
  "show.terminal": ({ session }) => ({
    lines: [
      `Line 0, Location: "", Type: ""`,
      `Length: ${session.terminal.length} lines, Width: ${session.terminal.width} columns`,
      `History is enabled, history size is 20.`,
    ],
  }),
};

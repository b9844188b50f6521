/**
 * `show logging` (ios-cli.md §2.6): the IOS XE 17.15 header with real counters, the trap section
 * with one block per collector, then the buffer, oldest line first. A pure function of the
 * syslog service's status; it parses with ntc-templates' cisco_ios_show_logging.textfsm.
 */
import { SYSLOG_LEVEL_NAMES } from "../../config/areas/loggingConfig.js";
import type { SyslogLevel } from "../../config/model.js";
import type {
  LocalDestinationStatus,
  LoggingStatus,
  RemoteHostStatus,
} from "../../services/syslog/syslogService.js";

/** IOS XE's fixed exception-logging size line (§2.6 [R]). */
const EXCEPTION_LOG_BYTES = 4096;

function levelName(level: SyslogLevel): string {
  return SYSLOG_LEVEL_NAMES[level];
}

/**
 * `    Console logging: level debugging, 39 messages logged, xml disabled,` and its continuation,
 * indented under the colon as the sample shows (21 spaces for console/monitor, 20 for buffer).
 */
function localDestination(
  label: string,
  status: LocalDestinationStatus,
  continuationIndent: number,
): string[] {
  if (status.level === null) return [`    ${label} disabled`];
  return [
    `    ${label} level ${levelName(status.level)}, ${status.logged} messages logged, xml disabled,`,
    `${" ".repeat(continuationIndent)}filtering disabled`,
  ];
}

function bufferDestination(status: LoggingStatus["buffer"]): string[] {
  if (status.level === null)
    return ["    Buffer logging:  disabled, xml disabled,", `${" ".repeat(20)}filtering disabled`];
  return localDestination("Buffer logging: ", status, 20);
}

/**
 * One collector (§2.6 [R]). `dropped-by-queue` is a Meridian extension, printed only when
 * messages were lost to a full queue or a refused send, so an IOS-identical box prints nothing new.
 */
function hostBlock(h: RemoteHostStatus): string[] {
  const out = [
    `        Logging to ${h.host}  (${h.transport} port ${h.port}, audit disabled,`,
    `              link ${h.linkUp ? "up" : "down"}),`,
    `              ${h.logged} message lines logged, `,
    "              0 message lines rate-limited, ",
    "              0 message lines dropped-by-MD, ",
  ];
  if (h.dropped > 0) out.push(`              ${h.dropped} message lines dropped-by-queue, `);
  out.push("              xml disabled, sequence number disabled", "              filtering disabled");
  return out;
}

/** `Logging Source-Interface:       VRF Name:` and, when set, the interface row [I: IOS 15 layout]. */
function sourceInterfaceRows(status: LoggingStatus): string[] {
  const rows = ["        Logging Source-Interface:       VRF Name:"];
  const s = status.sourceInterface;
  if (s) rows.push(`        ${s.iface.padEnd(32)}${s.vrf ?? ""}`.trimEnd());
  return rows;
}

/** The whole `show logging` output, one string per line. */
export function renderShowLogging(status: LoggingStatus): string[] {
  const out = [
    `Syslog logging: enabled (${status.dropped} messages dropped, 0 messages rate-limited, 0 flushes, 0 overruns, xml disabled, filtering disabled)`,
    "",
    "No Active Message Discriminator.",
    "",
    "",
    "",
    "No Inactive Message Discriminator.",
    "",
    "",
    ...localDestination("Console logging:", status.console, 21),
    ...localDestination("Monitor logging:", status.monitor, 21),
    ...bufferDestination(status.buffer),
    `    Exception Logging: size (${EXCEPTION_LOG_BYTES} bytes)`,
    "    Count and timestamp logging messages: disabled",
    "    Persistent logging: disabled",
    `    Trap logging: level ${levelName(status.trap.level)}, ${status.trap.logged} message lines logged`,
    ...status.hosts.flatMap(hostBlock),
    ...sourceInterfaceRows(status),
  ];
  if (status.buffer.level !== null) {
    out.push("", `Log Buffer (${status.buffer.sizeBytes} bytes):`, "");
    for (const entry of status.buffer.lines) out.push(...entry.split("\n"));
  }
  return out;
}

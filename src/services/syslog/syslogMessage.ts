/**
 * The IOS message model: `%FACILITY-SEVERITY-MNEMONIC: text` (ios-cli.md §2.7, §2.8). FACILITY
 * here is the IOS message family (`SYS`, `NTP`, `PKI`), not the syslog facility of the wire
 * PRI, which comes from `logging facility` (see syslogFacility.ts).
 */
import type { SyslogLevel } from "../../config/model.js";

export interface SyslogMessage {
  /** IOS message family: upper-case letters, digits and `_` (`SYS`, `SEC_LOGIN`). */
  readonly facility: string;
  /** 0 emergencies .. 7 debugging (RFC 5424 §6.2.1 severities, as `logging trap` levels). */
  readonly severity: SyslogLevel;
  /** `CONFIG_I`, `CLOCKUPDATE`, `CERTIFICATE_INVALID_EXPIRED`. */
  readonly mnemonic: string;
  readonly text: string;
}

const BODY_PATTERN = /^%([A-Z0-9_]+)-([0-7])-([A-Z0-9_]+): ([\s\S]*)$/;

export function syslogMessage(
  facility: string,
  severity: SyslogLevel,
  mnemonic: string,
  text: string,
): SyslogMessage {
  return { facility, severity, mnemonic, text };
}

/** `%SYS-5-CONFIG_I: Configured from console by console`. */
export function messageBody(message: SyslogMessage): string {
  return `%${message.facility}-${message.severity}-${message.mnemonic}: ${message.text}`;
}

/**
 * The message a `%FAC-SEV-MNEMONIC: text` string carries, for callers that still hand the
 * appliance rendered text (`Appliance.event`); undefined when the text is not in that form.
 */
export function parseMessageBody(body: string): SyslogMessage | undefined {
  const m = BODY_PATTERN.exec(body);
  if (!m) return undefined;
  const [, facility, severity, mnemonic, text] = m;
  if (facility === undefined || severity === undefined || mnemonic === undefined || text === undefined)
    return undefined;
  return syslogMessage(facility, Number(severity) as SyslogLevel, mnemonic, text);
}

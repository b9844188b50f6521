/**
 * The device events of ios-cli.md §2.8, by name, so every service raises the exact IOS text:
 * `syslog.log(ntpPeerSync("172.16.0.12"))`. Texts marked [R] are verbatim from real devices;
 * [U] texts are our best knowledge of the IOS wording. Callers gate the `%NTP-*` events (and the
 * NTP-driven CLOCKUPDATE) on `ntp logging`, as IOS does.
 */
import { type SyslogMessage, syslogMessage } from "./syslogMessage.js";

// ---------------------------------------------------------------------------------------------
// SYS
// ---------------------------------------------------------------------------------------------

/**
 * Leaving configuration mode [R]: `by` is `console` on the console, or `cisco on vty0
 * (172.16.5.22)` for an SSH user (CliSession.describeUser()).
 */
export function configuredFrom(by: string): SyslogMessage {
  return syslogMessage("SYS", 5, "CONFIG_I", `Configured from console by ${by}`);
}

/**
 * `clock set`, a time-zone change or an NTP step [R]. `from` / `to` are rendered with
 * formatClockUpdate (`14:23:40 UTC Thu Jun 2 2022`); `by` is `console by console` for a user,
 * or `NTP by 172.16.0.12` for NTP.
 */
export function clockUpdate(from: string, to: string, by: string): SyslogMessage {
  return syslogMessage(
    "SYS",
    6,
    "CLOCKUPDATE",
    `System clock has been updated from ${from} to ${to}, configured from ${by}.`,
  );
}

/** `configured from console by USER` for {@link clockUpdate}. */
export function byConsoleUser(user: string): string {
  return `console by ${user}`;
}

/** `configured from NTP by PEER` for {@link clockUpdate}. */
export function byNtpPeer(peer: string): string {
  return `NTP by ${peer}`;
}

/** A `logging host` was added or removed [R]. */
export function loggingHostStartStop(host: string, port: number, started: boolean): SyslogMessage {
  return syslogMessage(
    "SYS",
    6,
    "LOGGINGHOST_STARTSTOP",
    `Logging to host ${host} port ${port} ${started ? "started" : "stopped"} - CLI initiated`,
  );
}

/** `send log` / a user warning [R: `Message from tty0(user id: ): SVC-WARN4`]. */
export function userLogWarning(text: string): SyslogMessage {
  return syslogMessage("SYS", 4, "USERLOG_WARNING", text);
}

/** Reload [R]: `System restarted --` followed by the version banner lines. */
export function systemRestarted(banner: readonly string[]): SyslogMessage {
  return syslogMessage("SYS", 5, "RESTART", ["System restarted --", ...banner].join("\n"));
}

/** SSH login [R]; `at` is rendered like CLOCKUPDATE times (`09:17:32 UTC Sun Sep 13 2026`). */
export function loginSuccess(user: string, source: string, localPort: number, at: string): SyslogMessage {
  return syslogMessage(
    "SEC_LOGIN",
    5,
    "LOGIN_SUCCESS",
    `Login Success [user: ${user}] [Source: ${source}] [localport: ${localPort}] at ${at}`,
  );
}

// ---------------------------------------------------------------------------------------------
// NTP (gate on `ntp logging`)
// ---------------------------------------------------------------------------------------------

/** [R] */
export function ntpRestart(): SyslogMessage {
  return syslogMessage("NTP", 6, "RESTART", "NTP process starts");
}

/** [U] */
export function ntpStop(): SyslogMessage {
  return syslogMessage("NTP", 6, "STOP", "NTP process stops");
}

/** [R] */
export function ntpPeerSync(peer: string): SyslogMessage {
  return syslogMessage("NTP", 5, "PEERSYNC", `NTP synced to peer ${peer}`);
}

/** [D/U] */
export function ntpPeerUnreachable(peer: string): SyslogMessage {
  return syslogMessage("NTP", 4, "PEERUNREACH", `Peer ${peer} is unreachable`);
}

/** [U] */
export function ntpPeerReachable(peer: string): SyslogMessage {
  return syslogMessage("NTP", 6, "PEERREACH", `Peer ${peer} is reachable`);
}

/** [U] */
export function ntpUnsync(): SyslogMessage {
  return syslogMessage("NTP", 4, "UNSYNC", "NTP sync is lost");
}

// ---------------------------------------------------------------------------------------------
// PKI
// ---------------------------------------------------------------------------------------------

/** The clock became authoritative (clock set, NTP sync, valid calendar) [R]. */
export function pkiAuthoritativeClock(): SyslogMessage {
  return syslogMessage("PKI", 6, "AUTHORITATIVE_CLOCK", "The system clock has been set.");
}

/** Boot without trustworthy time [R]. */
export function pkiNonAuthoritativeClock(): SyslogMessage {
  return syslogMessage(
    "PKI",
    2,
    "NON_AUTHORITATIVE_CLOCK",
    "PKI functions can not be initialized until an authoritative time source, like NTP, can be obtained.",
  );
}

/**
 * [R, spacing as quoted in ios-cli.md §2.8]. `serial` is upper-case hex; `endedOn` is
 * `11:53:58 UTC Jun 1 2025` (formatPkiDate).
 */
export function pkiCertificateExpired(serial: string, endedOn: string): SyslogMessage {
  return syslogMessage(
    "PKI",
    3,
    "CERTIFICATE_INVALID_EXPIRED",
    `Certificate chain validation has failed. The certificate (SN: ${serial}) has expired. Validity period ended on ${endedOn}`,
  );
}

/** [R, with the three spaces of the quoted sample]. */
export function pkiCertificateNotYetValid(serial: string, startsOn: string): SyslogMessage {
  return syslogMessage(
    "PKI",
    3,
    "CERTIFICATE_INVALID_NOT_YET_VALID",
    `Certificate chain validation has failed. The certificate (SN: ${serial}) is not yet valid   Validity period starts on ${startsOn}`,
  );
}

/** [R] */
export function pkiNoConfigAutosave(): SyslogMessage {
  return syslogMessage(
    "PKI",
    4,
    "NOCONFIGAUTOSAVE",
    'Configuration was modified.  Issue "write memory" to save new IOS PKI configuration',
  );
}

/** [R, including IOS's spelling "succesfully"]. */
export function pkiTrustpointCreate(name: string): SyslogMessage {
  return syslogMessage("PKI", 6, "TRUSTPOINT_CREATE", `Trustpoint: ${name} created succesfully`);
}

/**
 * Expiry notice ahead of time [U: IOS's "PKI Credentials Expiry Alerts" send a warning from 60
 * days before expiry, weekly, then an alert daily in the last week; the exact IOS wording is
 * not in our samples]. Severity 4 while more than a week remains, 1 (alert) in the last week.
 */
export function pkiCertificateExpiring(
  trustpoint: string,
  serial: string,
  endsOn: string,
  daysLeft: number,
): SyslogMessage {
  const alert = daysLeft <= 7;
  return syslogMessage(
    "PKI",
    alert ? 1 : 4,
    alert ? "CERT_EXPIRY_ALERT" : "CERT_EXPIRY_WARNING",
    `Certificate (SN: ${serial}) of trustpoint ${trustpoint} will expire in ${daysLeft} day${daysLeft === 1 ? "" : "s"}. Validity period ends on ${endsOn}`,
  );
}

/**
 * Every device event of ios-cli.md §2.8, rendered by name; the [R] rows are compared with the
 * verbatim samples.
 */
import { describe, expect, it } from "vitest";
import {
  byConsoleUser,
  byNtpPeer,
  clockUpdate,
  configuredFrom,
  loggingHostStartStop,
  loginSuccess,
  ntpPeerReachable,
  ntpPeerSync,
  ntpPeerUnreachable,
  ntpRestart,
  ntpStop,
  ntpUnsync,
  pkiAuthoritativeClock,
  pkiCertificateExpired,
  pkiCertificateExpiring,
  pkiCertificateNotYetValid,
  pkiNoConfigAutosave,
  pkiNonAuthoritativeClock,
  pkiTrustpointCreate,
  systemRestarted,
  userLogWarning,
} from "../../src/services/syslog/syslogEvents.js";
import { messageBody, parseMessageBody, syslogMessage } from "../../src/services/syslog/syslogMessage.js";

describe("§2.8 messages", () => {
  const cases: [string, ReturnType<typeof ntpRestart>, string][] = [
    ["config (console)", configuredFrom("console"), "%SYS-5-CONFIG_I: Configured from console by console"],
    [
      "config (SSH user)",
      configuredFrom("cisco on vty0 (172.16.5.22)"),
      "%SYS-5-CONFIG_I: Configured from console by cisco on vty0 (172.16.5.22)",
    ],
    [
      "clock set",
      clockUpdate("14:23:40 UTC Thu Jun 2 2022", "14:22:00 UTC Thu Jun 2 2022", byConsoleUser("console")),
      "%SYS-6-CLOCKUPDATE: System clock has been updated from 14:23:40 UTC Thu Jun 2 2022 to 14:22:00 UTC Thu Jun 2 2022, configured from console by console.",
    ],
    [
      "clock timezone change",
      clockUpdate("06:33:43 UTC Sat Oct 18 2025", "09:33:43 MSK Sat Oct 18 2025", byConsoleUser("console")),
      "%SYS-6-CLOCKUPDATE: System clock has been updated from 06:33:43 UTC Sat Oct 18 2025 to 09:33:43 MSK Sat Oct 18 2025, configured from console by console.",
    ],
    [
      "NTP step",
      clockUpdate("17:06:03 UTC Fri Mar 30 2007", "17:04:07 UTC Fri Mar 30 2007", byNtpPeer("172.16.0.12")),
      "%SYS-6-CLOCKUPDATE: System clock has been updated from 17:06:03 UTC Fri Mar 30 2007 to 17:04:07 UTC Fri Mar 30 2007, configured from NTP by 172.16.0.12.",
    ],
    ["NTP start", ntpRestart(), "%NTP-6-RESTART: NTP process starts"],
    ["NTP sync", ntpPeerSync("172.16.0.12"), "%NTP-5-PEERSYNC: NTP synced to peer 172.16.0.12"],
    ["peer lost", ntpPeerUnreachable("10.0.12.1"), "%NTP-4-PEERUNREACH: Peer 10.0.12.1 is unreachable"],
    ["peer back", ntpPeerReachable("10.0.12.1"), "%NTP-6-PEERREACH: Peer 10.0.12.1 is reachable"],
    ["sync lost", ntpUnsync(), "%NTP-4-UNSYNC: NTP sync is lost"],
    ["NTP stop", ntpStop(), "%NTP-6-STOP: NTP process stops"],
    [
      "clock set (PKI)",
      pkiAuthoritativeClock(),
      "%PKI-6-AUTHORITATIVE_CLOCK: The system clock has been set.",
    ],
    [
      "boot without time",
      pkiNonAuthoritativeClock(),
      "%PKI-2-NON_AUTHORITATIVE_CLOCK: PKI functions can not be initialized until an authoritative time source, like NTP, can be obtained.",
    ],
    [
      "cert expired",
      pkiCertificateExpired("1DF9761C0000001C9621", "11:53:58 UTC Jun 1 2025"),
      "%PKI-3-CERTIFICATE_INVALID_EXPIRED: Certificate chain validation has failed. The certificate (SN: 1DF9761C0000001C9621) has expired. Validity period ended on 11:53:58 UTC Jun 1 2025",
    ],
    [
      "cert not yet valid",
      pkiCertificateNotYetValid("3E", "00:51:51 UTC Feb 23 2026"),
      "%PKI-3-CERTIFICATE_INVALID_NOT_YET_VALID: Certificate chain validation has failed. The certificate (SN: 3E) is not yet valid   Validity period starts on 00:51:51 UTC Feb 23 2026",
    ],
    [
      "PKI config changed",
      pkiNoConfigAutosave(),
      '%PKI-4-NOCONFIGAUTOSAVE: Configuration was modified.  Issue "write memory" to save new IOS PKI configuration',
    ],
    [
      "trustpoint made",
      pkiTrustpointCreate("TP-self-signed-1007201388"),
      "%PKI-6-TRUSTPOINT_CREATE: Trustpoint: TP-self-signed-1007201388 created succesfully",
    ],
    [
      "syslog host added",
      loggingHostStartStop("10.1.10.6", 5514, true),
      "%SYS-6-LOGGINGHOST_STARTSTOP: Logging to host 10.1.10.6 port 5514 started - CLI initiated",
    ],
    [
      "syslog host removed",
      loggingHostStartStop("10.1.10.6", 5514, false),
      "%SYS-6-LOGGINGHOST_STARTSTOP: Logging to host 10.1.10.6 port 5514 stopped - CLI initiated",
    ],
    [
      "SSH login",
      loginSuccess("SUZUKI", "10.1.10.6", 22, "09:17:32 UTC Sun Sep 13 2026"),
      "%SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: SUZUKI] [Source: 10.1.10.6] [localport: 22] at 09:17:32 UTC Sun Sep 13 2026",
    ],
    [
      "user warning",
      userLogWarning("Message from tty0(user id: ): SVC-WARN4"),
      "%SYS-4-USERLOG_WARNING: Message from tty0(user id: ): SVC-WARN4",
    ],
  ];

  for (const [what, message, expected] of cases) {
    it(what, () => {
      expect(messageBody(message)).toBe(expected);
      expect(parseMessageBody(expected)).toEqual(message);
    });
  }

  it("reload: System restarted -- then the banner", () => {
    const m = systemRestarted(["Meridian Network Time Appliance Software, Version 0.1.0"]);
    expect(messageBody(m)).toBe(
      "%SYS-5-RESTART: System restarted --\nMeridian Network Time Appliance Software, Version 0.1.0",
    );
  });

  it("expiry notices: a warning while more than a week remains, then an alert", () => {
    expect(messageBody(pkiCertificateExpiring("VPN", "3E", "00:00:00 UTC Jun 1 2028", 30))).toBe(
      "%PKI-4-CERT_EXPIRY_WARNING: Certificate (SN: 3E) of trustpoint VPN will expire in 30 days. Validity period ends on 00:00:00 UTC Jun 1 2028",
    );
    expect(messageBody(pkiCertificateExpiring("VPN", "3E", "00:00:00 UTC Jun 1 2028", 1))).toBe(
      "%PKI-1-CERT_EXPIRY_ALERT: Certificate (SN: 3E) of trustpoint VPN will expire in 1 day. Validity period ends on 00:00:00 UTC Jun 1 2028",
    );
  });
});

describe("message model", () => {
  it("rejects text that is not %FAC-SEV-MNEMONIC", () => {
    expect(parseMessageBody("hello")).toBeUndefined();
    expect(parseMessageBody("%SYS-8-X: y")).toBeUndefined();
    expect(parseMessageBody("%sys-5-X: y")).toBeUndefined();
  });

  it("keeps the text verbatim", () => {
    const m = syslogMessage("LINK", 3, "UPDOWN", "Interface Gi0/1, changed state to down");
    expect(messageBody(m)).toBe("%LINK-3-UPDOWN: Interface Gi0/1, changed state to down");
  });
});

/**
 * The PKI service on a driven SoftwareClock: boot without authoritative time, `clock set`, NTP
 * sync and time passing move the clock across certificates' notBefore / notAfter, and the
 * verdicts and %PKI messages change accordingly — once per change, never per re-evaluation.
 */
import { describe, expect, it } from "vitest";
import type { RunningConfig } from "../../src/config/model.js";
import { SoftwareClock, UNSYNCHRONIZED } from "../../src/services/clock/softwareClock.js";
import { PkiService } from "../../src/services/pki/pkiService.js";
import { messageBody, type SyslogMessage } from "../../src/services/syslog/syslogMessage.js";
import { HandlerHarness } from "../fixtures/handlerHarness.js";
import { AT } from "../fixtures/pki/pkiFixtures.js";
import { FakeHostTime } from "../syslog/fakeHostTime.js";
import { configWith } from "./trustpointFixture.js";

const DAY = 86_400_000;

function setup(config: RunningConfig, hostStartMs = AT.nov2026) {
  const host = new FakeHostTime(hostStartMs);
  const clock = new SoftwareClock(host);
  const logged: string[] = [];
  const service = new PkiService(clock, config, {
    log: (m: SyslogMessage) => logged.push(messageBody(m)),
    recheckIntervalMs: 0,
  });
  /** Messages logged since the last call. */
  let seen = 0;
  const fresh = () => {
    const out = logged.slice(seen);
    seen = logged.length;
    return out;
  };
  return { host, clock, service, fresh };
}

const vpn = () =>
  configWith([
    {
      name: "VPN",
      chain: [
        ["certificate", "leaf-future"],
        ["ca", "root"],
        ["ca", "intermediate"],
      ],
    },
  ]);

const verdictOf = (service: PkiService, name = "VPN") => {
  const e = service.snapshot().trustpoints.find((t) => t.config.name === name)?.evaluation;
  return e ? `${e.verdict.kind}${e.authoritative ? "" : " (not authoritative)"}` : "pending";
};

describe("the clock decides, and says when it cannot", () => {
  it("boot without time: NON_AUTHORITATIVE_CLOCK, a provisional verdict and no certificate messages", async () => {
    const { service, fresh } = setup(vpn());
    await service.start();
    expect(fresh()).toEqual([
      "%PKI-2-NON_AUTHORITATIVE_CLOCK: PKI functions can not be initialized until an authoritative time source, like NTP, can be obtained.",
    ]);
    expect(verdictOf(service)).toBe("not-yet-valid (not authoritative)");
    service.close();
  });

  it("clock set across notBefore and notAfter: the messages follow the certificate", async () => {
    const { clock, host, service, fresh } = setup(vpn());
    await service.start();
    fresh();

    clock.set(AT.nov2026, "user", true);
    await service.evaluate();
    expect(fresh()).toEqual([
      "%PKI-6-AUTHORITATIVE_CLOCK: The system clock has been set.",
      "%PKI-3-CERTIFICATE_INVALID_NOT_YET_VALID: Certificate chain validation has failed. The certificate (SN: 3E) is not yet valid   Validity period starts on 00:00:00 UTC Jun 1 2027",
    ]);
    expect(verdictOf(service)).toBe("not-yet-valid");

    // Re-evaluating without a change says nothing new.
    await service.evaluate();
    expect(fresh()).toEqual([]);

    clock.set(AT.jul2027, "user", true);
    await service.evaluate();
    expect(fresh()).toEqual(["%PKI-6-AUTHORITATIVE_CLOCK: The system clock has been set."]);
    expect(verdictOf(service)).toBe("valid");

    clock.set(Date.UTC(2028, 6, 1), "user", true);
    await service.evaluate();
    expect(fresh()).toEqual([
      "%PKI-6-AUTHORITATIVE_CLOCK: The system clock has been set.",
      "%PKI-3-CERTIFICATE_INVALID_EXPIRED: Certificate chain validation has failed. The certificate (SN: 3E) has expired. Validity period ended on 00:00:00 UTC Jun 1 2028",
    ]);
    expect(verdictOf(service)).toBe("expired");

    host.advance(DAY);
    await service.evaluate();
    expect(fresh()).toEqual([]);
    service.close();
  });

  it("NTP gaining sync makes the clock authoritative: announced, then validated", async () => {
    const { clock, service, fresh } = setup(vpn(), AT.jul2027);
    await service.start();
    fresh();
    clock.setNtp({ ...UNSYNCHRONIZED, synchronized: true, stratum: 2, leap: 0 });
    await service.evaluate();
    expect(fresh()).toEqual(["%PKI-6-AUTHORITATIVE_CLOCK: The system clock has been set."]);
    expect(verdictOf(service)).toBe("valid");
    // NTP's periodic refresh changes nothing and announces nothing.
    clock.setNtp({ ...UNSYNCHRONIZED, synchronized: true, stratum: 2, leap: 0 });
    await service.evaluate();
    expect(fresh()).toEqual([]);
    service.close();
  });

  it("time passing: expiry notices from 60 days out, weekly, then daily alerts, then expired", async () => {
    const notAfter = Date.UTC(2028, 5, 1);
    const { clock, host, service, fresh } = setup(vpn(), notAfter - 70 * DAY);
    clock.set(notAfter - 70 * DAY, "user", true);
    await service.start();
    expect(fresh()).toEqual([]);

    host.advance(10 * DAY + 1000); // 59.99 days left: the first notice
    await service.evaluate();
    expect(fresh()).toEqual([
      "%PKI-4-CERT_EXPIRY_WARNING: Certificate (SN: 3E) of trustpoint VPN will expire in 60 days. Validity period ends on 00:00:00 UTC Jun 1 2028",
    ]);
    host.advance(3 * DAY);
    await service.evaluate();
    expect(fresh()).toEqual([]);
    host.advance(4 * DAY); // a week after the first notice
    await service.evaluate();
    expect(fresh()).toEqual([
      "%PKI-4-CERT_EXPIRY_WARNING: Certificate (SN: 3E) of trustpoint VPN will expire in 53 days. Validity period ends on 00:00:00 UTC Jun 1 2028",
    ]);
    host.advance(47 * DAY); // 6 days left: daily alerts
    await service.evaluate();
    host.advance(DAY);
    await service.evaluate();
    expect(fresh()).toEqual([
      "%PKI-1-CERT_EXPIRY_ALERT: Certificate (SN: 3E) of trustpoint VPN will expire in 6 days. Validity period ends on 00:00:00 UTC Jun 1 2028",
      "%PKI-1-CERT_EXPIRY_ALERT: Certificate (SN: 3E) of trustpoint VPN will expire in 5 days. Validity period ends on 00:00:00 UTC Jun 1 2028",
    ]);
    host.advance(6 * DAY);
    await service.evaluate();
    expect(fresh()).toEqual([
      "%PKI-3-CERTIFICATE_INVALID_EXPIRED: Certificate chain validation has failed. The certificate (SN: 3E) has expired. Validity period ended on 00:00:00 UTC Jun 1 2028",
    ]);
    service.close();
  });

  it("a step back and forth announces each change again", async () => {
    const { clock, service, fresh } = setup(vpn(), AT.nov2026);
    clock.set(AT.nov2026, "user", true);
    await service.start();
    expect(fresh()).toHaveLength(1);
    clock.set(AT.jul2027, "user", true);
    await service.evaluate();
    clock.set(AT.nov2026, "user", true);
    await service.evaluate();
    expect(fresh().filter((m) => m.includes("NOT_YET_VALID"))).toHaveLength(1);
    service.close();
  });

  it("the configured time zone in messages; a certificate in two trustpoints is announced once", async () => {
    const config = configWith(
      [
        {
          name: "A",
          chain: [
            ["certificate", "leaf-expired"],
            ["ca", "root"],
            ["ca", "intermediate"],
          ],
        },
        {
          name: "B",
          chain: [
            ["certificate", "leaf-expired"],
            ["ca", "root"],
            ["ca", "intermediate"],
          ],
        },
      ],
      ["clock timezone JST 9 0"],
    );
    const { clock, service, fresh } = setup(config);
    clock.set(AT.nov2026, "user", true);
    await service.start();
    expect(fresh()).toEqual([
      "%PKI-3-CERTIFICATE_INVALID_EXPIRED: Certificate chain validation has failed. The certificate (SN: 6A6967B3000000000003) has expired. Validity period ended on 20:53:58 JST Jun 1 2026",
    ]);
    service.close();
  });

  it("configuration changes are validated: a new chain, a removed trustpoint", async () => {
    const config = configWith([{ name: "VPN", chain: [["ca", "root"]] }]);
    const { clock, service } = setup(config);
    clock.set(AT.nov2026, "user", true);
    await service.start();
    expect(verdictOf(service)).toBe("valid");
    new HandlerHarness(config).applyAll(["no crypto pki trustpoint VPN"]);
    await service.reconfigure(config);
    expect(service.snapshot().trustpoints).toEqual([]);
    service.close();
  });

  it("listeners are released on close", async () => {
    const { clock, service, fresh } = setup(vpn());
    await service.start();
    service.close();
    fresh();
    clock.set(AT.nov2026, "user", true);
    expect(fresh()).toEqual([]);
  });
});

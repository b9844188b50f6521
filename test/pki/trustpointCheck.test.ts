/**
 * `verify crypto pki trustpoint NAME` (Meridian extension): succeeds only when the clock is
 * authoritative and the chain is valid now; every failure is one `% ` line.
 */
import { describe, expect, it } from "vitest";
import type { RunningConfig } from "../../src/config/model.js";
import { defaultGrammar } from "../../src/parser/grammar.js";
import { matchLine } from "../../src/parser/matcher.js";
import { SoftwareClock } from "../../src/services/clock/softwareClock.js";
import { PkiService } from "../../src/services/pki/pkiService.js";
import { checkTrustpointNow } from "../../src/services/pki/trustpointCheck.js";
import { AT } from "../fixtures/pki/pkiFixtures.js";
import { FakeHostTime } from "../syslog/fakeHostTime.js";
import { configWith } from "./trustpointFixture.js";

async function setup(config: RunningConfig, atMs = AT.nov2026) {
  const host = new FakeHostTime(atMs);
  const clock = new SoftwareClock(host);
  const service = new PkiService(clock, config, { log: () => {}, recheckIntervalMs: 0 });
  await service.start();
  service.close();
  const check = (name: string) =>
    checkTrustpointNow({
      name,
      snapshot: service.snapshot(),
      nowMs: clock.nowMs(),
      authoritative: clock.authoritative,
      source: clock.source,
      zone: {},
    });
  return { host, clock, service, check };
}

const gateway = () =>
  configWith([
    {
      name: "GW",
      chain: [
        ["certificate", "leaf-now"],
        ["ca", "root"],
        ["ca", "intermediate"],
      ],
    },
    {
      name: "LATER",
      chain: [
        ["certificate", "leaf-future"],
        ["ca", "root"],
        ["ca", "intermediate"],
      ],
    },
    {
      name: "BROKEN",
      chain: [
        ["certificate", "leaf-now"],
        ["ca", "root"],
      ],
    },
    {
      name: "ROGUE",
      chain: [
        ["certificate", "leaf-under-leaf"],
        ["ca", "leaf-now"],
      ],
    },
    { name: "EMPTY", chain: [] },
  ]);

describe("checkTrustpointNow", () => {
  it("fails while the clock is not authoritative, even for a chain that would be valid", async () => {
    const { check } = await setup(gateway());
    expect(check("GW")).toEqual({
      ok: false,
      lines: [
        "% Trustpoint GW: the system clock is not authoritative; certificate validity cannot be established",
      ],
    });
  });

  it("passes once the clock is set and the chain is valid", async () => {
    const { clock, service, check } = await setup(gateway());
    clock.set(AT.nov2026, "ntp", true);
    await service.evaluate();
    expect(check("GW")).toEqual({
      ok: true,
      lines: [
        "Trustpoint GW: certificate chain is valid at 10:00:00 UTC Nov 22 2026 (time source is NTP)",
        "  Chain valid until 00:00:00 UTC Nov 1 2027",
      ],
    });
  });

  it("names what is wrong: not yet valid, no path, a non-CA issuer, nothing authenticated, unknown name", async () => {
    const { clock, service, check } = await setup(gateway());
    clock.set(AT.nov2026, "user", true);
    await service.evaluate();
    expect(check("LATER").lines).toEqual([
      "% Trustpoint LATER: certificate (SN: 3E) is not yet valid; validity period starts on 00:00:00 UTC Jun 1 2027",
    ]);
    expect(check("BROKEN").lines[0]).toMatch(
      /^% Trustpoint BROKEN: no valid certificate path to a trusted CA/,
    );
    expect(check("ROGUE").lines).toEqual([
      "% Trustpoint ROGUE: issuing certificate (SN: 1DF9761C0000001C9621) is not a CA certificate",
    ]);
    expect(check("EMPTY").lines).toEqual([
      "% Trustpoint EMPTY: no certificate (the CA has not been authenticated)",
    ]);
    expect(check("NOPE")).toEqual({ ok: false, lines: ["% Trustpoint NOPE does not exist"] });
    for (const name of ["LATER", "BROKEN", "ROGUE", "EMPTY", "NOPE"]) expect(check(name).ok).toBe(false);
  });

  it("a certificate that expires after the last evaluation fails at once", async () => {
    const { clock, host, service, check } = await setup(gateway(), Date.UTC(2027, 9, 31, 23, 59, 0));
    clock.set(Date.UTC(2027, 9, 31, 23, 59, 0), "user", true);
    await service.evaluate();
    expect(check("GW").ok).toBe(true);
    host.advance(2 * 60_000); // past notAfter 2027-11-01 00:00:00, no re-evaluation yet
    expect(check("GW").lines).toEqual([
      "% Trustpoint GW: certificate (SN: 1DF9761C0000001C9621) has expired; validity period ended on 00:00:00 UTC Nov 1 2027",
    ]);
  });

  it("a verdict made before the clock was authoritative does not count", async () => {
    const { clock, service, check } = await setup(gateway());
    clock.set(AT.nov2026, "user", true);
    // The re-evaluation the step started has not finished yet.
    expect(check("GW").lines).toEqual(["% Trustpoint GW: validation in progress; try again"]);
    await service.evaluate();
    expect(check("GW").ok).toBe(true);
  });
});

describe("grammar/pki-exec.yaml", () => {
  it("verify crypto pki trustpoint NAME parses at privilege 1, abbreviated too", () => {
    const exec = defaultGrammar().modes.get("exec");
    if (!exec) throw new Error("no exec mode");
    const m = matchLine(exec, "verif cry pki trust GW", 1);
    expect(m.kind).toBe("ok");
    if (m.kind === "ok") {
      expect(m.command.id).toBe("exec.verify-trustpoint");
      expect(m.args.str("trustpoint")).toBe("GW");
    }
  });
});

/**
 * `show crypto pki certificates` and `show crypto pki trustpoints [status]` against the layouts
 * of ios-cli.md §2.11 (c3850 / csr1000 Genie goldens, IOS XE trustpoints), parsed with
 * ntc-templates' cisco_ios_show_crypto_pki_certificates.textfsm.
 */
import { describe, expect, it } from "vitest";
import {
  renderShowCryptoPkiCertificates,
  renderShowCryptoPkiTrustpoints,
} from "../../src/cli/show/pkiShow.js";
import type { RunningConfig } from "../../src/config/model.js";
import { SoftwareClock } from "../../src/services/clock/softwareClock.js";
import type { ZoneSpec } from "../../src/services/clock/timeZone.js";
import { CertificateCache } from "../../src/services/pki/certificateCache.js";
import { PkiService } from "../../src/services/pki/pkiService.js";
import { pkiSnapshotOf } from "../../src/services/pki/pkiSnapshot.js";
import { AT, opensslFingerprints } from "../fixtures/pki/pkiFixtures.js";
import { FakeHostTime } from "../syslog/fakeHostTime.js";
import { parseWithTemplate, records } from "../syslog/textfsmParse.js";
import { configWith } from "./trustpointFixture.js";

const UTC: ZoneSpec = {};

function vpnConfig(): RunningConfig {
  return configWith([
    {
      name: "VPN",
      chain: [
        ["ca", "root"],
        ["ca", "intermediate"],
        ["certificate", "leaf-now"],
      ],
    },
    {
      name: "TP-self-signed-1982400059",
      lines: ["enrollment selfsigned"],
      chain: [["self-signed", "router-self-signed"]],
    },
    { name: "EMPTY", chain: [] },
  ]);
}

async function evaluatedSnapshot(config: RunningConfig, authoritative: boolean, atMs = AT.nov2026) {
  const clock = new SoftwareClock(new FakeHostTime(atMs));
  if (authoritative) clock.set(atMs, "user", true);
  const service = new PkiService(clock, config, { log: () => {}, recheckIntervalMs: 0 });
  await service.start();
  service.close();
  return service.snapshot();
}

describe("show crypto pki certificates", () => {
  it("identity certificate first, then its CAs; the c3850 layout", () => {
    const snapshot = pkiSnapshotOf(vpnConfig(), new CertificateCache().parse);
    expect(renderShowCryptoPkiCertificates(snapshot, UTC, "VPN")).toEqual([
      "Certificate",
      "  Status: Available",
      "  Certificate Serial Number (hex): 1DF9761C0000001C9621",
      "  Certificate Usage: General Purpose",
      "  Issuer: ",
      "    cn=Meridian Test Issuing CA",
      "    ou=PKI",
      "    o=Meridian Test",
      "    c=US",
      "  Subject: ",
      "    cn=gw1.example.net",
      "    o=Meridian Test",
      "  CRL Distribution Points: ",
      "    http://pki.example.net/issuing.crl",
      "  Validity Date: ",
      "    start date: 00:00:00 UTC Nov 1 2026",
      "    end   date: 00:00:00 UTC Nov 1 2027",
      "  Associated Trustpoints: VPN",
      "",
      "CA Certificate",
      "  Status: Available",
      "  Certificate Serial Number (hex): 01",
      "  Certificate Usage: Signature",
      "  Issuer: ",
      "    cn=Meridian Test Root CA",
      "    o=Meridian Test",
      "    c=US",
      "  Subject: ",
      "    cn=Meridian Test Root CA",
      "    o=Meridian Test",
      "    c=US",
      "  Validity Date: ",
      "    start date: 00:00:00 UTC Jan 1 2026",
      "    end   date: 00:00:00 UTC Jan 1 2036",
      "  Associated Trustpoints: VPN",
      "",
      "CA Certificate",
      "  Status: Available",
      "  Certificate Serial Number (hex): 02",
      "  Certificate Usage: Signature",
      "  Issuer: ",
      "    cn=Meridian Test Root CA",
      "    o=Meridian Test",
      "    c=US",
      "  Subject: ",
      "    cn=Meridian Test Issuing CA",
      "    ou=PKI",
      "    o=Meridian Test",
      "    c=US",
      "  Validity Date: ",
      "    start date: 00:00:00 UTC Jan 2 2026",
      "    end   date: 00:00:00 UTC Jan 1 2031",
      "  Associated Trustpoints: VPN",
      "",
    ]);
  });

  it("a self-signed router certificate: the csr1000 layout with Name:", () => {
    const snapshot = pkiSnapshotOf(vpnConfig(), new CertificateCache().parse);
    expect(renderShowCryptoPkiCertificates(snapshot, UTC, "TP-self-signed-1982400059")).toEqual([
      "Router Self-Signed Certificate",
      "  Status: Available",
      "  Certificate Serial Number (hex): 01",
      "  Certificate Usage: General Purpose",
      "  Issuer: ",
      "    cn=IOS-Self-Signed-Certificate-1982400059",
      "  Subject: ",
      "    Name: IOS-Self-Signed-Certificate-1982400059",
      "    cn=IOS-Self-Signed-Certificate-1982400059",
      "  Validity Date: ",
      "    start date: 00:00:00 UTC Jan 1 2026",
      "    end   date: 00:00:00 UTC Jan 1 2036",
      "  Associated Trustpoints: TP-self-signed-1982400059",
      "",
    ]);
  });

  it("a certificate held by two trustpoints is listed once with both names; dates in the local zone", () => {
    const config = configWith(
      [
        { name: "ROOT", chain: [["ca", "root"]] },
        { name: "ALSO", chain: [["ca", "root"]] },
      ],
      ["clock timezone JST 9 0"],
    );
    const out = renderShowCryptoPkiCertificates(pkiSnapshotOf(config, new CertificateCache().parse), {
      zone: { name: "JST", hoursOffset: 9, minutesOffset: 0 },
    });
    expect(out.filter((l) => l === "CA Certificate")).toHaveLength(1);
    expect(out).toContain("  Associated Trustpoints: ROOT ALSO");
    expect(out).toContain("    start date: 09:00:00 JST Jan 1 2026");
    const snapshot = pkiSnapshotOf(config, new CertificateCache().parse);
    expect(renderShowCryptoPkiCertificates(snapshot, UTC, "ALSO")).toContain(
      "  Associated Trustpoints: ROOT ALSO",
    );
  });

  it("parses with cisco_ios_show_crypto_pki_certificates.textfsm", () => {
    const snapshot = pkiSnapshotOf(vpnConfig(), new CertificateCache().parse);
    const text = `${renderShowCryptoPkiCertificates(snapshot, UTC, "VPN").join("\n")}\n`;
    const parsed = records(parseWithTemplate("cisco_ios_show_crypto_pki_certificates.textfsm", text));
    expect(
      parsed.map((r) => [
        r.CERTIFICATE_TYPE,
        r.STATUS,
        r.SERIAL_NUMBER,
        r.CERTIFICATE_USAGE,
        r.ISSUER_CN,
        r.SUBJECT_CN,
      ]),
    ).toEqual([
      [
        "Certificate",
        "Available",
        "1DF9761C0000001C9621",
        "General Purpose",
        "Meridian Test Issuing CA",
        "gw1.example.net",
      ],
      ["CA Certificate", "Available", "01", "Signature", "Meridian Test Root CA", "Meridian Test Root CA"],
      ["CA Certificate", "Available", "02", "Signature", "Meridian Test Root CA", "Meridian Test Issuing CA"],
    ]);
    expect(parsed[0]).toMatchObject({
      ISSUER_OU: "PKI",
      SUBJECT_O: "Meridian Test",
      CRL_DISTRIBUTION_POINT: "http://pki.example.net/issuing.crl",
      START_DATE: "00:00:00 UTC Nov 1 2026",
      END_DATE: "00:00:00 UTC Nov 1 2027",
      ASSOCIATED_TRUSTPOINTS: "VPN",
    });
  });
});

describe("show crypto pki trustpoints", () => {
  it("the IOS XE listing: subject, serial, Certificate configured / self-signed; two blank lines between", () => {
    const snapshot = pkiSnapshotOf(vpnConfig(), new CertificateCache().parse);
    expect(renderShowCryptoPkiTrustpoints(snapshot, UTC)).toEqual([
      "Trustpoint VPN:",
      "    Subject Name:",
      "    cn=Meridian Test Root CA",
      "    o=Meridian Test",
      "    c=US",
      "          Serial Number (hex): 01",
      "    Certificate configured.",
      "",
      "",
      "Trustpoint TP-self-signed-1982400059:",
      "    Subject Name:",
      "    cn=IOS-Self-Signed-Certificate-1982400059",
      "          Serial Number (hex): 01",
      "    Persistent self-signed certificate trust point",
      "    Using key label TP-self-signed-1982400059",
      "",
      "",
      "Trustpoint EMPTY:",
      "    Not authenticated.",
    ]);
  });

  it("status: the IOS XE State block plus the chain verdict at the appliance time", async () => {
    const snapshot = await evaluatedSnapshot(vpnConfig(), true);
    const root = opensslFingerprints("root");
    const leaf = opensslFingerprints("leaf-now");
    const groups = (hex: string) => `${hex.match(/.{8}/g)?.join(" ")} `;
    expect(renderShowCryptoPkiTrustpoints(snapshot, UTC, { trustpoint: "VPN", status: true })).toEqual([
      "Trustpoint VPN:",
      "  Issuing CA certificate configured:",
      "    Subject Name:",
      "     cn=Meridian Test Root CA,o=Meridian Test,c=US",
      `    Fingerprint MD5: ${groups(root.md5)}`,
      `    Fingerprint SHA1: ${groups(root.sha1)}`,
      "  Router General Purpose certificate configured:",
      "    Subject Name:",
      "     cn=gw1.example.net,o=Meridian Test",
      `    Fingerprint MD5: ${groups(leaf.md5)}`,
      `    Fingerprint SHA1: ${groups(leaf.sha1)}`,
      "  State:",
      "    Keys generated ............. Yes (General Purpose, non-exportable)",
      "    Issuing CA authenticated ....... Yes",
      "    Certificate request(s) ..... Yes",
      "    Chain validation ........... Valid at 10:00:00 UTC Nov 22 2026",
    ]);
  });

  it("status says when the verdict was made without an authoritative clock", async () => {
    const snapshot = await evaluatedSnapshot(
      configWith([
        {
          name: "GW",
          chain: [
            ["certificate", "leaf-future"],
            ["ca", "root"],
            ["ca", "intermediate"],
          ],
        },
      ]),
      false,
    );
    expect(renderShowCryptoPkiTrustpoints(snapshot, UTC, { status: true }).at(-1)).toBe(
      "    Chain validation ........... Not authoritative (clock not set): Failed: certificate (SN: 3E) is not yet valid; validity period starts on 00:00:00 UTC Jun 1 2027",
    );
  });

  it("status of a trustpoint without certificates, and before any evaluation", () => {
    const snapshot = pkiSnapshotOf(vpnConfig(), new CertificateCache().parse);
    expect(renderShowCryptoPkiTrustpoints(snapshot, UTC, { trustpoint: "EMPTY", status: true })).toEqual([
      "Trustpoint EMPTY:",
      "  State:",
      "    Keys generated ............. No",
      "    Issuing CA authenticated ....... No",
      "    Certificate request(s) ..... None",
      "    Chain validation ........... No certificate",
    ]);
    expect(renderShowCryptoPkiTrustpoints(snapshot, UTC, { trustpoint: "VPN", status: true }).at(-1)).toBe(
      "    Chain validation ........... Pending",
    );
  });

  it("an unknown trustpoint shows nothing", () => {
    const snapshot = pkiSnapshotOf(vpnConfig(), new CertificateCache().parse);
    expect(renderShowCryptoPkiTrustpoints(snapshot, UTC, { trustpoint: "NOPE" })).toEqual([]);
    expect(renderShowCryptoPkiCertificates(snapshot, UTC, "NOPE")).toEqual([]);
  });
});

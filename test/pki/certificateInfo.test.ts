/**
 * Reading the openssl-made fixtures: serials as IOS prints them, names most specific first,
 * validity, CA-ness, usage, CRL distribution points and fingerprints (checked against openssl's).
 */
import { describe, expect, it } from "vitest";
import { fingerprintGroups, parseCertificate } from "../../src/services/pki/certificateInfo.js";
import { decodePastedCertificate } from "../../src/services/pki/pemCertificate.js";
import {
  type FixtureName,
  fixtureDer,
  fixturePem,
  opensslFingerprints,
} from "../fixtures/pki/pkiFixtures.js";

function info(name: FixtureName) {
  const parsed = parseCertificate(fixtureDer(name));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.info;
}

describe("parseCertificate", () => {
  it("a root CA", () => {
    const root = info("root");
    expect(root.serial).toBe("01");
    expect(root.subject).toEqual([
      { name: "cn", value: "Meridian Test Root CA" },
      { name: "o", value: "Meridian Test" },
      { name: "c", value: "US" },
    ]);
    expect(root.issuer).toEqual(root.subject);
    expect(root.selfIssued).toBe(true);
    expect(root.isCa).toBe(true);
    expect(root.usage).toBe("Signature");
    expect(new Date(root.notBeforeMs).toISOString()).toBe("2026-01-01T00:00:00.000Z");
    expect(new Date(root.notAfterMs).toISOString()).toBe("2036-01-01T00:00:00.000Z");
    expect(root.crlDistributionPoints).toEqual([]);
  });

  it("an end-entity certificate", () => {
    const leaf = info("leaf-now");
    expect(leaf.serial).toBe("1DF9761C0000001C9621");
    expect(leaf.subject.map((a) => `${a.name}=${a.value}`)).toEqual([
      "cn=gw1.example.net",
      "o=Meridian Test",
    ]);
    expect(leaf.issuer.map((a) => `${a.name}=${a.value}`)).toEqual([
      "cn=Meridian Test Issuing CA",
      "ou=PKI",
      "o=Meridian Test",
      "c=US",
    ]);
    expect(leaf.isCa).toBe(false);
    expect(leaf.selfIssued).toBe(false);
    expect(leaf.usage).toBe("General Purpose");
    expect(leaf.crlDistributionPoints).toEqual(["http://pki.example.net/issuing.crl"]);
    expect(new Date(leaf.notAfterMs).toISOString()).toBe("2027-11-01T00:00:00.000Z");
    expect(info("leaf-expired").serial).toBe("6A6967B3000000000003");
    expect(info("leaf-future").serial).toBe("3E");
  });

  it("fingerprints equal openssl's", () => {
    for (const name of ["root", "intermediate", "leaf-now", "router-self-signed"] as const) {
      const i = info(name);
      expect({ md5: i.md5, sha1: i.sha1 }).toEqual(opensslFingerprints(name));
    }
    expect(fingerprintGroups("0CD2F9E0DA1773E9ED864DA5E370E74E")).toBe(
      "0CD2F9E0 DA1773E9 ED864DA5 E370E74E ",
    );
  });

  it("garbage is a reason, not an exception", () => {
    const bad = parseCertificate(Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0x01]));
    expect(bad.ok).toBe(false);
    expect(parseCertificate(new Uint8Array()).ok).toBe(false);
  });
});

describe("decodePastedCertificate", () => {
  it("PEM with armour, and bare base64, give the DER", () => {
    const pem = fixturePem("root").split("\n");
    const der = fixtureDer("root");
    const armoured = decodePastedCertificate(pem);
    expect(armoured.ok && Buffer.from(armoured.der).equals(der)).toBe(true);
    const bare = decodePastedCertificate(pem.filter((l) => !l.startsWith("-----")));
    expect(bare.ok && Buffer.from(bare.der).equals(der)).toBe(true);
  });

  it("rejects what is not base64 or lacks its END line", () => {
    expect(decodePastedCertificate(["hello world!"])).toEqual({
      ok: false,
      reason: "'hello world!' is not base64",
    });
    expect(decodePastedCertificate(["-----BEGIN CERTIFICATE-----", "MIIB"]).ok).toBe(false);
    expect(decodePastedCertificate([]).ok).toBe(false);
    expect(decodePastedCertificate(["MIIBa"]).ok).toBe(false);
  });
});

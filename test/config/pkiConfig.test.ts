import { describe, expect, it } from "vitest";
import { parseCertificateHex, renderCertificateHex, renderPki } from "../../src/config/areas/pkiConfig.js";
import { emptyConfig, type RunningConfig } from "../../src/config/model.js";
import {
  SELF_SIGNED_P256_DER_HEX,
  SELF_SIGNED_P256_NVGEN,
  SELF_SIGNED_P256_SERIAL,
} from "../fixtures/certificates.js";
import { HandlerHarness } from "../fixtures/handlerHarness.js";

const CERT_DER = Uint8Array.from(Buffer.from(SELF_SIGNED_P256_DER_HEX, "hex"));

function pki(config: RunningConfig = emptyConfig()): HandlerHarness {
  return new HandlerHarness(config);
}

function trustpoint(...lines: string[]) {
  const h = pki();
  h.applyAll(["crypto pki trustpoint TP", ...lines]);
  return { h, tp: h.config.trustpoints.get("TP")! };
}

/** A DER SEQUENCE of `contentLength` zero bytes (short or long form length). */
function derSequence(contentLength: number): Uint8Array {
  const header =
    contentLength < 0x80 ? [0x30, contentLength] : [0x30, 0x82, contentLength >> 8, contentLength & 0xff];
  return Uint8Array.from([...header, ...new Array<number>(contentLength).fill(0)]);
}

describe("crypto pki trustpoint", () => {
  it("creates the trustpoint and enters ca-trustpoint mode", () => {
    const h = pki();
    expect(h.apply("crypto pki trustpoint TP-self-signed-1982400059")).toBeUndefined();
    expect(h.frame).toEqual({ mode: "ca-trustpoint", trustpoint: "TP-self-signed-1982400059" });
    expect(h.config.trustpoints.get("TP-self-signed-1982400059")).toEqual({
      name: "TP-self-signed-1982400059",
    });
  });

  it("re-entry keeps what was configured", () => {
    const h = pki();
    h.applyAll(["crypto pki trustpoint TP", "enrollment selfsigned", "exit", "crypto pki trustpoint TP"]);
    expect(h.config.trustpoints.get("TP")?.enrollment).toEqual({ kind: "selfsigned" });
    expect(h.config.trustpoints.size).toBe(1);
  });

  it("no crypto pki trustpoint removes the trustpoint and its chain", () => {
    const h = pki();
    h.applyAll([
      "crypto pki trustpoint TP",
      "crypto pki certificate chain TP",
      "certificate ca 01",
      ...SELF_SIGNED_P256_NVGEN,
      "quit",
    ]);
    expect(h.config.certificateChains.get("TP")).toHaveLength(1);
    h.applyAll(["no crypto pki trustpoint TP"]);
    expect(h.config.trustpoints.has("TP")).toBe(false);
    expect(h.config.certificateChains.has("TP")).toBe(false);
  });

  it("authenticate and import are interactive", () => {
    const h = pki();
    h.applyAll(["crypto pki trustpoint TP"]);
    const message = "% This command is interactive; use it from a terminal session";
    expect(h.apply("crypto pki authenticate TP")).toBe(message);
    expect(h.apply("crypto pki import TP certificate")).toBe(message);
  });
});

describe("trustpoint sub-commands", () => {
  it.each([
    ["enrollment selfsigned", { kind: "selfsigned" }],
    ["enrollment terminal", { kind: "terminal" }],
    ["enrollment terminal pem", { kind: "terminal", pem: true }],
    ["enrollment url http://10.0.0.1:80", { kind: "url", url: "http://10.0.0.1:80" }],
    ["enrollment pkcs12", { kind: "pkcs12" }],
  ])("%s", (line, expected) => {
    expect(trustpoint(line).tp.enrollment).toEqual(expected);
  });

  it("revocation-check keeps the fallback order typed", () => {
    expect(trustpoint("revocation-check ocsp crl none").tp.revocationCheck).toEqual(["ocsp", "crl", "none"]);
    expect(trustpoint("revocation-check none").tp.revocationCheck).toEqual(["none"]);
  });

  it("subject-name takes the rest of the line", () => {
    expect(trustpoint("subject-name CN=R27,OU=VPN,O=Otus,C=RU").tp.subjectName).toBe(
      "CN=R27,OU=VPN,O=Otus,C=RU",
    );
  });

  it("rsakeypair with and without a size", () => {
    expect(trustpoint("rsakeypair TP-KEY").tp.rsakeypair).toEqual({ label: "TP-KEY" });
    expect(trustpoint("rsakeypair TP-KEY 2048").tp.rsakeypair).toEqual({ label: "TP-KEY", size: 2048 });
  });

  it("serial-number, fqdn and ip-address", () => {
    expect(trustpoint("serial-number").tp.serialNumber).toBe("include");
    expect(trustpoint("serial-number none").tp.serialNumber).toBe("none");
    expect(trustpoint("fqdn router.example.net").tp.fqdn).toBe("router.example.net");
    expect(trustpoint("fqdn none").tp.fqdn).toBe("none");
    expect(trustpoint("ip-address 192.0.2.1").tp.ipAddress).toBe("192.0.2.1");
    expect(trustpoint("ip-address Loopback0").tp.ipAddress).toBe("Loopback0");
    expect(trustpoint("ip-address none").tp.ipAddress).toBe("none");
  });

  it("chain-validation, hash and auto-enroll", () => {
    expect(trustpoint("chain-validation stop").tp.chainValidation).toEqual({ kind: "stop" });
    expect(trustpoint("chain-validation continue").tp.chainValidation).toEqual({ kind: "continue" });
    expect(trustpoint("chain-validation continue ROOT").tp.chainValidation).toEqual({
      kind: "continue",
      parent: "ROOT",
    });
    expect(trustpoint("hash sha256").tp.hash).toBe("sha256");
    expect(trustpoint("auto-enroll").tp.autoEnroll).toEqual({ regenerate: false });
    expect(trustpoint("auto-enroll 70 regenerate").tp.autoEnroll).toEqual({ percent: 70, regenerate: true });
    expect(trustpoint("auto-enroll regenerate").tp.autoEnroll).toEqual({ regenerate: true });
  });

  it("every no form clears its setting, whatever arguments follow", () => {
    const { h, tp } = trustpoint(
      "enrollment url http://ca",
      "revocation-check crl",
      "subject-name cn=x",
      "rsakeypair K 2048",
      "serial-number none",
      "fqdn none",
      "ip-address none",
      "chain-validation stop",
      "hash sha256",
      "auto-enroll 80",
    );
    h.applyAll([
      "no enrollment",
      "no revocation-check crl",
      "no subject-name",
      "no rsakeypair K",
      "no serial-number",
      "no fqdn",
      "no ip-address 10.0.0.1",
      "no chain-validation",
      "no hash",
      "no auto-enroll",
    ]);
    expect(tp).toEqual({ name: "TP" });
  });
});

describe("crypto pki certificate chain", () => {
  it("needs the trustpoint to exist", () => {
    expect(pki().apply("crypto pki certificate chain NOPE")).toBe("% Trustpoint NOPE does not exist");
  });

  it("certificate enters hex entry with kind and upper-case serial", () => {
    const h = pki();
    h.applyAll(["crypto pki trustpoint TP", "crypto pki certificate chain TP"]);
    expect(h.frame).toEqual({ mode: "config-cert-chain", chain: "TP" });
    h.applyAll(["certificate self-signed 0a"]);
    expect(h.frame).toEqual({ mode: "cert-hex", chain: "TP", kind: "self-signed", serial: "0A", hex: [] });
  });

  it.each([
    ["certificate ca 01", "ca"],
    ["certificate self-signed 01", "self-signed"],
    ["certificate rollover 01", "rollover"],
    ["certificate 01", "certificate"],
  ])("%s stores a %s certificate at quit", (line, kind) => {
    const h = pki();
    h.applyAll([
      "crypto pki trustpoint TP",
      "crypto pki certificate chain TP",
      line,
      ...SELF_SIGNED_P256_NVGEN,
      "quit",
    ]);
    expect(h.frame).toEqual({ mode: "config-cert-chain", chain: "TP" });
    expect(h.config.certificateChains.get("TP")).toEqual([{ kind, serial: "01", der: CERT_DER }]);
  });

  it("a certificate with the same serial replaces the old one in place", () => {
    const h = pki();
    const small = Buffer.from(derSequence(4)).toString("hex");
    h.applyAll(["crypto pki trustpoint TP", "crypto pki certificate chain TP"]);
    h.applyAll(["certificate ca 01", small, "quit", "certificate 02", small, "quit"]);
    h.applyAll(["certificate self-signed 01", ...SELF_SIGNED_P256_NVGEN, "quit"]);
    const certs = h.config.certificateChains.get("TP")!;
    expect(certs.map((c) => [c.kind, c.serial])).toEqual([
      ["self-signed", "01"],
      ["certificate", "02"],
    ]);
    expect(certs[0]?.der).toEqual(CERT_DER);
  });

  it("bad hex is refused at quit and nothing is stored", () => {
    const h = pki();
    h.applyAll([
      "crypto pki trustpoint TP",
      "crypto pki certificate chain TP",
      "certificate ca 01",
      "30820174 3082ZZ19",
    ]);
    expect(h.apply("quit")).toBe("% Invalid certificate: '3082ZZ19' is not hex");
    expect(h.config.certificateChains.has("TP")).toBe(false);
  });

  it("no certificate [kind] SERIAL removes one certificate; no chain removes all", () => {
    const h = pki();
    const small = Buffer.from(derSequence(4)).toString("hex");
    h.applyAll(["crypto pki trustpoint TP", "crypto pki certificate chain TP"]);
    h.applyAll(["certificate ca 01", small, "quit", "certificate 02", small, "quit"]);
    h.applyAll(["no certificate ca 01"]);
    expect(h.config.certificateChains.get("TP")?.map((c) => c.serial)).toEqual(["02"]);
    h.applyAll(["no certificate 02"]);
    expect(h.config.certificateChains.has("TP")).toBe(false);
    h.applyAll(["certificate ca 01", small, "quit", "exit", "no crypto pki certificate chain TP"]);
    expect(h.config.certificateChains.has("TP")).toBe(false);
    expect(h.config.trustpoints.has("TP")).toBe(true);
  });
});

describe("parseCertificateHex", () => {
  it("decodes IOS nvgen lines", () => {
    expect(parseCertificateHex([...SELF_SIGNED_P256_NVGEN])).toEqual({ ok: true, der: CERT_DER });
  });

  it("accepts any grouping and case", () => {
    const hex = SELF_SIGNED_P256_DER_HEX.toLowerCase();
    expect(parseCertificateHex([hex])).toEqual({ ok: true, der: CERT_DER });
    const pairs = hex.match(/../g)!.join(" ");
    expect(parseCertificateHex([`\t${pairs}  `])).toEqual({ ok: true, der: CERT_DER });
  });

  it("accepts a short-form DER length", () => {
    expect(parseCertificateHex(["3003 020101"])).toEqual({
      ok: true,
      der: Uint8Array.from([0x30, 3, 2, 1, 1]),
    });
  });

  it.each([
    [[], "no data"],
    [["   "], "no data"],
    [["3082017G"], "'3082017G' is not hex"],
    [["30820"], "odd number of hex digits"],
    [["02010100"], "not a DER SEQUENCE"],
    [["30"], "truncated DER header"],
    [["308201"], "truncated DER header"],
    [["3080 0000"], "invalid DER length"],
    [["3085 0000000001 00"], "invalid DER length"],
    [["3003 0201"], "DER length 5 does not match the 4 bytes given"],
    [["3003 02010100"], "DER length 5 does not match the 6 bytes given"],
    [SELF_SIGNED_P256_NVGEN.slice(0, -1), "DER length 376 does not match the 352 bytes given"],
  ])("%j is refused: %s", (lines, reason) => {
    expect(parseCertificateHex([...lines])).toEqual({ ok: false, reason });
  });
});

describe("renderCertificateHex", () => {
  it("lays out a real certificate as IOS XE does", () => {
    expect(renderCertificateHex(CERT_DER)).toEqual(SELF_SIGNED_P256_NVGEN);
  });

  it("the last line has no trailing space even when it is full", () => {
    expect(renderCertificateHex(derSequence(30))).toEqual([
      `  301E${"0".repeat(4)} ${"00000000 ".repeat(6)}00000000`,
    ]);
    const twoLines = renderCertificateHex(derSequence(62));
    expect(twoLines).toHaveLength(2);
    expect(twoLines[0]).toMatch(/^ {2}303E0000( [0-9A-F]{8}){7} $/);
    expect(twoLines[1]).toMatch(/^ {2}[0-9A-F]{8}( [0-9A-F]{8}){7}$/);
  });

  it("a partial last group keeps its odd width (`D697DF7F 28`)", () => {
    expect(renderCertificateHex(derSequence(3))).toEqual(["  30030000 00"]);
  });
});

describe("renderPki", () => {
  it("reproduces the layout of the ios-cli.md §1.9 sample", () => {
    const h = pki();
    h.applyAll([
      "crypto pki trustpoint TP-self-signed-1982400059",
      " enrollment selfsigned",
      " subject-name cn=IOS-Self-Signed-Certificate-1982400059",
      " revocation-check none",
      " rsakeypair TP-self-signed-1982400059",
      "crypto pki trustpoint SLA-TrustPoint",
      " enrollment pkcs12",
      " revocation-check crl",
      "crypto pki certificate chain TP-self-signed-1982400059",
      " certificate self-signed 01",
      ...SELF_SIGNED_P256_NVGEN,
      "  \tquit",
    ]);
    expect(renderPki(h.config)).toEqual([
      "crypto pki trustpoint TP-self-signed-1982400059",
      " enrollment selfsigned",
      " subject-name cn=IOS-Self-Signed-Certificate-1982400059",
      " revocation-check none",
      " rsakeypair TP-self-signed-1982400059",
      "!",
      "crypto pki trustpoint SLA-TrustPoint",
      " enrollment pkcs12",
      " revocation-check crl",
      "!",
      "!",
      "crypto pki certificate chain TP-self-signed-1982400059",
      " certificate self-signed 01",
      ...SELF_SIGNED_P256_NVGEN,
      "  \tquit",
    ]);
  });

  it("prints trustpoint lines in IOS order whatever the typing order", () => {
    const { h } = trustpoint(
      "auto-enroll 70 regenerate",
      "hash sha256",
      "chain-validation continue ROOT",
      "rsakeypair KEY 2048",
      "revocation-check crl none",
      "subject-name CN=R27,OU=VPN,O=Otus,C=RU",
      "ip-address Loopback0",
      "fqdn none",
      "serial-number none",
      "enrollment terminal pem",
    );
    expect(renderPki(h.config)).toEqual([
      "crypto pki trustpoint TP",
      " enrollment terminal pem",
      " serial-number none",
      " fqdn none",
      " ip-address Loopback0",
      " subject-name CN=R27,OU=VPN,O=Otus,C=RU",
      " revocation-check crl none",
      " rsakeypair KEY 2048",
      " chain-validation continue ROOT",
      " hash sha256",
      " auto-enroll 70 regenerate",
      "!",
    ]);
  });

  it("prints the certificate kinds", () => {
    const h = pki();
    const small = Buffer.from(derSequence(2)).toString("hex");
    h.applyAll(["crypto pki trustpoint TP", "crypto pki certificate chain TP"]);
    h.applyAll([
      "certificate ca 01",
      small,
      "quit",
      "certificate 02",
      small,
      "quit",
      "certificate rollover 03",
      small,
      "quit",
    ]);
    expect(renderPki(h.config).slice(2)).toEqual([
      "!",
      "crypto pki certificate chain TP",
      " certificate ca 01",
      "  30020000",
      "  \tquit",
      " certificate 02",
      "  30020000",
      "  \tquit",
      " certificate rollover 03",
      "  30020000",
      "  \tquit",
    ]);
  });

  it("prints nothing for an empty configuration or an empty chain", () => {
    expect(renderPki(emptyConfig())).toEqual([]);
    const h = pki();
    h.applyAll(["crypto pki trustpoint TP", "crypto pki certificate chain TP"]);
    expect(renderPki(h.config)).toEqual(["crypto pki trustpoint TP", "!"]);
  });

  it("render -> parse -> render is byte-identical", () => {
    const h = pki();
    h.applyAll([
      "crypto pki trustpoint ROOT",
      "enrollment terminal",
      "revocation-check none",
      "crypto pki trustpoint TP",
      "enrollment url http://ca.example.net:80",
      "serial-number",
      "fqdn tp.example.net",
      "ip-address 192.0.2.7",
      "subject-name CN=tp.example.net, O=Example",
      "revocation-check ocsp none",
      "rsakeypair TP 4096",
      "chain-validation continue ROOT",
      "hash sha256",
      "auto-enroll 80",
      "crypto pki certificate chain ROOT",
      "certificate ca 01",
      ...SELF_SIGNED_P256_NVGEN,
      "quit",
      "crypto pki certificate chain TP",
      `certificate ${SELF_SIGNED_P256_SERIAL.toLowerCase()}`,
      SELF_SIGNED_P256_DER_HEX,
      "quit",
    ]);
    const first = renderPki(h.config);
    const again = pki();
    again.applyAll(first);
    expect(renderPki(again.config).join("\n")).toBe(first.join("\n"));
    expect(again.config.certificateChains).toEqual(h.config.certificateChains);
    expect(first).toContain(` certificate ${SELF_SIGNED_P256_SERIAL}`);
  });
});

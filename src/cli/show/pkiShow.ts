/**
 * `show crypto pki certificates [NAME]` and `show crypto pki trustpoints [NAME] [status]`
 * (ios-cli.md §2.11): pure functions of the PKI snapshot. The certificate listing parses with
 * ntc-templates' cisco_ios_show_crypto_pki_certificates.textfsm, so it carries no extension
 * lines; the time-dependent verdict is in `trustpoints status`, as one extra State row.
 */
import type { CertificateConfig } from "../../config/model.js";
import type { ZoneSpec } from "../../services/clock/timeZone.js";
import {
  type CertificateInfo,
  type DnAttribute,
  fingerprintGroups,
} from "../../services/pki/certificateInfo.js";
import { formatPkiDate } from "../../services/pki/pkiDate.js";
import type { PkiSnapshot, TrustpointView } from "../../services/pki/pkiSnapshot.js";
import { describeVerdict } from "../../services/pki/verdictText.js";

/** Listing order within a trustpoint: the router's own certificates, then its CA (§2.11 [R]). */
const LISTING_ORDER: readonly CertificateConfig["kind"][] = ["certificate", "self-signed", "rollover", "ca"];

const TITLES: Readonly<Record<CertificateConfig["kind"], string>> = {
  ca: "CA Certificate",
  "self-signed": "Router Self-Signed Certificate",
  certificate: "Certificate",
  rollover: "Certificate",
};

interface Listed {
  readonly kind: CertificateConfig["kind"];
  readonly info: CertificateInfo;
  readonly trustpoints: string[];
}

function dnLines(dn: readonly DnAttribute[], indent: string): string[] {
  return dn.map((a) => `${indent}${a.name}=${a.value}`);
}

function attribute(dn: readonly DnAttribute[], name: string): string | undefined {
  return dn.find((a) => a.name === name)?.value;
}

/**
 * `Name:` heads the subject of a self-signed router certificate (its CN) and of an identity
 * certificate that carries the router's hostname (unstructuredName) [R].
 */
function subjectName(item: Listed): string | undefined {
  if (item.kind === "self-signed") return attribute(item.info.subject, "cn");
  if (item.kind === "ca") return undefined;
  return attribute(item.info.subject, "hostname");
}

/** One certificate block as the c3850 / csr1000 samples print it (trailing spaces included). */
function certificateBlock(item: Listed, zone: ZoneSpec): string[] {
  const { info } = item;
  const name = subjectName(item);
  const out = [
    TITLES[item.kind],
    "  Status: Available",
    `  Certificate Serial Number (hex): ${info.serial}`,
    `  Certificate Usage: ${info.usage}`,
    "  Issuer: ",
    ...dnLines(info.issuer, "    "),
    "  Subject: ",
    ...(name === undefined ? [] : [`    Name: ${name}`]),
    ...dnLines(info.subject, "    "),
  ];
  if (info.crlDistributionPoints.length > 0)
    out.push("  CRL Distribution Points: ", ...info.crlDistributionPoints.map((u) => `    ${u}`));
  out.push(
    "  Validity Date: ",
    `    start date: ${formatPkiDate(info.notBeforeMs, zone)}`,
    `    end   date: ${formatPkiDate(info.notAfterMs, zone)}`,
    `  Associated Trustpoints: ${item.trustpoints.join(" ")}`,
  );
  return out;
}

/** Certificates to list, each once, with every trustpoint that holds the same DER. */
function listed(snapshot: PkiSnapshot, only: string | undefined): Listed[] {
  const byContent = new Map<string, Listed>();
  const shown: Listed[] = [];
  for (const tp of snapshot.trustpoints) {
    const wanted = only === undefined || tp.config.name === only;
    for (const kind of LISTING_ORDER) {
      for (const c of tp.certificates) {
        if (c.entry.kind !== kind || !c.parse.ok) continue;
        const key = c.parse.info.sha1;
        const known = byContent.get(key);
        if (known) {
          if (!known.trustpoints.includes(tp.config.name)) known.trustpoints.push(tp.config.name);
          if (wanted && !shown.includes(known)) shown.push(known);
          continue;
        }
        const item: Listed = { kind, info: c.parse.info, trustpoints: [tp.config.name] };
        byContent.set(key, item);
        if (wanted) shown.push(item);
      }
    }
  }
  return shown;
}

/** `show crypto pki certificates [NAME]`: a blank line after every certificate. */
export function renderShowCryptoPkiCertificates(
  snapshot: PkiSnapshot,
  zone: ZoneSpec,
  trustpoint?: string,
): string[] {
  return listed(snapshot, trustpoint).flatMap((item) => [...certificateBlock(item, zone), ""]);
}

function firstCertificate(
  tp: TrustpointView,
  kinds: readonly CertificateConfig["kind"][],
): CertificateInfo | undefined {
  for (const kind of kinds) {
    for (const c of tp.certificates) if (c.entry.kind === kind && c.parse.ok) return c.parse.info;
  }
  return undefined;
}

function isSelfSigned(tp: TrustpointView): boolean {
  return (
    tp.config.enrollment?.kind === "selfsigned" || tp.certificates.some((c) => c.entry.kind === "self-signed")
  );
}

/** One entry of the plain listing (IOS XE [R]); `Not authenticated.` when no CA certificate [I]. */
function trustpointSummary(tp: TrustpointView): string[] {
  const out = [`Trustpoint ${tp.config.name}:`];
  const selfSigned = isSelfSigned(tp);
  const ca = firstCertificate(tp, selfSigned ? ["self-signed", "ca"] : ["ca"]);
  if (!ca) return [...out, "    Not authenticated."];
  out.push(
    "    Subject Name:",
    ...dnLines(ca.subject, "    "),
    `          Serial Number (hex): ${ca.serial}`,
  );
  if (selfSigned) {
    out.push(
      "    Persistent self-signed certificate trust point",
      `    Using key label ${tp.config.rsakeypair?.label ?? tp.config.name}`,
    );
  } else out.push("    Certificate configured.");
  return out;
}

function certificateStatus(title: string, info: CertificateInfo): string[] {
  return [
    `  ${title} configured:`,
    "    Subject Name:",
    `     ${info.subject.map((a) => `${a.name}=${a.value}`).join(",")}`,
    `    Fingerprint MD5: ${fingerprintGroups(info.md5)}`,
    `    Fingerprint SHA1: ${fingerprintGroups(info.sha1)}`,
  ];
}

/**
 * The Meridian extension row of the State block: the chain verdict at the appliance clock's
 * time, marked provisional while the clock is not authoritative.
 */
function validationRow(tp: TrustpointView, zone: ZoneSpec): string {
  const label = "    Chain validation ........... ";
  const e = tp.evaluation;
  if (tp.certificates.length === 0) return `${label}No certificate`;
  if (!e) return `${label}Pending`;
  const verdict =
    e.verdict.kind === "valid"
      ? `Valid at ${formatPkiDate(e.atMs, zone)}`
      : `Failed: ${describeVerdict(e.verdict, zone)}`;
  return e.authoritative ? `${label}${verdict}` : `${label}Not authoritative (clock not set): ${verdict}`;
}

/** `show crypto pki trustpoints NAME status` (IOS XE [R] layout plus the validation row). */
function trustpointStatus(tp: TrustpointView, zone: ZoneSpec): string[] {
  const out = [`Trustpoint ${tp.config.name}:`];
  const ca = firstCertificate(tp, ["ca", "self-signed"]);
  const router = firstCertificate(tp, ["certificate", "self-signed"]);
  if (ca) out.push(...certificateStatus("Issuing CA certificate", ca));
  if (router) out.push(...certificateStatus("Router General Purpose certificate", router));
  out.push(
    "  State:",
    `    Keys generated ............. ${router ? "Yes (General Purpose, non-exportable)" : "No"}`,
    `    Issuing CA authenticated ....... ${ca ? "Yes" : "No"}`,
    `    Certificate request(s) ..... ${router ? "Yes" : "None"}`,
    validationRow(tp, zone),
  );
  return out;
}

/** `show crypto pki trustpoints [NAME] [status]`: two blank lines between entries (§2.11 [R]). */
export function renderShowCryptoPkiTrustpoints(
  snapshot: PkiSnapshot,
  zone: ZoneSpec,
  options: { readonly trustpoint?: string; readonly status?: boolean } = {},
): string[] {
  const entries = snapshot.trustpoints
    .filter((tp) => options.trustpoint === undefined || tp.config.name === options.trustpoint)
    .map((tp) => (options.status ? trustpointStatus(tp, zone) : trustpointSummary(tp)));
  return entries.flatMap((lines, i) => (i === 0 ? lines : ["", "", ...lines]));
}

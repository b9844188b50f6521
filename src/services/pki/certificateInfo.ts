/**
 * What the appliance shows and checks about one X.509 certificate, read once from its DER with
 * pkijs: serial, names as IOS prints them, validity, CA-ness, key usage, CRL distribution
 * points and fingerprints (ios-cli.md §2.11).
 */
import { createHash } from "node:crypto";
import * as pkijs from "pkijs";

/** One DN attribute as IOS prints it: lower-case short name, `=`, value (`cn=Cisco Root CA M2`). */
export interface DnAttribute {
  readonly name: string;
  readonly value: string;
}

/** The purpose IOS derives from keyUsage (`Certificate Usage:`). */
export type CertificateUsage = "General Purpose" | "Signature" | "Encryption";

export interface CertificateInfo {
  readonly der: Uint8Array;
  /** pkijs's parsed form, reused for path validation. */
  readonly certificate: pkijs.Certificate;
  /** Upper-case hex, even length, without DER sign padding (`1DF9761C0000001C9621`, `3E`). */
  readonly serial: string;
  /** Most specific attribute first, as IOS lists them (`cn=`, then `ou=`, `o=`, `c=`). */
  readonly subject: readonly DnAttribute[];
  readonly issuer: readonly DnAttribute[];
  readonly notBeforeMs: number;
  readonly notAfterMs: number;
  /** basicConstraints cA. */
  readonly isCa: boolean;
  /** Subject and issuer names are equal (a root or a self-signed router certificate). */
  readonly selfIssued: boolean;
  readonly usage: CertificateUsage;
  readonly crlDistributionPoints: readonly string[];
  /** Upper-case hex digests of the DER. */
  readonly md5: string;
  readonly sha1: string;
}

export type CertificateParse = { ok: true; info: CertificateInfo } | { ok: false; reason: string };

/** IOS's short names for DN attribute OIDs; unknown types print as their dotted OID. */
const DN_NAMES: Readonly<Record<string, string>> = {
  "2.5.4.3": "cn",
  "2.5.4.4": "sn",
  "2.5.4.5": "serialNumber",
  "2.5.4.6": "c",
  "2.5.4.7": "l",
  "2.5.4.8": "st",
  "2.5.4.10": "o",
  "2.5.4.11": "ou",
  "2.5.4.42": "gn",
  "0.9.2342.19200300.100.1.25": "dc",
  "1.2.840.113549.1.9.1": "e",
  "1.2.840.113549.1.9.2": "hostname",
  "1.2.840.113549.1.9.8": "ipaddress",
};

/** RFC 5280 §4.2.1.3 / §4.2.1.9 / §4.2.1.13 extension OIDs. */
const OID_KEY_USAGE = "2.5.29.15";
const OID_BASIC_CONSTRAINTS = "2.5.29.19";
const OID_CRL_DISTRIBUTION_POINTS = "2.5.29.31";
/** RFC 5280 §4.2.1.6 GeneralName uniformResourceIdentifier [6]. */
const GENERAL_NAME_URI = 6;

/** keyUsage bits of the first octet (RFC 5280 §4.2.1.3, bit 0 = 0x80). */
const KU_DIGITAL_SIGNATURE = 0x80;
const KU_NON_REPUDIATION = 0x40;
const KU_KEY_ENCIPHERMENT = 0x20;
const KU_DATA_ENCIPHERMENT = 0x10;
const KU_KEY_AGREEMENT = 0x08;
const KU_KEY_CERT_SIGN = 0x04;
const KU_CRL_SIGN = 0x02;
const KU_SIGNING = KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION | KU_KEY_CERT_SIGN | KU_CRL_SIGN;
const KU_ENCRYPTING = KU_KEY_ENCIPHERMENT | KU_DATA_ENCIPHERMENT | KU_KEY_AGREEMENT;

/** Parse a DER certificate; malformed input is a reason, not an exception. */
export function parseCertificate(der: Uint8Array): CertificateParse {
  let certificate: pkijs.Certificate;
  try {
    certificate = pkijs.Certificate.fromBER(der);
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
  const subject = dnAttributes(certificate.subject);
  const issuer = dnAttributes(certificate.issuer);
  const info: CertificateInfo = {
    der,
    certificate,
    serial: serialHex(certificate.serialNumber.valueBlock.valueHexView),
    subject,
    issuer,
    notBeforeMs: certificate.notBefore.value.getTime(),
    notAfterMs: certificate.notAfter.value.getTime(),
    isCa: basicConstraintsCa(certificate),
    selfIssued: certificate.subject.isEqual(certificate.issuer),
    usage: usageOf(certificate),
    crlDistributionPoints: crlDistributionPoints(certificate),
    md5: createHash("md5").update(der).digest("hex").toUpperCase(),
    sha1: createHash("sha1").update(der).digest("hex").toUpperCase(),
  };
  return { ok: true, info };
}

/** `0CD2F9E0 DA1773E9 ED864DA5 E370E74E ` — 8-digit groups, each followed by a space (§2.11 [R]). */
export function fingerprintGroups(hex: string): string {
  let out = "";
  for (let i = 0; i < hex.length; i += 8) out += `${hex.slice(i, i + 8)} `;
  return out;
}

/** DER INTEGER content as IOS prints a serial: sign padding dropped, at least one byte. */
function serialHex(content: Uint8Array): string {
  let start = 0;
  while (start < content.length - 1 && content[start] === 0) start++;
  return Buffer.from(content.subarray(start)).toString("hex").toUpperCase();
}

function dnAttributes(name: pkijs.RelativeDistinguishedNames): DnAttribute[] {
  return name.typesAndValues
    .map((tv) => ({ name: DN_NAMES[tv.type] ?? tv.type, value: attributeText(tv.value) }))
    .reverse();
}

function attributeText(value: pkijs.AttributeValueType): string {
  const block = (value as { valueBlock?: { value?: unknown } }).valueBlock;
  return typeof block?.value === "string" ? block.value : "";
}

function extension(certificate: pkijs.Certificate, oid: string): pkijs.Extension | undefined {
  return certificate.extensions?.find((e) => e.extnID === oid);
}

function basicConstraintsCa(certificate: pkijs.Certificate): boolean {
  const parsed = extension(certificate, OID_BASIC_CONSTRAINTS)?.parsedValue;
  return parsed instanceof pkijs.BasicConstraints && parsed.cA === true;
}

/**
 * IOS's usage from keyUsage: signing bits only -> `Signature` (CA certificates, §2.11 [R]),
 * encryption bits only -> `Encryption`, both or no keyUsage -> `General Purpose`.
 */
function usageOf(certificate: pkijs.Certificate): CertificateUsage {
  const parsed = extension(certificate, OID_KEY_USAGE)?.parsedValue as
    | { valueBlock?: { valueHexView?: Uint8Array } }
    | undefined;
  const bits = parsed?.valueBlock?.valueHexView?.[0];
  if (bits === undefined) return "General Purpose";
  const signs = (bits & KU_SIGNING) !== 0;
  const encrypts = (bits & KU_ENCRYPTING) !== 0;
  if (signs && !encrypts) return "Signature";
  if (encrypts && !signs) return "Encryption";
  return "General Purpose";
}

function crlDistributionPoints(certificate: pkijs.Certificate): string[] {
  const parsed = extension(certificate, OID_CRL_DISTRIBUTION_POINTS)?.parsedValue;
  if (!(parsed instanceof pkijs.CRLDistributionPoints)) return [];
  const uris: string[] = [];
  for (const point of parsed.distributionPoints) {
    const names = point.distributionPoint;
    if (!Array.isArray(names)) continue;
    for (const name of names) {
      if (name.type === GENERAL_NAME_URI && typeof name.value === "string") uris.push(name.value);
    }
  }
  return uris;
}

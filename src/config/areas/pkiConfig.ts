/**
 * PKI configuration: trustpoints and certificate chains (ios-cli.md §1.9) and their nvgen.
 *
 * Certificates arrive as the hex dump IOS itself prints under `certificate ... SERIAL`; the
 * session collects those lines until `quit` and hands them to {@link finishCertificate}. Only
 * the outer DER framing is checked here; path validation belongs to the PKI service (pkijs).
 */
import type { ApplyContext, HandlerTable, ModeFrame } from "../applyContext.js";
import type { CertificateConfig, RunningConfig, TrustpointConfig } from "../model.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type CertHexFrame = Extract<ModeFrame, { mode: "cert-hex" }>;
type CertificateKind = CertificateConfig["kind"];
type RevocationMethod = "crl" | "none" | "ocsp";

const REVOCATION_METHODS: readonly RevocationMethod[] = ["crl", "none", "ocsp"];
const CERTIFICATE_KEYWORDS = ["ca", "self-signed", "rollover"] as const;

/** X.690 §8.9: a SEQUENCE, constructed, universal tag 16. */
const DER_SEQUENCE_TAG = 0x30;
/** X.690 §8.1.3.5: long-form length; the low bits count the length octets. */
const DER_LONG_FORM = 0x80;
/** Certificates are far below 4 GiB; more length octets than this is not a certificate. */
const DER_MAX_LENGTH_OCTETS = 4;

/** nvgen layout of certificate hex (ios-cli.md §1.9 [R]): 4-byte groups, eight per line. */
const HEX_GROUP_BYTES = 4;
const HEX_GROUPS_PER_LINE = 8;
const HEX_INDENT = "  ";
/** IOS XE terminator: two spaces and a TAB (15.x prints `  quit`). */
const HEX_TERMINATOR = "  \tquit";

const NOT_INTERACTIVE = "% This command is interactive; use it from a terminal session";

// ---------------------------------------------------------------------------------------------
// Trustpoint commands
// ---------------------------------------------------------------------------------------------

function currentTrustpoint(ctx: ApplyContext): Mutable<TrustpointConfig> | undefined {
  if (ctx.frame.mode !== "ca-trustpoint") return undefined;
  return ctx.config.trustpoints.get(ctx.frame.trustpoint);
}

/**
 * A trustpoint sub-command: `set` on the plain form, `clear` on the `no` form. IOS's `no` forms
 * ignore the arguments typed after the keyword, so do we.
 */
function trustpointCommand(
  set: (tp: Mutable<TrustpointConfig>, ctx: ApplyContext) => string | undefined,
  clear: (tp: Mutable<TrustpointConfig>) => void,
) {
  return (ctx: ApplyContext): string | undefined => {
    const tp = currentTrustpoint(ctx);
    if (!tp) return "% No trustpoint selected";
    if (ctx.negated) {
      clear(tp);
      return undefined;
    }
    return set(tp, ctx);
  };
}

function applyTrustpoint(ctx: ApplyContext): string | undefined {
  const name = ctx.args.str("tp-name") ?? "";
  const { trustpoints, certificateChains } = ctx.config;
  if (ctx.negated) {
    // The yes/no confirmation of ios-cli.md §2.11 is the session's; by now it was answered yes.
    trustpoints.delete(name);
    certificateChains.delete(name);
    return undefined;
  }
  if (!trustpoints.has(name)) trustpoints.set(name, { name });
  ctx.enter({ mode: "ca-trustpoint", trustpoint: name });
  return undefined;
}

function applyChain(ctx: ApplyContext): string | undefined {
  const name = ctx.args.str("tp-name") ?? "";
  if (ctx.negated) {
    ctx.config.certificateChains.delete(name);
    return undefined;
  }
  // A chain holds the certificates of one trustpoint; nvgen prints trustpoints first (§1.9).
  if (!ctx.config.trustpoints.has(name)) return `% Trustpoint ${name} does not exist`;
  ctx.enter({ mode: "config-cert-chain", chain: name });
  return undefined;
}

function setEnrollment(tp: Mutable<TrustpointConfig>, ctx: ApplyContext): undefined {
  const { args } = ctx;
  if (args.has("url")) tp.enrollment = { kind: "url", url: args.str("url") ?? "" };
  else if (args.has("terminal"))
    tp.enrollment = args.has("pem") ? { kind: "terminal", pem: true } : { kind: "terminal" };
  else if (args.has("pkcs12")) tp.enrollment = { kind: "pkcs12" };
  else tp.enrollment = { kind: "selfsigned" };
  return undefined;
}

/** Methods in the order typed (it is the fallback order), each once. */
function revocationMethods(ctx: ApplyContext): RevocationMethod[] {
  const typed = ctx.args.values;
  const methods: RevocationMethod[] = [];
  // Args keeps one entry per name, so repeated keywords collapse; insertion order is typing order.
  for (const name of typed.keys()) {
    const method = REVOCATION_METHODS.find((m) => m === name);
    if (method && !methods.includes(method)) methods.push(method);
  }
  return methods;
}

function setChainValidation(tp: Mutable<TrustpointConfig>, ctx: ApplyContext): undefined {
  if (ctx.args.has("stop")) tp.chainValidation = { kind: "stop" };
  else {
    const parent = ctx.args.str("parent");
    tp.chainValidation = parent ? { kind: "continue", parent } : { kind: "continue" };
  }
  return undefined;
}

function setAutoEnroll(tp: Mutable<TrustpointConfig>, ctx: ApplyContext): undefined {
  const percent = ctx.args.int("percent");
  const regenerate = ctx.args.has("regenerate");
  tp.autoEnroll = percent === undefined ? { regenerate } : { percent, regenerate };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Certificate chains
// ---------------------------------------------------------------------------------------------

function applyCertificate(ctx: ApplyContext): string | undefined {
  if (ctx.frame.mode !== "config-cert-chain") return "% No certificate chain selected";
  const chain = ctx.frame.chain;
  const serial = (ctx.args.str("serial") ?? "").toUpperCase();
  if (ctx.negated) {
    const certs = ctx.config.certificateChains.get(chain);
    if (!certs) return undefined;
    const kept = certs.filter((c) => c.serial !== serial);
    if (kept.length === 0) ctx.config.certificateChains.delete(chain);
    else ctx.config.certificateChains.set(chain, kept);
    return undefined;
  }
  const kind: CertificateKind = ctx.args.which(CERTIFICATE_KEYWORDS) ?? "certificate";
  ctx.enter({ mode: "cert-hex", chain, kind, serial, hex: [] });
  return undefined;
}

/** What {@link parseCertificateHex} makes of pasted hex: DER bytes, or why they are not a certificate. */
export type CertificateHexResult = { ok: true; der: Uint8Array } | { ok: false; reason: string };

/**
 * Decode the hex lines typed after `certificate ... SERIAL` into DER. Groups are separated by
 * any whitespace and need not be 8 digits wide (IOS's own last group is shorter). The bytes must
 * be one DER SEQUENCE whose encoded length covers exactly the bytes given (X.690 §8.1).
 */
export function parseCertificateHex(lines: string[]): CertificateHexResult {
  const groups = lines.flatMap((line) => line.split(/\s+/)).filter((g) => g.length > 0);
  const bad = groups.find((g) => !/^[0-9A-Fa-f]+$/.test(g));
  if (bad !== undefined) return { ok: false, reason: `'${bad}' is not hex` };
  const hex = groups.join("");
  if (hex.length === 0) return { ok: false, reason: "no data" };
  if (hex.length % 2 !== 0) return { ok: false, reason: "odd number of hex digits" };
  const der = Uint8Array.from(Buffer.from(hex, "hex"));
  const framing = derSequenceLength(der);
  if (!framing.ok) return framing;
  if (framing.total !== der.length) {
    return { ok: false, reason: `DER length ${framing.total} does not match the ${der.length} bytes given` };
  }
  return { ok: true, der };
}

/** Total size (header + content) of the DER SEQUENCE at the start of `der`. */
function derSequenceLength(der: Uint8Array): { ok: true; total: number } | { ok: false; reason: string } {
  if (der[0] !== DER_SEQUENCE_TAG) return { ok: false, reason: "not a DER SEQUENCE" };
  const first = der[1];
  if (first === undefined) return { ok: false, reason: "truncated DER header" };
  if (first < DER_LONG_FORM) return { ok: true, total: 2 + first };
  const octets = first - DER_LONG_FORM;
  // X.690 §10.1: DER forbids the indefinite form (0x80).
  if (octets === 0 || octets > DER_MAX_LENGTH_OCTETS) return { ok: false, reason: "invalid DER length" };
  if (der.length < 2 + octets) return { ok: false, reason: "truncated DER header" };
  let length = 0;
  for (let i = 0; i < octets; i++) length = length * 256 + (der[2 + i] ?? 0);
  return { ok: true, total: 2 + octets + length };
}

/**
 * Store the certificate collected in a `cert-hex` frame (called by the session at `quit`).
 * A certificate with the same serial in the chain is replaced in place.
 */
export function finishCertificate(config: RunningConfig, frame: CertHexFrame): string | undefined {
  const parsed = parseCertificateHex(frame.hex);
  if (!parsed.ok) return `% Invalid certificate: ${parsed.reason}`;
  const cert: CertificateConfig = { kind: frame.kind, serial: frame.serial.toUpperCase(), der: parsed.der };
  const certs = config.certificateChains.get(frame.chain) ?? [];
  const at = certs.findIndex((c) => c.serial === cert.serial);
  if (at >= 0) certs[at] = cert;
  else certs.push(cert);
  config.certificateChains.set(frame.chain, certs);
  return undefined;
}

export const pkiHandlers: HandlerTable = {
  "pki.trustpoint": applyTrustpoint,
  "pki.chain": applyChain,
  "pki.authenticate": () => NOT_INTERACTIVE,
  "pki.import-certificate": () => NOT_INTERACTIVE,
  "pki.enrollment": trustpointCommand(setEnrollment, (tp) => delete tp.enrollment),
  "pki.revocation-check": trustpointCommand(
    (tp, ctx) => {
      tp.revocationCheck = revocationMethods(ctx);
      return undefined;
    },
    (tp) => delete tp.revocationCheck,
  ),
  "pki.subject-name": trustpointCommand(
    (tp, ctx) => {
      tp.subjectName = ctx.args.str("dn") ?? "";
      return undefined;
    },
    (tp) => delete tp.subjectName,
  ),
  "pki.rsakeypair": trustpointCommand(
    (tp, ctx) => {
      const label = ctx.args.str("key-label") ?? "";
      const size = ctx.args.int("key-size");
      tp.rsakeypair = size === undefined ? { label } : { label, size };
      return undefined;
    },
    (tp) => delete tp.rsakeypair,
  ),
  "pki.serial-number": trustpointCommand(
    (tp, ctx) => {
      tp.serialNumber = ctx.args.has("none") ? "none" : "include";
      return undefined;
    },
    (tp) => delete tp.serialNumber,
  ),
  "pki.fqdn": trustpointCommand(
    (tp, ctx) => {
      tp.fqdn = ctx.args.has("none") ? "none" : (ctx.args.str("fqdn-name") ?? "");
      return undefined;
    },
    (tp) => delete tp.fqdn,
  ),
  "pki.ip-address": trustpointCommand(
    (tp, ctx) => {
      const { args } = ctx;
      tp.ipAddress = args.has("none") ? "none" : (args.str("ipaddr") ?? args.str("ip-iface") ?? "");
      return undefined;
    },
    (tp) => delete tp.ipAddress,
  ),
  "pki.chain-validation": trustpointCommand(setChainValidation, (tp) => delete tp.chainValidation),
  "pki.hash": trustpointCommand(
    (tp) => {
      tp.hash = "sha256";
      return undefined;
    },
    (tp) => delete tp.hash,
  ),
  "pki.auto-enroll": trustpointCommand(setAutoEnroll, (tp) => delete tp.autoEnroll),
  "pki.certificate": applyCertificate,
};

// ---------------------------------------------------------------------------------------------
// nvgen
// ---------------------------------------------------------------------------------------------

function renderEnrollment(e: NonNullable<TrustpointConfig["enrollment"]>): string {
  switch (e.kind) {
    case "url":
      return ` enrollment url ${e.url ?? ""}`;
    case "terminal":
      return e.pem ? " enrollment terminal pem" : " enrollment terminal";
    default:
      return ` enrollment ${e.kind}`;
  }
}

/** One trustpoint block in the nvgen order of ios-cli.md §1.9 [R], without the closing `!`. */
export function renderTrustpoint(tp: TrustpointConfig): string[] {
  const out = [`crypto pki trustpoint ${tp.name}`];
  if (tp.enrollment) out.push(renderEnrollment(tp.enrollment));
  if (tp.serialNumber) out.push(tp.serialNumber === "none" ? " serial-number none" : " serial-number");
  if (tp.fqdn !== undefined) out.push(` fqdn ${tp.fqdn}`);
  if (tp.ipAddress !== undefined) out.push(` ip-address ${tp.ipAddress}`);
  if (tp.subjectName !== undefined) out.push(` subject-name ${tp.subjectName}`);
  if (tp.revocationCheck && tp.revocationCheck.length > 0)
    out.push(` revocation-check ${tp.revocationCheck.join(" ")}`);
  if (tp.rsakeypair)
    out.push(` rsakeypair ${tp.rsakeypair.label}${tp.rsakeypair.size ? ` ${tp.rsakeypair.size}` : ""}`);
  if (tp.chainValidation) {
    const cv = tp.chainValidation;
    out.push(` chain-validation ${cv.kind}${cv.parent ? ` ${cv.parent}` : ""}`);
  }
  if (tp.hash) out.push(` hash ${tp.hash}`);
  if (tp.autoEnroll) {
    const ae = tp.autoEnroll;
    out.push(
      ` auto-enroll${ae.percent !== undefined ? ` ${ae.percent}` : ""}${ae.regenerate ? " regenerate" : ""}`,
    );
  }
  return out;
}

/**
 * Hex dump lines of a DER certificate as IOS XE nvgen prints them: upper-case 8-digit groups,
 * eight to a line, two-space indent. Every group but the very last is followed by one space,
 * which is why full lines end in a space on IOS XE and the last line does not (§1.9 [R]).
 * The parser ignores whitespace, so render -> parse -> render is byte-identical either way;
 * we keep IOS XE's trailing space so that configs diff cleanly against real devices.
 */
export function renderCertificateHex(der: Uint8Array): string[] {
  const hex = Buffer.from(der).toString("hex").toUpperCase();
  const groupDigits = HEX_GROUP_BYTES * 2;
  const groups: string[] = [];
  for (let i = 0; i < hex.length; i += groupDigits) groups.push(hex.slice(i, i + groupDigits));
  const lines: string[] = [];
  for (let i = 0; i < groups.length; i += HEX_GROUPS_PER_LINE) {
    const row = groups.slice(i, i + HEX_GROUPS_PER_LINE).join(" ");
    const last = i + HEX_GROUPS_PER_LINE >= groups.length;
    lines.push(`${HEX_INDENT}${row}${last ? "" : " "}`);
  }
  return lines;
}

function certificateHeader(cert: CertificateConfig): string {
  return cert.kind === "certificate"
    ? ` certificate ${cert.serial}`
    : ` certificate ${cert.kind} ${cert.serial}`;
}

/** One `crypto pki certificate chain` block; chains without certificates print nothing. */
export function renderCertificateChain(name: string, certs: readonly CertificateConfig[]): string[] {
  if (certs.length === 0) return [];
  const out = [`crypto pki certificate chain ${name}`];
  for (const cert of certs)
    out.push(certificateHeader(cert), ...renderCertificateHex(cert.der), HEX_TERMINATOR);
  return out;
}

/**
 * The PKI section of `show running-config` (ios-cli.md §1.9 [R]): every trustpoint followed by
 * `!`, then — after the extra `!` the sample shows between the two groups — every chain. Chains
 * follow one another without `!`; the separator after the section is the caller's.
 */
export function renderPki(c: RunningConfig): string[] {
  const out: string[] = [];
  for (const tp of c.trustpoints.values()) out.push(...renderTrustpoint(tp), "!");
  const chains: string[] = [];
  for (const [name, certs] of c.certificateChains) chains.push(...renderCertificateChain(name, certs));
  if (chains.length > 0 && out.length > 0) out.push("!");
  out.push(...chains);
  return out;
}

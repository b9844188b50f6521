/**
 * Path validation of one certificate at a chosen instant — the appliance clock's, never the
 * host's — with pkijs's CertificateChainValidationEngine (node-notes §5): signatures, name
 * chaining, CA-ness of every issuer, and the validity period of every certificate on the path.
 * The verdict names the certificate that failed, so messages can quote its serial and dates.
 */
import * as pkijs from "pkijs";
import type { CertificateInfo } from "./certificateInfo.js";
import { ensurePkiEngine } from "./pkiEngine.js";

export type CertificateVerdict =
  | { readonly kind: "valid" }
  /** `certificate` is the one on the path whose notAfter is past. */
  | { readonly kind: "expired"; readonly certificate: CertificateInfo }
  | { readonly kind: "not-yet-valid"; readonly certificate: CertificateInfo }
  /** An issuer on the path is not a CA (basicConstraints cA false or keyUsage forbids signing). */
  | { readonly kind: "non-ca-issuer"; readonly issuer?: CertificateInfo }
  /** No chain of valid signatures from the certificate to a trust anchor. */
  | { readonly kind: "no-path"; readonly reason: string }
  | { readonly kind: "unparseable"; readonly reason: string };

export interface ChainResult {
  readonly verdict: CertificateVerdict;
  /** The validated path, target first, trust anchor last; empty unless valid. */
  readonly path: readonly CertificateInfo[];
}

export interface ChainInput {
  readonly target: CertificateInfo;
  /** Certificates that may sit between the target and an anchor. */
  readonly intermediates: readonly CertificateInfo[];
  readonly anchors: readonly CertificateInfo[];
  /** UTC ms: the SoftwareClock's time. */
  readonly atMs: number;
}

/** pkijs result codes (pkijs 4.0.0 CertificateChainValidationEngine). */
const PKIJS_DATE_INVALID = 8;
const PKIJS_NOT_CA = 14;
/** Longest issuer walk when naming the certificate whose dates failed (RFC 5280 paths are short). */
const MAX_PATH_LENGTH = 16;

/**
 * Validate `target` at `atMs`. An anchor may be validated on its own (it is then both trusted
 * and the end entity: only its dates are checked). pkijs takes the end entity as the last
 * element of `certs` (node-notes §5 pitfall), so the target always goes last.
 */
export async function validateChain(input: ChainInput): Promise<ChainResult> {
  ensurePkiEngine();
  const { target, intermediates, anchors, atMs } = input;
  // pkijs checks name chaining even on a one-certificate path, which a trusted subordinate CA
  // (issuer is not itself) fails; trusting it as it is leaves only its validity period.
  if (anchors.includes(target) && !target.selfIssued) {
    const dates = dateVerdict({ ...input, intermediates: [], anchors: [target] });
    return dates ? { verdict: dates, path: [] } : { verdict: { kind: "valid" }, path: [target] };
  }
  const others = intermediates.filter((c) => c !== target).map((c) => c.certificate);
  const engine = new pkijs.CertificateChainValidationEngine({
    trustedCerts: anchors.map((c) => c.certificate),
    certs: [...others, target.certificate],
    checkDate: new Date(atMs),
  });
  const result = await engine.verify();
  if (result.result) return { verdict: { kind: "valid" }, path: pathOf(result.certificatePath, input) };
  return { verdict: failureVerdict(result.resultCode, result.resultMessage, input), path: [] };
}

function failureVerdict(code: number, message: string, input: ChainInput): CertificateVerdict {
  switch (code) {
    case PKIJS_DATE_INVALID:
      return dateVerdict(input) ?? { kind: "no-path", reason: message };
    case PKIJS_NOT_CA: {
      const issuer = nonCaIssuer(input);
      return issuer ? { kind: "non-ca-issuer", issuer } : { kind: "non-ca-issuer" };
    }
    default:
      // PKIJS_NAME_CHAINING, "No valid certificate paths found" (-1) and the rest: no path.
      return { kind: "no-path", reason: message };
  }
}

/** The validated path mapped back to our infos (pkijs returns the objects it was given). */
function pathOf(path: readonly pkijs.Certificate[] | undefined, input: ChainInput): CertificateInfo[] {
  const pool = [input.target, ...input.intermediates, ...input.anchors];
  const infos: CertificateInfo[] = [];
  for (const cert of path ?? []) {
    const info = pool.find((c) => c.certificate === cert);
    if (info && !infos.includes(info)) infos.push(info);
  }
  return infos;
}

/** The issuer-name walk from the target towards an anchor, target first. */
function namePath(input: ChainInput): CertificateInfo[] {
  const pool = [...input.intermediates, ...input.anchors];
  const path = [input.target];
  let current = input.target;
  while (path.length < MAX_PATH_LENGTH && !current.selfIssued && !input.anchors.includes(current)) {
    const issuer = pool.find(
      (c) => !path.includes(c) && c.certificate.subject.isEqual(current.certificate.issuer),
    );
    if (!issuer) break;
    path.push(issuer);
    current = issuer;
  }
  return path;
}

/** pkijs says "not yet valid or expired" without naming the certificate; find it, leaf first. */
function dateVerdict(input: ChainInput): CertificateVerdict | undefined {
  for (const cert of namePath(input)) {
    if (input.atMs < cert.notBeforeMs) return { kind: "not-yet-valid", certificate: cert };
    if (input.atMs > cert.notAfterMs) return { kind: "expired", certificate: cert };
  }
  return undefined;
}

function nonCaIssuer(input: ChainInput): CertificateInfo | undefined {
  return namePath(input)
    .slice(1)
    .find((c) => !c.isCa);
}

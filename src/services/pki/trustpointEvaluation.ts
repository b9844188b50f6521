/**
 * Evaluating a trustpoint's certificate chain (`crypto pki certificate chain NAME`) at one
 * instant: which certificates are trust anchors, which are intermediates, and the verdict of
 * every certificate and of the trustpoint as a whole.
 *
 * Trust anchors, as IOS's `chain-validation` decides them (ios-cli.md §1.9):
 * - `stop` (the default): the trustpoint's own CA certificates. When some of them are
 *   self-issued, those are the anchors and the others intermediates (a pasted root plus
 *   issuing CA); otherwise every CA certificate is an anchor (IOS trusts an authenticated
 *   subordinate CA as it is).
 * - `continue PARENT`: the parent trustpoint's anchors; this trustpoint's CA certificates
 *   become intermediates, so they too must chain to the parent.
 * A `self-signed` router certificate anchors itself.
 */
import type { CertificateConfig, RunningConfig } from "../../config/model.js";
import type { CertificateInfo, CertificateParse } from "./certificateInfo.js";
import { type CertificateVerdict, validateChain } from "./chainValidation.js";

export interface CertificateEvaluation {
  readonly entry: CertificateConfig;
  /** Undefined when the DER does not parse (the verdict says why). */
  readonly info?: CertificateInfo;
  readonly verdict: CertificateVerdict;
  /** Target first, anchor last; empty unless valid. */
  readonly path: readonly CertificateInfo[];
}

export type TrustpointVerdict = CertificateVerdict | { readonly kind: "no-certificate" };

export interface TrustpointEvaluation {
  readonly name: string;
  /** The appliance time the chain was validated at, UTC ms. */
  readonly atMs: number;
  /** Whether that time was authoritative: a verdict at non-authoritative time is provisional. */
  readonly authoritative: boolean;
  readonly certificates: readonly CertificateEvaluation[];
  /** The first failing identity certificate, else the first failing CA certificate, else valid. */
  readonly verdict: TrustpointVerdict;
}

/** Parses DER, typically through a cache keyed by the bytes. */
export type CertificateParser = (der: Uint8Array) => CertificateParse;

/** Parent chains deeper than this are a configuration loop. */
const MAX_PARENT_DEPTH = 8;

interface ParsedEntry {
  readonly entry: CertificateConfig;
  readonly parse: CertificateParse;
}

/** Parsed entries of a chain, in configuration order. */
function parsedChain(config: RunningConfig, name: string, parse: CertificateParser): ParsedEntry[] {
  return (config.certificateChains.get(name) ?? []).map((entry) => ({ entry, parse: parse(entry.der) }));
}

function caInfos(entries: readonly ParsedEntry[]): CertificateInfo[] {
  const out: CertificateInfo[] = [];
  for (const e of entries) if (e.entry.kind === "ca" && e.parse.ok) out.push(e.parse.info);
  return out;
}

interface TrustSet {
  readonly anchors: readonly CertificateInfo[];
  readonly intermediates: readonly CertificateInfo[];
}

/** Anchors and intermediates for the chain of trustpoint `name` (see the module comment). */
export function trustSetOf(
  config: RunningConfig,
  name: string,
  parse: CertificateParser,
  depth = 0,
): TrustSet {
  const own = caInfos(parsedChain(config, name, parse));
  const cv = config.trustpoints.get(name)?.chainValidation;
  if (cv?.kind === "continue" && cv.parent !== undefined && depth < MAX_PARENT_DEPTH) {
    const parent = trustSetOf(config, cv.parent, parse, depth + 1);
    return { anchors: parent.anchors, intermediates: [...own, ...parent.intermediates] };
  }
  const roots = own.filter((c) => c.selfIssued);
  if (roots.length === 0) return { anchors: own, intermediates: [] };
  return { anchors: roots, intermediates: own.filter((c) => !c.selfIssued) };
}

async function evaluateEntry(e: ParsedEntry, trust: TrustSet, atMs: number): Promise<CertificateEvaluation> {
  if (!e.parse.ok)
    return { entry: e.entry, verdict: { kind: "unparseable", reason: e.parse.reason }, path: [] };
  const info = e.parse.info;
  const selfAnchored = e.entry.kind === "self-signed" || trust.anchors.includes(info);
  const input = selfAnchored
    ? { target: info, intermediates: [], anchors: [info], atMs }
    : { target: info, intermediates: trust.intermediates, anchors: trust.anchors, atMs };
  const result = await validateChain(input);
  return { entry: e.entry, info, verdict: result.verdict, path: result.path };
}

/** Identity certificates decide first; a rollover (shadow) certificate never decides. */
const DECISION_ORDER: readonly CertificateConfig["kind"][] = ["certificate", "self-signed", "ca"];

function overallVerdict(certificates: readonly CertificateEvaluation[]): TrustpointVerdict {
  if (certificates.length === 0) return { kind: "no-certificate" };
  for (const kind of DECISION_ORDER) {
    const failed = certificates.find((c) => c.entry.kind === kind && c.verdict.kind !== "valid");
    if (failed) return failed.verdict;
  }
  return { kind: "valid" };
}

/** Validate every certificate of trustpoint `name` at `atMs`. */
export async function evaluateTrustpoint(
  config: RunningConfig,
  name: string,
  atMs: number,
  authoritative: boolean,
  parser: CertificateParser,
): Promise<TrustpointEvaluation> {
  // Anchors are recognised by identity, so each DER must map to one parsed object here.
  const parse = memoizedParser(parser);
  const trust = trustSetOf(config, name, parse);
  const certificates = await Promise.all(
    parsedChain(config, name, parse).map((e) => evaluateEntry(e, trust, atMs)),
  );
  return { name, atMs, authoritative, certificates, verdict: overallVerdict(certificates) };
}

/** A parser that returns the same object for the same bytes object. */
function memoizedParser(parse: CertificateParser): CertificateParser {
  const seen = new Map<Uint8Array, CertificateParse>();
  return (der) => {
    let parsed = seen.get(der);
    if (parsed === undefined) {
      parsed = parse(der);
      seen.set(der, parsed);
    }
    return parsed;
  };
}

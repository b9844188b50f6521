/**
 * What the PKI show commands and the trustpoint check read: every trustpoint with its parsed
 * certificates and, when one matches the current chain, the latest evaluation. Plain data.
 */
import type { CertificateConfig, RunningConfig, TrustpointConfig } from "../../config/model.js";
import type { CertificateParse } from "./certificateInfo.js";
import type { CertificateParser, TrustpointEvaluation } from "./trustpointEvaluation.js";

export interface CertificateView {
  readonly entry: CertificateConfig;
  readonly parse: CertificateParse;
}

export interface TrustpointView {
  readonly config: TrustpointConfig;
  /** The chain's certificates in configuration order. */
  readonly certificates: readonly CertificateView[];
  /** Undefined while the current chain has not been evaluated yet. */
  readonly evaluation?: TrustpointEvaluation;
}

export interface PkiSnapshot {
  /** In configuration order. */
  readonly trustpoints: readonly TrustpointView[];
}

/** The evaluation was made of exactly these certificates (the chain has not changed since). */
function evaluationMatches(evaluation: TrustpointEvaluation, chain: readonly CertificateConfig[]): boolean {
  if (evaluation.certificates.length !== chain.length) return false;
  return evaluation.certificates.every((c, i) => {
    const entry = chain[i];
    return entry !== undefined && c.entry.kind === entry.kind && Buffer.from(c.entry.der).equals(entry.der);
  });
}

export function pkiSnapshotOf(
  config: RunningConfig,
  parse: CertificateParser,
  evaluations: ReadonlyMap<string, TrustpointEvaluation> = new Map(),
): PkiSnapshot {
  const trustpoints: TrustpointView[] = [];
  for (const tp of config.trustpoints.values()) {
    const chain = config.certificateChains.get(tp.name) ?? [];
    const certificates = chain.map((entry) => ({ entry, parse: parse(entry.der) }));
    const evaluation = evaluations.get(tp.name);
    trustpoints.push({
      config: tp,
      certificates,
      ...(evaluation && evaluationMatches(evaluation, chain) ? { evaluation } : {}),
    });
  }
  return { trustpoints };
}

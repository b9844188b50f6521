/**
 * The gateway's question before it brings a tunnel up: is the clock authoritative, and is this
 * trustpoint's chain valid right now? Backs the Meridian extension `verify crypto pki trustpoint
 * NAME` (grammar/pki-exec.yaml), usable over the SSH exec channel: a failure is one line starting
 * `% `, which makes the command fail. Pure: the snapshot and the clock reading are parameters.
 *
 * The chain verdict comes from the last pkijs evaluation; the validity periods of every
 * certificate on the validated paths are checked again at `nowMs`, so a certificate that expired
 * since that evaluation fails here at once.
 */
import type { TimeSource } from "../clock/softwareClock.js";
import type { ZoneSpec } from "../clock/timeZone.js";
import type { CertificateInfo } from "./certificateInfo.js";
import { formatPkiDate } from "./pkiDate.js";
import type { PkiSnapshot } from "./pkiSnapshot.js";
import type { TrustpointVerdict } from "./trustpointEvaluation.js";
import { describeVerdict } from "./verdictText.js";

export interface TrustpointCheckInput {
  readonly name: string;
  readonly snapshot: PkiSnapshot;
  /** SoftwareClock time, UTC ms. */
  readonly nowMs: number;
  readonly authoritative: boolean;
  readonly source: TimeSource;
  readonly zone: ZoneSpec;
}

export interface TrustpointCheck {
  readonly ok: boolean;
  readonly lines: readonly string[];
}

const SOURCE_NAMES: Readonly<Record<TimeSource, string>> = {
  none: "no time source",
  calendar: "hardware calendar",
  user: "user configuration",
  ntp: "NTP",
};

function fail(name: string, reason: string): TrustpointCheck {
  return { ok: false, lines: [`% Trustpoint ${name}: ${reason}`] };
}

/** The first certificate on a validated path whose own validity does not cover `nowMs`. */
function dateFailureNow(
  paths: readonly (readonly CertificateInfo[])[],
  nowMs: number,
): TrustpointVerdict | undefined {
  for (const path of paths) {
    for (const certificate of path) {
      if (nowMs < certificate.notBeforeMs) return { kind: "not-yet-valid", certificate };
      if (nowMs > certificate.notAfterMs) return { kind: "expired", certificate };
    }
  }
  return undefined;
}

export function checkTrustpointNow(input: TrustpointCheckInput): TrustpointCheck {
  const { name, zone, nowMs } = input;
  const tp = input.snapshot.trustpoints.find((t) => t.config.name === name);
  if (!tp) return { ok: false, lines: [`% Trustpoint ${name} does not exist`] };
  if (!input.authoritative)
    return fail(name, "the system clock is not authoritative; certificate validity cannot be established");
  if (tp.certificates.length === 0) return fail(name, describeVerdict({ kind: "no-certificate" }, zone));
  const evaluation = tp.evaluation;
  if (!evaluation?.authoritative) return fail(name, "validation in progress; try again");
  if (evaluation.verdict.kind !== "valid") return fail(name, describeVerdict(evaluation.verdict, zone));
  const deciding = evaluation.certificates.filter((c) => c.entry.kind !== "rollover");
  const paths = deciding.map((c) => c.path);
  const stale = dateFailureNow(paths, nowMs);
  if (stale) return fail(name, describeVerdict(stale, zone));
  const validUntil = Math.min(...paths.flat().map((c) => c.notAfterMs));
  return {
    ok: true,
    lines: [
      `Trustpoint ${name}: certificate chain is valid at ${formatPkiDate(nowMs, zone)} (time source is ${SOURCE_NAMES[input.source]})`,
      `  Chain valid until ${formatPkiDate(validUntil, zone)}`,
    ],
  };
}

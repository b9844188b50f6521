/**
 * Verdicts in words, shared by `show crypto pki trustpoints status` and the trustpoint check,
 * in the vocabulary of IOS's %PKI-3-CERTIFICATE_INVALID_* messages (ios-cli.md §2.8).
 */
import type { ZoneSpec } from "../clock/timeZone.js";
import { formatPkiDate } from "./pkiDate.js";
import type { TrustpointVerdict } from "./trustpointEvaluation.js";

export function describeVerdict(verdict: TrustpointVerdict, zone: ZoneSpec): string {
  switch (verdict.kind) {
    case "valid":
      return "certificate chain is valid";
    case "expired":
      return `certificate (SN: ${verdict.certificate.serial}) has expired; validity period ended on ${formatPkiDate(verdict.certificate.notAfterMs, zone)}`;
    case "not-yet-valid":
      return `certificate (SN: ${verdict.certificate.serial}) is not yet valid; validity period starts on ${formatPkiDate(verdict.certificate.notBeforeMs, zone)}`;
    case "non-ca-issuer":
      return verdict.issuer
        ? `issuing certificate (SN: ${verdict.issuer.serial}) is not a CA certificate`
        : "an issuing certificate is not a CA certificate";
    case "no-path":
      return `no valid certificate path to a trusted CA (${verdict.reason})`;
    case "unparseable":
      return `certificate cannot be parsed (${verdict.reason})`;
    case "no-certificate":
      return "no certificate (the CA has not been authenticated)";
  }
}

/**
 * Parsed certificates by content, so re-validating every chain when the clock moves does not
 * re-parse DER that has not changed. Entries not used by the last configuration are pruned.
 */
import { type CertificateParse, parseCertificate } from "./certificateInfo.js";

export class CertificateCache {
  private entries = new Map<string, CertificateParse>();
  private used = new Set<string>();

  /** The parse of `der`, from the cache when the same bytes were parsed before. */
  readonly parse = (der: Uint8Array): CertificateParse => {
    const key = Buffer.from(der).toString("base64");
    this.used.add(key);
    let parsed = this.entries.get(key);
    if (parsed === undefined) {
      parsed = parseCertificate(der);
      this.entries.set(key, parsed);
    }
    return parsed;
  };

  /** Drop entries not parsed since the previous prune. */
  prune(): void {
    for (const key of this.entries.keys()) if (!this.used.has(key)) this.entries.delete(key);
    this.used = new Set();
  }
}

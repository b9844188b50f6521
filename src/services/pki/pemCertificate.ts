/**
 * A certificate pasted at the terminal (`crypto pki authenticate`, `crypto pki import ...
 * certificate`): base64, with or without the PEM armour of RFC 7468 §2, decoded to DER.
 */

export type PastedCertificate = { ok: true; der: Uint8Array } | { ok: false; reason: string };

const PEM_BEGIN = /^-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----$/;
const PEM_END = /^-----END (?:X509 |TRUSTED )?CERTIFICATE-----$/;
const BASE64_LINE = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decode pasted lines. Text before `-----BEGIN CERTIFICATE-----` and after the END line is
 * ignored (RFC 7468 §2 explanatory text); without armour every line must be base64.
 */
export function decodePastedCertificate(lines: readonly string[]): PastedCertificate {
  const trimmed = lines.map((l) => l.trim()).filter((l) => l.length > 0);
  const begin = trimmed.findIndex((l) => PEM_BEGIN.test(l));
  let body = trimmed;
  if (begin >= 0) {
    const end = trimmed.findIndex((l, i) => i > begin && PEM_END.test(l));
    if (end < 0) return { ok: false, reason: "no -----END CERTIFICATE----- line" };
    body = trimmed.slice(begin + 1, end);
  }
  const bad = body.find((l) => !BASE64_LINE.test(l));
  if (bad !== undefined) return { ok: false, reason: `'${bad}' is not base64` };
  const text = body.join("");
  if (text.length === 0) return { ok: false, reason: "no data" };
  if (text.length % 4 !== 0) return { ok: false, reason: "truncated base64" };
  return { ok: true, der: Uint8Array.from(Buffer.from(text, "base64")) };
}

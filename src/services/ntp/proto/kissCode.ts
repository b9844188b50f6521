/**
 * Kiss codes and ASCII reference identifiers.
 *
 * A packet with stratum 0 carries a four-character ASCII "kiss code" in its reference id
 * (RFC 5905 §7.4); a stratum-1 server puts its reference source there (`GPS`, `PPS`, IOS `LOCL`),
 * left-justified and zero-padded. Both are the same u32 encoding, so one pair of helpers serves both.
 */

/** Packs up to four ASCII characters into a u32 reference id, left-justified, zero-padded. */
export function refIdFromAscii(text: string): number {
  if (text.length > 4) throw new RangeError(`reference id "${text}" is longer than 4 characters`);
  let value = 0;
  for (let i = 0; i < 4; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 0;
    if (code > 0x7f) throw new RangeError(`reference id "${text}" is not ASCII`);
    value = value * 256 + code;
  }
  return value;
}

/**
 * Renders a u32 reference id as ASCII, dropping trailing NULs. Returns undefined if any byte
 * before the padding is not printable ASCII, so callers can fall back to a dotted quad.
 */
export function refIdToAscii(refId: number): string | undefined {
  let text = "";
  let padding = false;
  for (let shift = 24; shift >= 0; shift -= 8) {
    const code = (refId >>> shift) & 0xff;
    if (code === 0) {
      padding = true;
      continue;
    }
    if (padding || code < 0x20 || code > 0x7e) return undefined;
    text += String.fromCharCode(code);
  }
  return text;
}

/** Kiss codes of RFC 5905 §7.4, plus NTSN of RFC 8915 §5.7. */
export const KissCode = {
  /** The association belongs to an anycast server. */
  ACST: refIdFromAscii("ACST"),
  /** Server authentication failed. */
  AUTH: refIdFromAscii("AUTH"),
  /** Autokey sequence failed. */
  AUTO: refIdFromAscii("AUTO"),
  /** The association belongs to a broadcast server. */
  BCST: refIdFromAscii("BCST"),
  /** Cryptographic authentication or identification failed. */
  CRYP: refIdFromAscii("CRYP"),
  /** Access denied by remote server. */
  DENY: refIdFromAscii("DENY"),
  /** Lost peer in symmetric mode. */
  DROP: refIdFromAscii("DROP"),
  /** Access denied due to local policy. */
  RSTR: refIdFromAscii("RSTR"),
  /** The association has not yet synchronized for the first time. */
  INIT: refIdFromAscii("INIT"),
  /** The association belongs to a dynamically discovered server. */
  MCST: refIdFromAscii("MCST"),
  /** No key found: either the key was never installed or is not trusted. */
  NKEY: refIdFromAscii("NKEY"),
  /** Rate exceeded: the server has temporarily denied access because the client exceeded the rate threshold. */
  RATE: refIdFromAscii("RATE"),
  /** Alteration of association from a remote host running ntpdc. */
  RMOT: refIdFromAscii("RMOT"),
  /** A step change in system time has occurred, but the association has not yet resynchronized. */
  STEP: refIdFromAscii("STEP"),
  /** NTS negative acknowledgment: the server could not decrypt the cookie or verify the request (RFC 8915 §5.7). */
  NTSN: refIdFromAscii("NTSN"),
} as const;
export type KissCodeName = keyof typeof KissCode;

/** The kiss code name for a reference id, or undefined if it is not one of the codes above. */
export function kissCodeName(refId: number): KissCodeName | undefined {
  for (const name of Object.keys(KissCode) as KissCodeName[]) {
    if (KissCode[name] === refId) return name;
  }
  return undefined;
}

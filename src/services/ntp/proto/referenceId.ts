/**
 * Reference identifiers of the client side: the refid we advertise for our system peer
 * (RFC 5905 §7.3: its IPv4 address, or the first four octets of the MD5 hash of its IPv6
 * address) and how IOS shows a source's refid in `show ntp associations` (ios-cli.md §2.1:
 * a dotted quad for stratum 2 and above, `.CODE.` for kiss codes and stratum-1 references).
 */
import { createHash } from "node:crypto";
import { parseIpv4, parseIpv6 } from "./ipAddress.js";
import { refIdToAscii } from "./kissCode.js";

/** The u32 refid for a system peer at `address` (RFC 5905 §7.3). */
export function referenceIdForAddress(address: string): number {
  const v4 = parseIpv4(address);
  if (v4 !== undefined) return v4;
  const v6 = parseIpv6(address);
  if (v6 === undefined) return 0;
  return createHash("md5").update(v6).digest().readUInt32BE(0);
}

/** `10.0.0.1` for a u32 refid. */
export function dottedQuad(refId: number): string {
  return [24, 16, 8, 0].map((shift) => (refId >>> shift) & 0xff).join(".");
}

/**
 * The ref-clock column for a source at `stratum` advertising `refId`: ASCII in dots for
 * stratum 0 (kiss codes) and 1 (`.GPS.`, `.LOCL.`), an address otherwise; `.INIT.` for an
 * all-zero refid from a server that is not synchronized (chrony sends zero there).
 */
export function displayReferenceId(stratum: number, refId: number): string {
  if (stratum <= 1) {
    if (refId === 0) return ".INIT.";
    const ascii = refIdToAscii(refId);
    if (ascii !== undefined) return `.${ascii}.`;
  }
  return dottedQuad(refId);
}

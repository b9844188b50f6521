/**
 * Classifies the MAC of a request (RFC 5905 §7.3, RFC 8573) the way RFC 5905's receive()
 * does (Appendix A.5.1): no MAC, a crypto-NAK, a MAC that verifies, or one that does not. An
 * unknown or untrusted key id is a failure like a wrong digest (RFC 5905 cannot tell them apart
 * either: both fail `md5(r->keyid)`); they are kept apart here only for the counters.
 */
import type { SymmetricKey } from "./mac.js";
import { isCryptoNak, type NtpPacket, type PacketLayout } from "./packet.js";
import { verifyPacketMac } from "./packetMac.js";

export type RequestAuthentication =
  | { readonly kind: "none" }
  | { readonly kind: "crypto-nak" }
  | { readonly kind: "unknown-key" }
  | { readonly kind: "bad-mac" }
  /** Verified; the response is signed with `key`, truncated to the request's `digestLength`. */
  | { readonly kind: "verified"; readonly key: SymmetricKey; readonly digestLength: number };

const NONE: RequestAuthentication = Object.freeze({ kind: "none" });
const CRYPTO_NAK_RECEIVED: RequestAuthentication = Object.freeze({ kind: "crypto-nak" });
const UNKNOWN_KEY: RequestAuthentication = Object.freeze({ kind: "unknown-key" });
const BAD_MAC: RequestAuthentication = Object.freeze({ kind: "bad-mac" });

/** Checks the request's MAC against the trusted keys. */
export function authenticateRequest(
  decoded: { readonly packet: NtpPacket; readonly layout: PacketLayout },
  trustedKeys: ReadonlyMap<number, SymmetricKey>,
): RequestAuthentication {
  const mac = decoded.packet.mac;
  if (mac === undefined) return NONE;
  if (isCryptoNak(mac)) return CRYPTO_NAK_RECEIVED;
  const key = trustedKeys.get(mac.keyId);
  if (key === undefined) return UNKNOWN_KEY;
  if (!verifyPacketMac(decoded, key)) return BAD_MAC;
  return { kind: "verified", key, digestLength: mac.digest.length };
}

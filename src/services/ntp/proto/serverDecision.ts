/**
 * What the server decided about one datagram, with the reason. Every decision is counted
 * (`serverStats.ts`), so the statistics are a by-product of the decisions, as in ntpd-rs's
 * `ServerStatHandler`.
 */
import type { DecodeRejectReason } from "./packet.js";

/** Why a response was sent; each maps to exactly one response mode. */
export type ResponseReason =
  /** Mode 4 answer to a client request (RFC 5905 §9.2 fast_xmit). */
  | "server"
  /** Mode 2 answer to a symmetric-active packet from an allowed peer. */
  | "passive"
  /** Mode 6 answer, including error answers (RFC 9327). */
  | "control"
  /** Kiss-o'-death DENY: the source may not use this service (RFC 5905 §7.4). */
  | "kod-deny"
  /** Kiss-o'-death RSTR: the source may get time but not peer with this box. */
  | "kod-rstr"
  /** Kiss-o'-death RATE: the source is over its rate limit. */
  | "kod-rate"
  /** Crypto-NAK: the MAC did not verify under a trusted key (RFC 5905 Appendix A.5.1). */
  | "crypto-nak-bad-mac"
  /** Crypto-NAK: the MAC names a key id that is not trusted (or not configured). */
  | "crypto-nak-unknown-key";

/** Why a datagram was dropped without an answer. */
export type DropReason =
  /** The packet codec rejected the datagram (see `DecodeRejectReason`). */
  | Exclude<DecodeRejectReason, "unsupported-mode">
  /**
   * Modes 0, 2, 4, 5: not requests. (chrony also answers NTPv1 mode-0 packets from a port other
   * than 123 as client requests; this core does not see ports, so it does not.)
   */
  | "mode-not-served"
  /** Mode 7 (ntpdc private): never answered (monlist amplification, CVE-2013-5211). */
  | "mode-private"
  /** The source's access level does not cover this request, and its group has no `kod`. */
  | "access-denied"
  /** Symmetric active from a source that may get time but not peer, without `kod`. */
  | "peering-not-permitted"
  /** Symmetric active from an allowed source that is neither a configured peer nor `ntp passive`. */
  | "peering-not-configured"
  /** Over the rate limit (and not the one-in-2^leak that gets a RATE kiss-o'-death). */
  | "rate-limited"
  /** No MAC while the policy requires authentication. */
  | "authentication-required"
  /** The request itself carries a crypto-NAK: there is nothing to answer. */
  | "crypto-nak-received"
  /** The request carries NTS extension fields; NTS is served by the NTS layer, not here. */
  | "nts-unavailable"
  /** Mode-6 query while `ntp allow mode control` is off. */
  | "control-disabled"
  /** Mode-6 datagram that is not a well-formed request. */
  | "control-malformed"
  /** Defensive: the answer would be longer than the request (never expected; see server.ts). */
  | "response-too-large";

/** Response modes the server sends. */
export type ResponseMode = 2 | 4 | 6;

/** The outcome of `NtpServer.handle`. */
export type ServerDecision =
  | {
      readonly action: "respond";
      /** Octets of the response written at the start of the caller's buffer. */
      readonly length: number;
      readonly mode: ResponseMode;
      readonly reason: ResponseReason;
      /** Whether the response carries a MAC under the request's (verified) key. */
      readonly authenticated: boolean;
    }
  | { readonly action: "ignore"; readonly reason: DropReason };

/** Every drop reason, for counters and exhaustive tests. */
export const DROP_REASONS: readonly DropReason[] = Object.freeze([
  "too-short",
  "length-not-word-aligned",
  "unsupported-version",
  "malformed-extension-field",
  "malformed-mac",
  "mode-not-served",
  "mode-private",
  "access-denied",
  "peering-not-permitted",
  "peering-not-configured",
  "rate-limited",
  "authentication-required",
  "crypto-nak-received",
  "nts-unavailable",
  "control-disabled",
  "control-malformed",
  "response-too-large",
]);

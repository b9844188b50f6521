/**
 * What the NTP server is allowed to do, as data: the access levels of IOS `ntp access-group`,
 * trusted keys, rate limits, passive peering and mode-6 control. The config layer builds a
 * `ServerPolicy` from the running-config; the server never parses configuration.
 */
import type { SymmetricKey } from "./mac.js";

/**
 * Access a source address has (ios-cli.md §1.4). `unrestricted` is the state with no access-group
 * configured: everything is allowed. As soon as any group is configured, a source that matches
 * none gets `none`. Precedence between groups (peer → serve → serve-only → query-only, first
 * permitting list wins) is resolved by the config layer, before the server sees the level.
 */
export type AccessLevel = "unrestricted" | "peer" | "serve" | "serve-only" | "query-only" | "none";

/** The access decision for one source: its level and whether denied packets get a Kiss-o'-Death. */
export interface AccessDecision {
  readonly level: AccessLevel;
  /** IOS `ntp access-group ... kod`: answer denied time requests with a DENY kiss code. */
  readonly kod: boolean;
}

/**
 * Token-bucket parameters, log2 seconds. Modelled on chrony `ratelimit interval burst leak`
 * (clientlog.c) and NTPsec `limit`: a source may send `burst` requests back to back, then one per
 * 2^intervalLog2 seconds on average.
 */
export interface ControlRateLimit {
  /** Mean interval between answered requests, log2 seconds. */
  readonly intervalLog2: number;
  /** Requests allowed back to back before limiting starts (bucket capacity). */
  readonly burst: number;
}

/** Rate limit for time requests: a token bucket plus the RATE kiss-o'-death leak. */
export interface RateLimitSettings extends ControlRateLimit {
  /**
   * One limited request in 2^leakLog2 is answered with a RATE kiss-o'-death instead of being
   * dropped, so a real client learns to slow down while a spoofed flood gets little back.
   */
  readonly leakLog2: number;
}

/**
 * Mode-6 queries are answered with up to 480 octets for a 12-octet request, so they are always
 * rate limited, even when time requests are not: 4 back to back, then one every 2 s. IOS
 * `ntp allow mode control DELAY` has the same purpose; the config layer may map DELAY here.
 */
export const DEFAULT_CONTROL_RATE_LIMIT: ControlRateLimit = Object.freeze({ intervalLog2: 1, burst: 4 });

/** Everything the server needs to decide what to do with a packet. */
export interface ServerPolicy {
  /** Access for a source address (the datagram's source IP as text). Called once per packet. */
  access(clientAddress: string): AccessDecision;
  /**
   * Trusted keys by key id (`ntp authentication-key` ∩ `ntp trusted-key`). A request whose MAC uses
   * any other key id fails authentication.
   */
  readonly keys: ReadonlyMap<number, SymmetricKey>;
  /**
   * Serve only requests with a valid MAC from a trusted key. IOS: with `ntp authenticate` the box
   * is reported to serve only authenticated clients (ios-cli.md §1.3, unverified), so the config
   * layer decides; RFC 5905's equivalent is the P_NOTRUST restriction (Appendix A.5.1).
   */
  readonly requireAuthentication: boolean;
  /** IOS XE `ntp passive`: answer symmetric-active packets from any source allowed to peer. */
  readonly passive: boolean;
  /** Addresses of configured `ntp peer`s, answered in symmetric passive mode even without `passive`. */
  readonly peers: ReadonlySet<string>;
  /** IOS `ntp allow mode control`: answer mode-6 (ntpq) queries. */
  readonly allowControl: boolean;
  /** Rate limit for mode-6 queries; `DEFAULT_CONTROL_RATE_LIMIT` when absent. */
  readonly controlRateLimit?: ControlRateLimit | undefined;
  /** Rate limit for time requests; absent = off (as in chrony and ntpd-rs). */
  readonly rateLimit?: RateLimitSettings | undefined;
}

/** Whether `level` may get time (modes 3 and 1): ios-cli.md §1.4, `peer`, `serve`, `serve-only`. */
export function permitsTime(level: AccessLevel): boolean {
  return level === "unrestricted" || level === "peer" || level === "serve" || level === "serve-only";
}

/** Whether `level` may send mode-6 control queries: `peer`, `serve`, `query-only`. */
export function permitsControl(level: AccessLevel): boolean {
  return level === "unrestricted" || level === "peer" || level === "serve" || level === "query-only";
}

/** Whether `level` may be a symmetric peer of this box: `peer` only ("Provide full access"). */
export function permitsPeering(level: AccessLevel): boolean {
  return level === "unrestricted" || level === "peer";
}

/**
 * What the NTP client is told to do, as data: the `ntp server` / `ntp peer` lines, the keys,
 * `ntp authenticate` and `ntp master` (ios-cli.md §1.1-1.3). The config layer builds it from the
 * running-config after resolving host names; the client never parses configuration.
 */
import { canonicalAddress } from "./ipAddress.js";
import type { SymmetricKey } from "./mac.js";
import { NTP_PORT, NTP_VERSION } from "./protocolConstants.js";

/** One `ntp server` (client mode, 3) or `ntp peer` (symmetric active, 1) association. */
export interface AssociationConfig {
  readonly kind: "server" | "peer";
  /** IPv4 or IPv6 literal; host names are resolved before they reach the core. */
  readonly address: string;
  /** Remote UDP port; the `port` extension, default 123. */
  readonly port?: number | undefined;
  /** `key N`: sign requests with this key and require it on replies. */
  readonly keyId?: number | undefined;
  readonly prefer?: boolean | undefined;
  /** `version 1-4`, default 4. */
  readonly version?: number | undefined;
  /** `minpoll` / `maxpoll`, log2 seconds 4..17, defaults 6 and 10 (ios-cli.md §1.1). */
  readonly minpoll?: number | undefined;
  readonly maxpoll?: number | undefined;
  /** Eight packets per poll while reachable. */
  readonly burst?: boolean | undefined;
  /** Eight packets per poll while unreachable (fast first synchronization). */
  readonly iburst?: boolean | undefined;
}

export interface ClientConfig {
  readonly associations: readonly AssociationConfig[];
  /** Trusted keys by id (`ntp authentication-key` ∩ `ntp trusted-key`). */
  readonly keys: ReadonlyMap<number, SymmetricKey>;
  /** `ntp authenticate`: synchronize only to sources whose replies carry a valid MAC. */
  readonly authenticate: boolean;
  /** `ntp master N`: the local clock is the fallback source at stratum N (1..15). */
  readonly masterStratum?: number | undefined;
}

/** IOS defaults for `minpoll` and `maxpoll` (ios-cli.md §1.1). */
export const DEFAULT_MINPOLL_LOG2 = 6;
export const DEFAULT_MAXPOLL_LOG2 = 10;

/** An association's options with the defaults filled in and the poll range made consistent. */
export interface ResolvedAssociationConfig {
  readonly kind: "server" | "peer";
  readonly address: string;
  readonly port: number;
  readonly keyId: number | undefined;
  readonly prefer: boolean;
  readonly version: number;
  readonly minpoll: number;
  readonly maxpoll: number;
  readonly burst: boolean;
  readonly iburst: boolean;
}

export function resolveAssociationConfig(config: AssociationConfig): ResolvedAssociationConfig {
  const minpoll = config.minpoll ?? DEFAULT_MINPOLL_LOG2;
  return {
    kind: config.kind,
    address: config.address,
    port: config.port ?? NTP_PORT,
    keyId: config.keyId,
    prefer: config.prefer ?? false,
    version: config.version ?? NTP_VERSION,
    minpoll,
    // IOS accepts `minpoll 10 maxpoll 6`; ntpd then polls at minpoll, and so do we.
    maxpoll: Math.max(minpoll, config.maxpoll ?? DEFAULT_MAXPOLL_LOG2),
    burst: config.burst ?? false,
    iburst: config.iburst ?? false,
  };
}

/** Identity of an association across config updates: the same remote endpoint and mode. */
export function associationKey(config: { kind: string; address: string; port?: number | undefined }): string {
  return `${config.kind}|${endpointKey(config.address, config.port ?? NTP_PORT)}`;
}

/** The remote endpoint a datagram comes from, in the form associations are looked up by. */
export function endpointKey(address: string, port: number): string {
  return `${canonicalAddress(address)}|${port}`;
}

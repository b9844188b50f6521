/**
 * The typed running configuration. Commands apply to it, `no` forms undo, the renderer prints
 * it back in IOS order; services receive it and reconcile. Maps keep entry order (IOS prints
 * servers, users and ACLs in the order they were entered).
 */
import type { SummerTimeConfig, TimeZoneConfig } from "./clockZone.js";
import type { SecretType } from "./secretHash.js";

export type MacAlgorithmName = "md5" | "sha1" | "sha2" | "cmac-aes-128" | "hmac-sha1" | "hmac-sha2-256";

export interface NtpAssociationConfig {
  readonly kind: "server" | "peer";
  readonly vrf?: string;
  /** `ip` / `ipv6` forced resolution for a hostname. */
  readonly resolve?: "ip" | "ipv6";
  readonly address: string;
  readonly burst: boolean;
  readonly iburst: boolean;
  readonly key?: number;
  readonly minpoll?: number;
  readonly maxpoll?: number;
  readonly normalSync: boolean;
  readonly prefer: boolean;
  readonly source?: string;
  readonly version?: number;
  /** Extension: UDP port of the remote (default 123). */
  readonly port?: number;
}

export interface NtpKeyConfig {
  readonly id: number;
  readonly algorithm: MacAlgorithmName;
  /** The key in clear; always rendered in type-7 form. */
  readonly secret: string;
  /** The type-7 text as typed or pasted, printed back unchanged. */
  readonly encoded?: string;
}

export type NtpAccessType = "peer" | "query-only" | "serve" | "serve-only";

export interface NtpAccessGroupConfig {
  readonly family: "ipv4" | "ipv6";
  readonly type: NtpAccessType;
  readonly acl: string;
  readonly kod: boolean;
}

export interface NtpRateLimitConfig {
  /** log2 of the average interval between a client's packets, seconds. */
  readonly intervalLog2: number;
  readonly burst: number;
  /** One in 2^leakLog2 limited packets is answered with a RATE KoD; 0 = every one. */
  readonly leakLog2: number;
}

export interface NtpConfig {
  /** Key = `vrf|address`. */
  readonly associations: Map<string, NtpAssociationConfig>;
  master?: number;
  authenticate: boolean;
  readonly keys: Map<number, NtpKeyConfig>;
  readonly trustedKeys: Set<number>;
  /** Key = `family|type`. */
  readonly accessGroups: Map<string, NtpAccessGroupConfig>;
  source?: string;
  updateCalendar: boolean;
  logging: boolean;
  maxAssociations?: number;
  orphan?: number;
  passive: boolean;
  /** `ntp allow mode control [DELAY]`: undefined = off. */
  allowControl?: number;
  allowPrivate: boolean;
  broadcastDelay?: number;
  clockPeriod?: number;
  maxDistance?: number;
  minDistance?: number;
  panicUpdate: boolean;
  leapHandle: boolean;
  /** undefined = the defaults (on); null = `no ntp rate-limit` (off). */
  rateLimit?: NtpRateLimitConfig | null;
}

export interface TimestampsConfig {
  readonly kind: "uptime" | "datetime";
  readonly msec: boolean;
  readonly localtime: boolean;
  readonly showTimezone: boolean;
  readonly year: boolean;
}

export type SyslogLevel = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface LoggingHostConfig {
  readonly host: string;
  readonly vrf?: string;
  readonly transport: "udp" | "tcp";
  readonly port: number;
  /** Entered as the legacy `logging A.B.C.D` form (kept only for diagnostics; nvgen is modern). */
}

export interface LoggingConfig {
  /** undefined = buffered logging at defaults; null = `no logging buffered`. */
  buffered: { size: number; level: SyslogLevel } | null;
  trap: SyslogLevel;
  facility: string;
  /** null = `no logging console`. */
  console: SyslogLevel | null;
  monitor: SyslogLevel | null;
  sourceInterface?: { iface: string; vrf?: string };
  originId?: { kind: "hostname" | "ip" | "string"; value?: string };
  readonly hosts: Map<string, LoggingHostConfig>;
}

/**
 * A stored secret or password. For `secret` types 5, 8 and 9 `value` is the hash string
 * (`$9$SALT$HASH`). For `password` types `value` is always the plaintext: type 0 prints as
 * typed (or as type 7 once `service password-encryption` is on), type 7 means "prints
 * encrypted" and stays so even after `no service password-encryption`, as on IOS.
 */
export interface SecretConfig {
  readonly type: SecretType | 7;
  readonly value: string;
  /** A type-7 text as it was typed or pasted, printed back unchanged (IOS keeps it as entered). */
  readonly encoded?: string;
}

export interface UserConfig {
  readonly name: string;
  readonly privilege: number;
  readonly secret?: SecretConfig;
  /** `password` (type 0 or 7) rather than `secret`. */
  readonly password?: SecretConfig;
  readonly nopassword: boolean;
}

export interface LineConfig {
  readonly kind: "con" | "vty";
  readonly first: number;
  readonly last: number;
  execTimeout?: { minutes: number; seconds: number };
  password?: SecretConfig;
  loggingSynchronous: boolean;
  login?: "line" | "local";
  transportInput?: string[];
  accessClass?: string;
  privilegeLevel?: number;
}

export interface AclEntry {
  readonly sequence: number;
  readonly action: "permit" | "deny" | "remark";
  /** Address, or "any"; for remarks, the text. */
  readonly source: string;
  readonly wildcard?: string;
  readonly log: boolean;
}

export interface AccessListConfig {
  readonly name: string;
  readonly named: boolean;
  readonly entries: AclEntry[];
}

export interface InterfaceConfig {
  readonly name: string;
  description?: string;
  address?: { address: string; mask: string };
  readonly secondary: { address: string; mask: string }[];
  shutdown: boolean;
}

export interface TrustpointConfig {
  readonly name: string;
  enrollment?: { kind: "selfsigned" | "terminal" | "url" | "pkcs12"; pem?: boolean; url?: string };
  serialNumber?: "none" | "include";
  fqdn?: string;
  ipAddress?: string;
  subjectName?: string;
  revocationCheck?: ("crl" | "none" | "ocsp")[];
  rsakeypair?: { label: string; size?: number };
  chainValidation?: { kind: "stop" | "continue"; parent?: string };
  hash?: "sha256";
  autoEnroll?: { percent?: number; regenerate: boolean };
}

export interface CertificateConfig {
  readonly kind: "ca" | "self-signed" | "rollover" | "certificate";
  /** Serial number in upper-case hex as typed in the config. */
  readonly serial: string;
  readonly der: Uint8Array;
}

export interface SshPubkeyUser {
  readonly name: string;
  /** `key-hash ALG HASH [NAME]`: HASH is the upper-case hex MD5 of the key blob, NAME its comment. */
  readonly keys: { algorithm: string; hash: string; name?: string }[];
}

export interface RunningConfig {
  hostname: string;
  domainName?: string;
  timestampsDebug: TimestampsConfig | null;
  timestampsLog: TimestampsConfig | null;
  sequenceNumbers: boolean;
  passwordEncryption: boolean;
  /** `enable secret` (level 15): always hashed, type 5, 8 or 9. */
  enableSecret?: SecretConfig;
  /** `enable password` (level 15): type 0 or 7, value in clear (see SecretConfig). */
  enablePassword?: SecretConfig;
  readonly users: Map<string, UserConfig>;
  timezone?: TimeZoneConfig;
  summerTime?: SummerTimeConfig;
  /**
   * `clock summer-time NAME recurring` was typed without its rule (US default): nvgen prints the
   * bare form back, as in the [R] sample `clock summer-time CEST recurring` (ios-cli.md §1.6).
   */
  summerTimeBareRecurring?: boolean;
  calendarValid: boolean;
  readonly ntp: NtpConfig;
  readonly logging: LoggingConfig;
  readonly trustpoints: Map<string, TrustpointConfig>;
  readonly certificateChains: Map<string, CertificateConfig[]>;
  readonly lines: LineConfig[];
  sshVersion?: number;
  sshTimeout?: number;
  sshRetries?: number;
  readonly sshPubkeyUsers: Map<string, SshPubkeyUser>;
  sshPubkeyChain: boolean;
  loginBlock?: { seconds: number; attempts: number; within: number };
  readonly accessLists: Map<string, AccessListConfig>;
  readonly interfaces: Map<string, InterfaceConfig>;
}

/** Defaults: the factory config of ios-cli.md §1.7 (`service timestamps ... datetime msec`). */
export const DEFAULT_TIMESTAMPS: TimestampsConfig = {
  kind: "datetime",
  msec: true,
  localtime: false,
  showTimezone: false,
  year: false,
};

export const DEFAULT_BUFFER_SIZE = 4096;
export const DEFAULT_TRAP_LEVEL: SyslogLevel = 6;
export const DEFAULT_FACILITY = "local7";
export const DEFAULT_HOSTNAME = "Router";

export function emptyNtpConfig(): NtpConfig {
  return {
    associations: new Map(),
    authenticate: false,
    keys: new Map(),
    trustedKeys: new Set(),
    accessGroups: new Map(),
    updateCalendar: false,
    logging: false,
    passive: false,
    allowPrivate: false,
    panicUpdate: false,
    leapHandle: false,
  };
}

/** A configuration with nothing configured (what `erase startup-config` + reload gives). */
export function emptyConfig(): RunningConfig {
  return {
    hostname: DEFAULT_HOSTNAME,
    timestampsDebug: DEFAULT_TIMESTAMPS,
    timestampsLog: DEFAULT_TIMESTAMPS,
    sequenceNumbers: false,
    passwordEncryption: false,
    users: new Map(),
    calendarValid: false,
    ntp: emptyNtpConfig(),
    logging: {
      buffered: { size: DEFAULT_BUFFER_SIZE, level: 7 },
      trap: DEFAULT_TRAP_LEVEL,
      facility: DEFAULT_FACILITY,
      console: 7,
      monitor: 7,
      hosts: new Map(),
    },
    trustpoints: new Map(),
    certificateChains: new Map(),
    lines: [
      { kind: "con", first: 0, last: 0, loggingSynchronous: false },
      { kind: "vty", first: 0, last: 4, loggingSynchronous: false, login: "line" },
    ],
    sshPubkeyUsers: new Map(),
    sshPubkeyChain: false,
    accessLists: new Map(),
    interfaces: new Map(),
  };
}

/** A deep copy, for handing a snapshot to services. */
export function cloneConfig(config: RunningConfig): RunningConfig {
  return structuredClone(config);
}

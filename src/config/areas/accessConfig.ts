/**
 * Who may reach the device and how: terminal lines, SSH options and public keys, standard
 * IPv4 access lists and interfaces (ios-cli.md §1.10, §1.11), with their nvgen (§2.9, §2.10).
 *
 * Sections: lines · SSH · ACLs · interfaces · nvgen. ACL evaluation ({@link aclPermits}) lives
 * here too because the NTP access groups and the vty access-class both ask it.
 */
import { createHash } from "node:crypto";
import ssh2 from "ssh2";
import type { ApplyContext, HandlerTable, ModeFrame } from "../applyContext.js";
import type {
  AccessListConfig,
  AclEntry,
  InterfaceConfig,
  LineConfig,
  RunningConfig,
  SshPubkeyUser,
} from "../model.js";
import { decodeType7, encodeType7 } from "../type7.js";

type KeyDataFrame = Extract<ModeFrame, { mode: "key-data" }>;

// ---------------------------------------------------------------------------------------------
// Lines
// ---------------------------------------------------------------------------------------------

/** IOS default `exec-timeout 10 0`, not printed by nvgen. */
export const DEFAULT_EXEC_TIMEOUT = { minutes: 10, seconds: 0 } as const;
/** Lines run at privilege 1 unless told otherwise; `privilege level 1` is not printed. */
const DEFAULT_LINE_PRIVILEGE = 1;
/** Absolute number of `vty 0` in `% Login disabled on line N` (XE IOL: con 0, aux 0, vty 0 = 2; ios-cli.md §1.10 [R]). */
const VTY_ABSOLUTE_BASE = 2;
/** Order nvgen prints transport protocols in. */
const TRANSPORTS = ["telnet", "ssh"] as const;

function applyLineEnter(ctx: ApplyContext): string | undefined {
  const { args } = ctx;
  const kind = args.has("vty") ? "vty" : "con";
  const first = (kind === "vty" ? args.int("vty-first") : args.int("con-num")) ?? 0;
  const last = kind === "vty" ? (args.int("vty-last") ?? first) : first;
  if (last < first) return "% Invalid line range";
  // IOS would split overlapping ranges; we keep one LineConfig per exact range typed.
  let line = ctx.config.lines.find((l) => l.kind === kind && l.first === first && l.last === last);
  if (!line) {
    line = { kind, first, last, loggingSynchronous: false };
    ctx.config.lines.push(line);
  }
  ctx.enter({ mode: "config-line", line });
  return undefined;
}

/** A config-line sub-command: `set` on the plain form, `clear` on the `no` form. */
function lineCommand(
  set: (line: LineConfig, ctx: ApplyContext) => string | undefined,
  clear: (line: LineConfig) => void,
) {
  return (ctx: ApplyContext): string | undefined => {
    if (ctx.frame.mode !== "config-line") return "% No line selected";
    if (ctx.negated) {
      clear(ctx.frame.line);
      return undefined;
    }
    return set(ctx.frame.line, ctx);
  };
}

function setTransportInput(line: LineConfig, ctx: ApplyContext): undefined {
  const { args } = ctx;
  if (args.has("all")) line.transportInput = ["all"];
  else {
    const protocols = TRANSPORTS.filter((t) => args.has(t));
    line.transportInput = protocols.length > 0 ? protocols : ["none"];
  }
  return undefined;
}

function absoluteLineNumbers(line: LineConfig): number[] {
  const base = line.kind === "vty" ? VTY_ABSOLUTE_BASE : 0;
  const numbers: number[] = [];
  for (let n = line.first; n <= line.last; n++) numbers.push(base + n);
  return numbers;
}

function setLogin(line: LineConfig, ctx: ApplyContext): undefined {
  line.login = ctx.args.has("local") ? "local" : "line";
  if (line.login === "line" && !line.password) {
    for (const n of absoluteLineNumbers(line))
      ctx.say(`% Login disabled on line ${n}, until 'password' is set`);
  }
  return undefined;
}

function setExecTimeout(line: LineConfig, ctx: ApplyContext): undefined {
  const minutes = ctx.args.int("minutes") ?? 0;
  const seconds = ctx.args.int("seconds") ?? 0;
  if (minutes === DEFAULT_EXEC_TIMEOUT.minutes && seconds === DEFAULT_EXEC_TIMEOUT.seconds)
    delete line.execTimeout;
  else line.execTimeout = { minutes, seconds };
  return undefined;
}

function setPrivilege(line: LineConfig, ctx: ApplyContext): undefined {
  const level = ctx.args.int("level") ?? DEFAULT_LINE_PRIVILEGE;
  if (level === DEFAULT_LINE_PRIVILEGE) delete line.privilegeLevel;
  else line.privilegeLevel = level;
  return undefined;
}

/** `password [0|7] PW`: held in clear (model.ts `SecretConfig`); type 7 is how it is printed. */
function setLinePassword(line: LineConfig, ctx: ApplyContext): string | undefined {
  const value = ctx.args.str("line-password") ?? "";
  const type = ctx.args.int("enc-type") ?? 0;
  if (type === 7) {
    const decoded = decodeType7(value);
    if (!decoded.ok) return `% Invalid encrypted password: ${decoded.reason}`;
    line.password = { type: 7, value: decoded.value, encoded: value };
  } else if (type === 0) line.password = { type: 0, value };
  else return "% Invalid encryption type";
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// SSH
// ---------------------------------------------------------------------------------------------

/** Defaults `show running-config all` prints and plain nvgen omits (ios-cli.md §2.9). */
export const DEFAULT_SSH_TIMEOUT_SECONDS = 120;
export const DEFAULT_SSH_RETRIES = 3;

/** Key types `key-hash` accepts (grammar/access.yaml). */
const KEY_HASH_ALGORITHMS = ["ssh-rsa", "ssh-ed25519", "ecdsa-sha2-nistp256"] as const;
/** IOS keeps the MD5 of the key blob: 16 bytes = 32 hex digits. */
const MD5_HEX_DIGITS = 32;
/** RFC 4251 §5: a `string` is a uint32 length followed by that many bytes. */
const SSH_STRING_LENGTH_BYTES = 4;

function applyPubkeyChain(ctx: ApplyContext): undefined {
  if (ctx.negated) {
    ctx.config.sshPubkeyUsers.clear();
    ctx.config.sshPubkeyChain = false;
    return undefined;
  }
  ctx.config.sshPubkeyChain = true;
  ctx.enter({ mode: "conf-ssh-pubkey" });
  return undefined;
}

function applyPubkeyUser(ctx: ApplyContext): undefined {
  const name = ctx.args.str("pk-user") ?? "";
  const users = ctx.config.sshPubkeyUsers;
  if (ctx.negated) {
    users.delete(name);
    return undefined;
  }
  if (!users.has(name)) users.set(name, { name, keys: [] });
  ctx.enter({ mode: "conf-ssh-pubkey-user", user: name });
  return undefined;
}

function pubkeyUser(config: RunningConfig, name: string): SshPubkeyUser {
  let user = config.sshPubkeyUsers.get(name);
  if (!user) {
    user = { name, keys: [] };
    config.sshPubkeyUsers.set(name, user);
  }
  return user;
}

/** Add a key, replacing one with the same hash (re-entering a key updates its name). */
function storeKey(user: SshPubkeyUser, algorithm: string, hash: string, name: string | undefined): void {
  const key = name ? { algorithm, hash, name } : { algorithm, hash };
  const at = user.keys.findIndex((k) => k.hash === hash);
  if (at >= 0) user.keys[at] = key;
  else user.keys.push(key);
}

function applyKeyHash(ctx: ApplyContext): string | undefined {
  if (ctx.frame.mode !== "conf-ssh-pubkey-user") return "% No user selected";
  const user = pubkeyUser(ctx.config, ctx.frame.user);
  const hash = ctx.args.str("hash-hex")?.toUpperCase();
  if (ctx.negated) {
    const kept = hash ? user.keys.filter((k) => k.hash !== hash) : [];
    user.keys.splice(0, user.keys.length, ...kept);
    return undefined;
  }
  if (!hash || hash.length !== MD5_HEX_DIGITS)
    return `% Invalid key hash: expected ${MD5_HEX_DIGITS} hex digits (MD5)`;
  storeKey(user, ctx.args.which(KEY_HASH_ALGORITHMS) ?? "ssh-rsa", hash, ctx.args.str("key-name"));
  return undefined;
}

/**
 * Fields after the type name in a public key blob: RFC 4253 §6.6 (ssh-rsa, ssh-dss),
 * RFC 5656 §3.1 (ecdsa: curve, Q), RFC 8709 §4 (ssh-ed25519, ssh-ed448).
 */
const KEY_FIELD_COUNTS: Readonly<Record<string, number>> = {
  "ssh-rsa": 2,
  "ssh-dss": 4,
  "ssh-ed25519": 1,
  "ssh-ed448": 1,
  "ecdsa-sha2-nistp256": 2,
  "ecdsa-sha2-nistp384": 2,
  "ecdsa-sha2-nistp521": 2,
};

/** The RFC 4251 §5 strings `blob` consists of, or undefined if it ends inside one. */
function sshStrings(blob: Buffer): Buffer[] | undefined {
  const strings: Buffer[] = [];
  let at = 0;
  while (at < blob.length) {
    if (at + SSH_STRING_LENGTH_BYTES > blob.length) return undefined;
    const end = at + SSH_STRING_LENGTH_BYTES + blob.readUInt32BE(at);
    if (end > blob.length) return undefined;
    strings.push(blob.subarray(at + SSH_STRING_LENGTH_BYTES, end));
    at = end;
  }
  return strings;
}

/** Whether `blob` is exactly one public key of a known type (name and all its fields). */
function isWholeKnownKey(blob: Buffer): boolean {
  const strings = sshStrings(blob);
  const type = strings?.[0]?.toString("latin1");
  const fields = type === undefined ? undefined : KEY_FIELD_COUNTS[type];
  return fields !== undefined && strings?.length === 1 + fields;
}

const BASE64_CHAR = /[A-Za-z0-9+/=]/;
const BASE64_GROUP_CHARS = 4;
/**
 * An OpenSSH key type name (`ssh-rsa`, `sk-ssh-ed25519@openssh.com`). Blobs start with the
 * uint32 length of that name, which encodes as `AAAA`, so the name also ends where a wrap
 * glued it to the base64.
 */
const KEY_TYPE_PREFIX = /^[a-z][a-z0-9.@-]*/;

/** Base64 taken from the start of `text` (blanks skipped) up to the end of one key blob. */
function takeKeyBase64(text: string): { base64: string; rest: string; stop?: string } {
  let base64 = "";
  let i = 0;
  for (; i < text.length; i++) {
    const ch = text[i] ?? "";
    if (/\s/.test(ch)) continue;
    if (!BASE64_CHAR.test(ch)) return { base64, rest: text.slice(i), stop: ch };
    base64 += ch;
    if (base64.length % BASE64_GROUP_CHARS === 0 && isWholeKnownKey(Buffer.from(base64, "base64"))) break;
  }
  return { base64, rest: text.slice(i + 1) };
}

/** A public key as typed after `key-string`: the blob and the comment of the OpenSSH form. */
export type PublicKeyTextResult =
  | { ok: true; algorithm: string; blob: Buffer; comment?: string }
  | { ok: false; reason: string };

/**
 * Read the lines typed after `key-string`: either IOS's bare base64 split over lines, or an
 * OpenSSH `ALG BASE64 [COMMENT]` line, possibly wrapped. Lines are concatenated as IOS does (a
 * wrap may fall anywhere, even on the blanks or inside the comment); base64 is taken until it
 * decodes to a whole key of a known type, and what follows is the comment.
 */
export function parsePublicKeyText(lines: readonly string[]): PublicKeyTextResult {
  const text = lines
    .map((l) => l.trim())
    .join("")
    .trim();
  const prefix = KEY_TYPE_PREFIX.exec(text)?.[0];
  const taken = takeKeyBase64(text.slice(prefix?.length ?? 0));
  if (taken.base64.length === 0) {
    return {
      ok: false,
      reason: taken.stop ? `invalid character '${taken.stop}' in key data` : "no key data",
    };
  }
  const blob = Buffer.from(taken.base64, "base64");
  const strings = taken.base64.length % BASE64_GROUP_CHARS === 0 ? sshStrings(blob) : undefined;
  const algorithm = strings?.[0]?.toString("latin1");
  if (!strings || algorithm === undefined || strings.length < 2) {
    return {
      ok: false,
      reason: taken.stop ? `invalid character '${taken.stop}' in key data` : "truncated key blob",
    };
  }
  if (prefix !== undefined && prefix !== algorithm) {
    return { ok: false, reason: `key type ${prefix} does not match the key blob (${algorithm})` };
  }
  const fields = KEY_FIELD_COUNTS[algorithm];
  if (fields !== undefined) {
    if (strings.length !== 1 + fields) return { ok: false, reason: "truncated key blob" };
    // ssh2 checks the type-specific fields (RSA e/n, curve name ...).
    const parsed = ssh2.utils.parseKey(`${algorithm} ${taken.base64}`);
    if (parsed instanceof Error) return { ok: false, reason: parsed.message };
  }
  const comment = taken.rest.trim();
  return comment ? { ok: true, algorithm, blob, comment } : { ok: true, algorithm, blob };
}

/**
 * Turn the key typed after `key-string` into a `key-hash` entry, as IOS does for nvgen: the
 * algorithm from the blob, the upper-case hex MD5 of the blob (what `ssh-keygen -E md5 -l`
 * shows) and the OpenSSH comment as the key name. Called by the session at `exit`.
 */
export function finishKeyString(config: RunningConfig, frame: KeyDataFrame): string | undefined {
  const parsed = parsePublicKeyText(frame.data);
  if (!parsed.ok) return `% Invalid public key: ${parsed.reason}`;
  const algorithm = KEY_HASH_ALGORITHMS.find((a) => a === parsed.algorithm);
  if (!algorithm) return `% Unsupported key type ${parsed.algorithm}`;
  // The name is printed as one word after the hash (the grammar's <key-name>).
  const name = parsed.comment?.split(" ")[0];
  const hash = createHash("md5").update(parsed.blob).digest("hex").toUpperCase();
  storeKey(pubkeyUser(config, frame.user), algorithm, hash, name);
  return undefined;
}

function applySshScalar(field: "sshTimeout" | "sshRetries", param: string, byDefault: number) {
  return (ctx: ApplyContext): undefined => {
    const value = ctx.args.int(param);
    if (ctx.negated || value === undefined || value === byDefault) delete ctx.config[field];
    else ctx.config[field] = value;
    return undefined;
  };
}

function applyLoginBlock(ctx: ApplyContext): undefined {
  const { args } = ctx;
  if (ctx.negated) delete ctx.config.loginBlock;
  else {
    ctx.config.loginBlock = {
      seconds: args.int("block-seconds") ?? 0,
      attempts: args.int("block-attempts") ?? 0,
      within: args.int("block-within") ?? 0,
    };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Standard IPv4 access lists
// ---------------------------------------------------------------------------------------------

/** Standard IP ACL numbers (ios-cli.md §1.11). */
const STANDARD_ACL_RANGES: readonly (readonly [number, number])[] = [
  [1, 99],
  [1300, 1999],
];
const ACL_SEQUENCE_STEP = 10;
const ACL_MAX_SEQUENCE = 2147483647;
const ALL_ONES = 0xffffffff;

function isStandardAclNumber(n: number): boolean {
  return STANDARD_ACL_RANGES.some(([lo, hi]) => n >= lo && n <= hi);
}

/** A dotted quad as an unsigned 32-bit number, or undefined. */
export function ipv4ToNumber(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function numberToIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

/**
 * The match part of an ACE as nvgen prints it: a zero wildcard is the host form (IOS drops
 * `host`), an all-ones wildcard is `any`, and the address is masked by the wildcard.
 */
function aceMatch(ctx: ApplyContext): { source: string; wildcard?: string } {
  const { args } = ctx;
  if (args.has("any")) return { source: "any" };
  const source = args.str("host-address") ?? args.str("source") ?? "";
  const wildcardText = args.str("wildcard");
  if (wildcardText === undefined) return { source };
  const wildcard = ipv4ToNumber(wildcardText) ?? 0;
  if (wildcard === ALL_ONES) return { source: "any" };
  const masked = numberToIpv4(((ipv4ToNumber(source) ?? 0) & ~wildcard) >>> 0);
  return wildcard === 0 ? { source: masked } : { source: masked, wildcard: wildcardText };
}

function sameMatch(
  a: AclEntry,
  action: AclEntry["action"],
  m: { source: string; wildcard?: string },
): boolean {
  return a.action === action && a.source === m.source && a.wildcard === m.wildcard;
}

function nextSequence(acl: AccessListConfig): number {
  const last = acl.entries.at(-1);
  return last ? last.sequence + ACL_SEQUENCE_STEP : ACL_SEQUENCE_STEP;
}

/** Insert keeping entries in sequence order. */
function insertEntry(acl: AccessListConfig, entry: AclEntry): void {
  const at = acl.entries.findIndex((e) => e.sequence > entry.sequence);
  if (at < 0) acl.entries.push(entry);
  else acl.entries.splice(at, 0, entry);
}

function accessList(config: RunningConfig, name: string, named: boolean): AccessListConfig {
  let acl = config.accessLists.get(name);
  if (!acl) {
    acl = { name, named, entries: [] };
    config.accessLists.set(name, acl);
  }
  return acl;
}

/** Add a permit/deny entry (at `sequence`, or after the last); duplicates are ignored [U]. */
function addAce(acl: AccessListConfig, ctx: ApplyContext, sequence: number | undefined): string | undefined {
  const action = ctx.args.has("deny") ? "deny" : "permit";
  const match = aceMatch(ctx);
  if (acl.entries.some((e) => sameMatch(e, action, match))) return undefined;
  if (sequence !== undefined && acl.entries.some((e) => e.sequence === sequence))
    return "% Duplicate sequence number";
  const seq = sequence ?? nextSequence(acl);
  if (seq > ACL_MAX_SEQUENCE) return "% Exceeded maximum sequence number";
  insertEntry(acl, { sequence: seq, action, ...match, log: ctx.args.has("log") });
  return undefined;
}

function addRemark(acl: AccessListConfig, text: string, sequence: number | undefined): string | undefined {
  if (sequence !== undefined && acl.entries.some((e) => e.sequence === sequence))
    return "% Duplicate sequence number";
  const seq = sequence ?? nextSequence(acl);
  if (seq > ACL_MAX_SEQUENCE) return "% Exceeded maximum sequence number";
  insertEntry(acl, { sequence: seq, action: "remark", source: text, log: false });
  return undefined;
}

function applyNumberedAcl(ctx: ApplyContext): string | undefined {
  const number = ctx.args.int("acl-num") ?? 0;
  if (!isStandardAclNumber(number))
    return `% Access list ${number} is not a standard IP access list (1-99, 1300-1999)`;
  const name = String(number);
  if (ctx.negated) {
    // `no access-list N ...` deletes the whole list whatever follows N (ios-cli.md §1.11).
    ctx.config.accessLists.delete(name);
    return undefined;
  }
  const acl = accessList(ctx.config, name, false);
  const remark = ctx.args.str("remark-text");
  return remark !== undefined ? addRemark(acl, remark, undefined) : addAce(acl, ctx, undefined);
}

function applyNamedAcl(ctx: ApplyContext): string | undefined {
  const name = ctx.args.str("acl-name") ?? "";
  const numeric = /^\d+$/.test(name);
  if (numeric && !isStandardAclNumber(Number(name))) return "% Invalid access list name.";
  if (ctx.negated) {
    ctx.config.accessLists.delete(name);
    return undefined;
  }
  // A number typed here edits the numbered list, which nvgen keeps printing as `access-list N`.
  accessList(ctx.config, name, !numeric);
  ctx.enter({ mode: "config-std-nacl", acl: name });
  return undefined;
}

function frameAcl(ctx: ApplyContext): AccessListConfig | undefined {
  if (ctx.frame.mode !== "config-std-nacl") return undefined;
  const name = ctx.frame.acl;
  return accessList(ctx.config, name, !/^\d+$/.test(name));
}

function removeEntries(acl: AccessListConfig, drop: (e: AclEntry) => boolean): void {
  const kept = acl.entries.filter((e) => !drop(e));
  acl.entries.splice(0, acl.entries.length, ...kept);
}

function applyAclEntry(ctx: ApplyContext): string | undefined {
  const acl = frameAcl(ctx);
  if (!acl) return "% No access list selected";
  const seq = ctx.args.int("seq");
  if (!ctx.negated) return addAce(acl, ctx, seq);
  if (seq !== undefined) removeEntries(acl, (e) => e.sequence === seq);
  else {
    const action = ctx.args.has("deny") ? "deny" : "permit";
    const match = aceMatch(ctx);
    removeEntries(acl, (e) => sameMatch(e, action, match));
  }
  return undefined;
}

function applyAclRemark(ctx: ApplyContext): string | undefined {
  const acl = frameAcl(ctx);
  if (!acl) return "% No access list selected";
  const text = ctx.args.str("remark-text");
  if (!ctx.negated) return addRemark(acl, text ?? "", ctx.args.int("seq"));
  removeEntries(acl, (e) => e.action === "remark" && (text === undefined || e.source === text));
  return undefined;
}

/** `::ffff:a.b.c.d` (how dual-stack sockets report IPv4 peers) is the IPv4 address. */
function ipv4Of(address: string): number | undefined {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return ipv4ToNumber(mapped?.[1] ?? address);
}

function entryMatches(e: AclEntry, address: number): boolean {
  if (e.source === "any") return true;
  const source = ipv4ToNumber(e.source);
  if (source === undefined) return false;
  const care = ~(e.wildcard === undefined ? 0 : (ipv4ToNumber(e.wildcard) ?? 0)) >>> 0;
  return (source & care) >>> 0 === (address & care) >>> 0;
}

/**
 * Whether standard ACL `aclName` permits `address`: first matching entry wins, implicit deny
 * at the end. Undefined when the list does not exist or holds no permit/deny entry — IOS treats
 * an empty list like an undefined one, and what that means is the caller's policy. A non-IPv4
 * address never matches an IPv4 list (denied).
 */
export function aclPermits(config: RunningConfig, aclName: string, address: string): boolean | undefined {
  const acl = config.accessLists.get(aclName);
  const rules = acl?.entries.filter((e) => e.action !== "remark") ?? [];
  if (rules.length === 0) return undefined;
  const ip = ipv4Of(address);
  if (ip === undefined) return false;
  const hit = rules.find((e) => entryMatches(e, ip));
  return hit?.action === "permit";
}

// ---------------------------------------------------------------------------------------------
// Interfaces
// ---------------------------------------------------------------------------------------------

/** Canonical interface type names, in the order nvgen prints interfaces (virtual first) [I]. */
const INTERFACE_TYPES = [
  "Loopback",
  "Port-channel",
  "Tunnel",
  "Ethernet",
  "FastEthernet",
  "GigabitEthernet",
  "TenGigabitEthernet",
  "Vlan",
] as const;

const INTERFACE_NAME = /^([A-Za-z][A-Za-z-]*?)\s*(\d+(?:\/\d+)*(?:\.\d+)?)$/;

/**
 * IOS's spelling of an interface name: `gi0/0` → `GigabitEthernet0/0`, `loopback0` →
 * `Loopback0`. The type may be any unique prefix. Undefined for unknown or ambiguous types.
 */
export function canonicalInterfaceName(typed: string): string | undefined {
  const m = INTERFACE_NAME.exec(typed.trim());
  if (!m) return undefined;
  const prefix = (m[1] ?? "").toLowerCase();
  const exact = INTERFACE_TYPES.find((t) => t.toLowerCase() === prefix);
  const candidates = exact ? [exact] : INTERFACE_TYPES.filter((t) => t.toLowerCase().startsWith(prefix));
  if (candidates.length !== 1) return undefined;
  return `${candidates[0]}${m[2]}`;
}

function contiguousMask(mask: number): boolean {
  const inverted = ~mask >>> 0;
  return (inverted & (inverted + 1)) === 0;
}

function applyInterfaceEnter(ctx: ApplyContext): string | undefined {
  const name = canonicalInterfaceName(ctx.args.str("ifname") ?? "");
  if (!name) return "% Invalid interface type and number";
  if (ctx.negated) {
    ctx.config.interfaces.delete(name);
    return undefined;
  }
  if (!ctx.config.interfaces.has(name))
    ctx.config.interfaces.set(name, { name, secondary: [], shutdown: false });
  ctx.enter({ mode: "config-if", iface: name });
  return undefined;
}

function interfaceCommand(apply: (iface: InterfaceConfig, ctx: ApplyContext) => string | undefined) {
  return (ctx: ApplyContext): string | undefined => {
    if (ctx.frame.mode !== "config-if") return "% No interface selected";
    const iface = ctx.config.interfaces.get(ctx.frame.iface);
    if (!iface) return "% No interface selected";
    return apply(iface, ctx);
  };
}

function removeAddress(iface: InterfaceConfig, ctx: ApplyContext): string | undefined {
  const address = ctx.args.str("if-address");
  if (address === undefined) {
    delete iface.address;
    iface.secondary.splice(0);
    return undefined;
  }
  if (ctx.args.has("secondary")) {
    const at = iface.secondary.findIndex((s) => s.address === address);
    if (at >= 0) iface.secondary.splice(at, 1);
    return undefined;
  }
  if (iface.address?.address !== address) return undefined;
  if (iface.secondary.length > 0) return "% Must delete secondary before deleting primary";
  delete iface.address;
  return undefined;
}

function applyIpAddress(iface: InterfaceConfig, ctx: ApplyContext): string | undefined {
  if (ctx.negated) return removeAddress(iface, ctx);
  const address = ctx.args.str("if-address") ?? "";
  const mask = ctx.args.str("if-mask") ?? "";
  const maskBits = ipv4ToNumber(mask) ?? 0;
  if (!contiguousMask(maskBits)) {
    return `% Bad mask 0x${maskBits.toString(16).toUpperCase().padStart(8, "0")} for address ${address}`;
  }
  const entry = { address, mask };
  if (!ctx.args.has("secondary")) iface.address = entry;
  else if (!iface.secondary.some((s) => s.address === address)) iface.secondary.push(entry);
  return undefined;
}

export const accessHandlers: HandlerTable = {
  "line.enter": applyLineEnter,
  "line.transport-input": lineCommand(setTransportInput, (l) => delete l.transportInput),
  "line.login": lineCommand(setLogin, (l) => delete l.login),
  "line.exec-timeout": lineCommand(setExecTimeout, (l) => delete l.execTimeout),
  "line.access-class": lineCommand(
    (l, ctx) => {
      l.accessClass = ctx.args.str("acl-ref") ?? "";
      return undefined;
    },
    (l) => delete l.accessClass,
  ),
  "line.privilege": lineCommand(setPrivilege, (l) => delete l.privilegeLevel),
  "line.password": lineCommand(setLinePassword, (l) => delete l.password),
  "line.logging-synchronous": lineCommand(
    (l) => {
      l.loggingSynchronous = true;
      return undefined;
    },
    (l) => {
      l.loggingSynchronous = false;
    },
  ),
  "login.block-for": applyLoginBlock,
  "ssh.version": (ctx) => {
    if (ctx.negated) delete ctx.config.sshVersion;
    else ctx.config.sshVersion = ctx.args.int("ssh-version") ?? 2;
    return undefined;
  },
  "ssh.time-out": applySshScalar("sshTimeout", "ssh-timeout", DEFAULT_SSH_TIMEOUT_SECONDS),
  "ssh.authentication-retries": applySshScalar("sshRetries", "ssh-retries", DEFAULT_SSH_RETRIES),
  "ssh.pubkey-chain": applyPubkeyChain,
  "ssh.pubkey-user": applyPubkeyUser,
  "ssh.key-hash": applyKeyHash,
  "ssh.key-string": (ctx) => {
    if (ctx.frame.mode !== "conf-ssh-pubkey-user") return "% No user selected";
    ctx.enter({ mode: "key-data", user: ctx.frame.user, data: [] });
    return undefined;
  },
  "acl.numbered": applyNumberedAcl,
  "acl.named": applyNamedAcl,
  "acl.entry": applyAclEntry,
  "acl.remark": applyAclRemark,
  "interface.enter": applyInterfaceEnter,
  "interface.ip-address": interfaceCommand(applyIpAddress),
  "interface.description": interfaceCommand((iface, ctx) => {
    if (ctx.negated) delete iface.description;
    else iface.description = ctx.args.str("if-description") ?? "";
    return undefined;
  }),
  "interface.shutdown": interfaceCommand((iface, ctx) => {
    iface.shutdown = !ctx.negated;
    return undefined;
  }),
};

// ---------------------------------------------------------------------------------------------
// nvgen
// ---------------------------------------------------------------------------------------------

/**
 * `ip ssh ...` lines and the pubkey chain (ios-cli.md §1.10): time-out, retries, version, then
 * `ip ssh pubkey-chain` / `  username NAME` / `   key-hash ALG HASH [NAME]` (2 and 3 spaces, as
 * real configs print it).
 */
export function renderIpSsh(c: RunningConfig): string[] {
  const out: string[] = [];
  if (c.sshTimeout !== undefined) out.push(`ip ssh time-out ${c.sshTimeout}`);
  if (c.sshRetries !== undefined) out.push(`ip ssh authentication-retries ${c.sshRetries}`);
  if (c.sshVersion !== undefined) out.push(`ip ssh version ${c.sshVersion}`);
  if (c.sshPubkeyChain || c.sshPubkeyUsers.size > 0) {
    out.push("ip ssh pubkey-chain");
    for (const user of c.sshPubkeyUsers.values()) {
      out.push(`  username ${user.name}`);
      for (const k of user.keys)
        out.push(`   key-hash ${k.algorithm} ${k.hash}${k.name ? ` ${k.name}` : ""}`);
    }
  }
  return out;
}

export function renderLoginBlock(c: RunningConfig): string[] {
  const b = c.loginBlock;
  return b ? [`login block-for ${b.seconds} attempts ${b.attempts} within ${b.within}`] : [];
}

function interfaceSortKey(name: string): [number, number[]] {
  const type = INTERFACE_TYPES.findIndex((t) => name.startsWith(t) && /^\d/.test(name.slice(t.length)));
  const numbers = name
    .slice(type >= 0 ? (INTERFACE_TYPES[type] ?? "").length : 0)
    .split(/[/.]/)
    .map(Number);
  return [type, numbers];
}

function compareInterfaces(a: string, b: string): number {
  const [ta, na] = interfaceSortKey(a);
  const [tb, nb] = interfaceSortKey(b);
  if (ta !== tb) return ta - tb;
  for (let i = 0; i < Math.max(na.length, nb.length); i++) {
    const d = (na[i] ?? -1) - (nb[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Interface blocks, each closed by `!`, in type then number order. Secondary addresses print
 * before the primary, as IOS does [I].
 */
export function renderInterfaces(c: RunningConfig): string[] {
  const out: string[] = [];
  for (const name of [...c.interfaces.keys()].sort(compareInterfaces)) {
    const iface = c.interfaces.get(name)!;
    out.push(`interface ${iface.name}`);
    if (iface.description !== undefined) out.push(` description ${iface.description}`);
    for (const s of iface.secondary) out.push(` ip address ${s.address} ${s.mask} secondary`);
    out.push(iface.address ? ` ip address ${iface.address.address} ${iface.address.mask}` : " no ip address");
    if (iface.shutdown) out.push(" shutdown");
    out.push("!");
  }
  return out;
}

/** `permit 10.0.0.0 0.0.0.255 log`, `deny   any` — `deny` padded to the width of `permit` [R]. */
function renderAce(e: AclEntry): string {
  if (e.action === "remark") return `remark ${e.source}`;
  return `${e.action.padEnd("permit".length)} ${e.source}${e.wildcard ? ` ${e.wildcard}` : ""}${e.log ? " log" : ""}`;
}

/**
 * Named standard lists, IOS XE style with sequence numbers (ios-cli.md §1.11 [R]), sorted by
 * name as IOS does. Lists follow one another without `!`; the separator after them is the caller's.
 */
export function renderNamedAcls(c: RunningConfig): string[] {
  const lists = [...c.accessLists.values()]
    .filter((a) => a.named)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const acl of lists) {
    out.push(`ip access-list standard ${acl.name}`);
    for (const e of acl.entries) out.push(` ${e.sequence} ${renderAce(e)}`);
  }
  return out;
}

/** Numbered lists in number order: `access-list 1 permit 10.0.0.0 0.0.0.255`, `access-list 1 deny   any log`. */
export function renderNumberedAcls(c: RunningConfig): string[] {
  const lists = [...c.accessLists.values()]
    .filter((a) => !a.named)
    .sort((a, b) => Number(a.name) - Number(b.name));
  return lists.flatMap((acl) => acl.entries.map((e) => `access-list ${acl.name} ${renderAce(e)}`));
}

function renderLinePassword(line: LineConfig, encrypt: boolean): string | undefined {
  const p = line.password;
  if (!p) return undefined;
  return p.type === 7 || encrypt
    ? ` password 7 ${p.encoded ?? encodeType7(p.value)}`
    : ` password ${p.value}`;
}

/** One `line ...` block in IOS order (ios-cli.md §1.10 [R]). */
export function renderLine(line: LineConfig, encryptPasswords: boolean): string[] {
  const head =
    line.kind === "con"
      ? `line con ${line.first}`
      : `line vty ${line.first}${line.last !== line.first ? ` ${line.last}` : ""}`;
  const out = [head];
  if (line.accessClass !== undefined) out.push(` access-class ${line.accessClass} in`);
  if (line.execTimeout) out.push(` exec-timeout ${line.execTimeout.minutes} ${line.execTimeout.seconds}`);
  if (line.privilegeLevel !== undefined) out.push(` privilege level ${line.privilegeLevel}`);
  const password = renderLinePassword(line, encryptPasswords);
  if (password) out.push(password);
  if (line.loggingSynchronous) out.push(" logging synchronous");
  if (line.login) out.push(line.login === "local" ? " login local" : " login");
  if (line.transportInput) out.push(` transport input ${line.transportInput.join(" ")}`);
  return out;
}

/** All lines, console first then vty ranges by first line; blocks follow one another without `!`. */
export function renderLines(c: RunningConfig): string[] {
  const order = (l: LineConfig): number => (l.kind === "con" ? -1 : l.first);
  const lines = [...c.lines].sort((a, b) => order(a) - order(b) || a.last - b.last);
  return lines.flatMap((l) => renderLine(l, c.passwordEncryption));
}

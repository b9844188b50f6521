/**
 * Builds the NTP server's policy from the running configuration: IOS access groups evaluated
 * with their precedence (ios-cli.md §1.4), trusted keys, authentication, rate limit, passive
 * peering and mode-6 control. The server core never sees configuration text or ACLs.
 */

import { aclPermits } from "../../config/areas/accessConfig.js";
import { DEFAULT_RATE_LIMIT } from "../../config/areas/ntpConfig.js";
import type { MacAlgorithmName, NtpAccessType, NtpKeyConfig, RunningConfig } from "../../config/model.js";
import type { MacAlgorithm, SymmetricKey } from "./proto/mac.js";
import { type AccessDecision, DEFAULT_CONTROL_RATE_LIMIT, type ServerPolicy } from "./proto/serverPolicy.js";

/** ios-cli.md §1.4: checked least to most restrictive; the first list that permits decides. */
const PRECEDENCE: readonly NtpAccessType[] = ["peer", "serve", "serve-only", "query-only"];

/** Access decisions are cached per source address; the cache is bounded and rebuilt on reconfigure. */
const ACCESS_CACHE_LIMIT = 4096;

const MAC_OF: Partial<Record<MacAlgorithmName, MacAlgorithm>> = {
  md5: "md5",
  sha1: "sha1",
  sha2: "sha256",
  "cmac-aes-128": "aes-128-cmac",
};

/** The key bytes: ASCII as typed, except a 32-hex-digit CMAC key, which is the 16 bytes it spells. */
export function symmetricKeyOf(key: NtpKeyConfig): SymmetricKey | undefined {
  const algorithm = MAC_OF[key.algorithm];
  if (!algorithm) return undefined;
  const secret =
    algorithm === "aes-128-cmac" && /^[0-9A-Fa-f]{32}$/.test(key.secret)
      ? Buffer.from(key.secret, "hex")
      : Buffer.from(key.secret, "latin1");
  return { id: key.id, algorithm, secret };
}

/** Whether `address` is IPv4 (including an IPv4-mapped IPv6 source of a dual-stack socket). */
function familyOf(address: string): "ipv4" | "ipv6" {
  return address.includes(":") && !address.toLowerCase().startsWith("::ffff:") ? "ipv6" : "ipv4";
}

function accessFunction(config: RunningConfig): (address: string) => AccessDecision {
  const groups = [...config.ntp.accessGroups.values()];
  if (groups.length === 0) return () => ({ level: "unrestricted", kod: false });
  const cache = new Map<string, AccessDecision>();
  return (address) => {
    const cached = cache.get(address);
    if (cached) return cached;
    const family = familyOf(address);
    const v4 = address.toLowerCase().startsWith("::ffff:") ? address.slice(7) : address;
    const mine = groups.filter((g) => g.family === family);
    let decision: AccessDecision = { level: "none", kod: mine.some((g) => g.kod) };
    for (const type of PRECEDENCE) {
      const group = mine.find((g) => g.type === type);
      if (group && aclPermits(config, group.acl, v4) === true) {
        decision = { level: type, kod: group.kod };
        break;
      }
    }
    if (cache.size >= ACCESS_CACHE_LIMIT) cache.clear();
    cache.set(address, decision);
    return decision;
  };
}

export function buildServerPolicy(config: RunningConfig): ServerPolicy {
  const ntp = config.ntp;
  const keys = new Map<number, SymmetricKey>();
  for (const key of ntp.keys.values()) {
    if (!ntp.trustedKeys.has(key.id)) continue;
    const symmetric = symmetricKeyOf(key);
    if (symmetric) keys.set(key.id, symmetric);
  }
  const rate = ntp.rateLimit === undefined ? DEFAULT_RATE_LIMIT : ntp.rateLimit;
  const peers = new Set<string>();
  for (const a of ntp.associations.values()) if (a.kind === "peer") peers.add(a.address.toLowerCase());
  const controlDelay = ntp.allowControl;
  return {
    access: accessFunction(config),
    keys,
    // ios-cli.md §1.3 [U]: with `ntp authenticate` the box serves only clients using a trusted key.
    requireAuthentication: ntp.authenticate,
    passive: ntp.passive,
    peers,
    allowControl: controlDelay !== undefined,
    controlRateLimit: controlDelay
      ? { intervalLog2: Math.ceil(Math.log2(controlDelay)), burst: 1 }
      : DEFAULT_CONTROL_RATE_LIMIT,
    rateLimit: rate ?? undefined,
  };
}

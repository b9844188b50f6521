/**
 * The NTP client's configuration from the running-config: `ntp server` / `ntp peer` lines with
 * their options, trusted keys, `ntp authenticate` and `ntp master`. Host names are not resolved
 * here (the appliance has no DNS yet): associations given by name are left out and reported.
 */
import { isIP } from "node:net";
import type { RunningConfig } from "../../config/model.js";
import type { AssociationConfig, ClientConfig } from "./proto/clientConfig.js";
import type { SymmetricKey } from "./proto/mac.js";
import { symmetricKeyOf } from "./serverPolicyFromConfig.js";

export interface ClientConfigResult {
  readonly config: ClientConfig;
  /** Associations configured by host name, which need DNS. */
  readonly unresolved: readonly string[];
}

export function buildClientConfig(running: RunningConfig): ClientConfigResult {
  const ntp = running.ntp;
  const keys = new Map<number, SymmetricKey>();
  for (const key of ntp.keys.values()) {
    if (!ntp.trustedKeys.has(key.id)) continue;
    const symmetric = symmetricKeyOf(key);
    if (symmetric) keys.set(key.id, symmetric);
  }
  const associations: AssociationConfig[] = [];
  const unresolved: string[] = [];
  for (const a of ntp.associations.values()) {
    if (isIP(a.address) === 0) {
      unresolved.push(a.address);
      continue;
    }
    associations.push({
      kind: a.kind,
      address: a.address,
      port: a.port,
      keyId: a.key,
      prefer: a.prefer,
      version: a.version,
      minpoll: a.minpoll,
      maxpoll: a.maxpoll,
      burst: a.burst,
      iburst: a.iburst,
    });
  }
  return {
    config: { associations, keys, authenticate: ntp.authenticate, masterStratum: ntp.master },
    unresolved,
  };
}

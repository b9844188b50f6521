/**
 * Who may log in, and at what privilege: `login local` checks `username NAME secret|password`
 * (secret types 0, 5, 8, 9; password types 0 and 7), `login` checks the line's password, and
 * `ip ssh pubkey-chain` key hashes admit public keys. Pure functions of the running-config.
 */
import { createHash } from "node:crypto";
import type { LineConfig, RunningConfig, SecretConfig } from "../../config/model.js";
import { verifyConfiguredSecret } from "../../config/secretHash.js";

export interface Grant {
  readonly name: string;
  readonly privilege: number;
}

const USER_EXEC_PRIVILEGE = 1;

/** Verify `candidate` against a stored secret or password (passwords hold their clear text). */
export function matchesStored(stored: SecretConfig, candidate: string): boolean {
  return verifyConfiguredSecret(stored, candidate);
}

/** A user's privilege, or the line's `privilege level` for users at the default level 1. */
function privilegeOf(config: RunningConfig, line: LineConfig | undefined, name: string): number {
  const own = config.users.get(name)?.privilege ?? USER_EXEC_PRIVILEGE;
  return own !== USER_EXEC_PRIVILEGE ? own : (line?.privilegeLevel ?? USER_EXEC_PRIVILEGE);
}

/**
 * Password (or keyboard-interactive) login on `line`. Undefined = refused. With no `login` on
 * the line nothing is accepted: an SSH session always authenticates.
 */
export function passwordLogin(
  config: RunningConfig,
  line: LineConfig | undefined,
  name: string,
  password: string,
): Grant | undefined {
  if (line?.login === "line") {
    return line.password && matchesStored(line.password, password)
      ? { name, privilege: line.privilegeLevel ?? USER_EXEC_PRIVILEGE }
      : undefined;
  }
  if (line?.login !== "local") return undefined;
  const user = config.users.get(name);
  if (!user) return undefined;
  const stored = user.secret ?? user.password;
  const ok = stored ? matchesStored(stored, password) : user.nopassword;
  return ok ? { name, privilege: privilegeOf(config, line, name) } : undefined;
}

/** IOS's key-hash: upper-case hex MD5 of the public key blob. */
export function keyHash(blob: Buffer): string {
  return createHash("md5").update(blob).digest("hex").toUpperCase();
}

/** Whether `name` has the key with this blob in `ip ssh pubkey-chain`. */
export function knowsPublicKey(config: RunningConfig, name: string, blob: Buffer): boolean {
  const keys = config.sshPubkeyUsers.get(name)?.keys ?? [];
  const hash = keyHash(blob);
  return keys.some((k) => k.hash.toUpperCase() === hash);
}

/** The grant for a verified public key of `name`. */
export function publicKeyLogin(config: RunningConfig, line: LineConfig | undefined, name: string): Grant {
  return { name, privilege: privilegeOf(config, line, name) };
}

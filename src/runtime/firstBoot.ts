/**
 * First start: with no startup-config, write a sane default one — a hostname, buffered logging,
 * `ntp master`, vty lines that take SSH logins against local users, and one privileged user
 * whose random password is returned (for printing once) and stored only as a type 9 hash.
 */
import { randomInt } from "node:crypto";
import { loadConfigText } from "../config/loadConfig.js";
import { renderStartupConfig } from "../config/render.js";
import { hashSecret } from "../config/secretHash.js";
import type { StartupStore } from "../config/startupStore.js";

export const DEFAULT_ADMIN = "admin";
export const DEFAULT_HOSTNAME = "Meridian";

/** No 0/O, 1/l/I: the password is read off a terminal and typed by hand. */
const PASSWORD_ALPHABET = "23456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
/** 16 characters of a 57-symbol alphabet: about 93 bits. */
const PASSWORD_LENGTH = 16;

export function randomPassword(length = PASSWORD_LENGTH): string {
  let out = "";
  for (let i = 0; i < length; i++) out += PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)];
  return out;
}

/** The default startup-config text, in canonical rendering, for a user with this password. */
export function defaultStartupConfig(password: string, user = DEFAULT_ADMIN): string {
  const text = [
    `hostname ${DEFAULT_HOSTNAME}`,
    "logging buffered 16384 informational",
    `username ${user} privilege 15 secret 9 ${hashSecret(9, password)}`,
    "line vty 0 4",
    " login local",
    " transport input ssh",
    "ntp master",
  ].join("\n");
  const { config, diagnostics } = loadConfigText(text);
  if (diagnostics.length > 0)
    throw new Error(`default startup-config does not load: ${diagnostics[0]!.message}`);
  return renderStartupConfig(config);
}

export interface FirstBoot {
  readonly user: string;
  /** In clear: print it once; it is stored only hashed. */
  readonly password: string;
}

/** Write the default startup-config when the store holds none; undefined when one exists. */
export function ensureStartupConfig(store: StartupStore): FirstBoot | undefined {
  if (store.read() !== undefined) return undefined;
  const password = randomPassword();
  store.write(defaultStartupConfig(password));
  return { user: DEFAULT_ADMIN, password };
}

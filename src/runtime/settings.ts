/**
 * The daemon's settings: where it keeps its data, what it listens on, whether it runs a console,
 * how much it logs. Read from YAML (`meridian run -s FILE`), validated field by field so that a
 * bad file says which key is wrong and why; anything left out takes its production default.
 *
 * Production defaults: SSH on 0.0.0.0 port 22, NTP on 0.0.0.0 and :: port 123, NTS-KE on
 * 0.0.0.0 port 4460 (RFC 8915 §6), data in /var/lib/meridian, no console, log level info.
 * A relative `dataDir` is taken relative to the directory of the settings file.
 */
import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { dirname, resolve } from "node:path";
import { parseDocument } from "yaml";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface ListenAddress {
  readonly address: string;
  /** 0 = any free port (tests). */
  readonly port: number;
}

export interface NtpListen {
  readonly addresses: readonly string[];
  readonly port: number;
}

export interface Settings {
  /** Absolute path of the directory holding startup-config, host keys and other state. */
  readonly dataDir: string;
  readonly listen: {
    /** null = `ssh: false` (no SSH server). */
    readonly ssh: ListenAddress | null;
    readonly ntp: NtpListen | null;
    readonly ntsKe: ListenAddress | null;
  };
  /** An IOS console on stdin/stdout. */
  readonly console: boolean;
  readonly log: { readonly level: LogLevel };
}

/** IANA ports: ssh 22, ntp 123 (RFC 5905 §7.2), ntske 4460 (RFC 8915 §6). */
const SSH_PORT = 22;
const NTP_PORT = 123;
const NTS_KE_PORT = 4460;
const MAX_PORT = 65535;

export const PRODUCTION_DEFAULTS: Settings = {
  dataDir: "/var/lib/meridian",
  listen: {
    ssh: { address: "0.0.0.0", port: SSH_PORT },
    ntp: { addresses: ["0.0.0.0", "::"], port: NTP_PORT },
    ntsKe: { address: "0.0.0.0", port: NTS_KE_PORT },
  },
  console: false,
  log: { level: "info" },
};

export type SettingsResult = { ok: true; settings: Settings } | { ok: false; errors: string[] };

type Json = unknown;

/** Collects `path: message` errors while walking the document. */
class Checker {
  readonly errors: string[] = [];

  fail(path: string, message: string): undefined {
    this.errors.push(`${path || "(top level)"}: ${message}`);
    return undefined;
  }

  object(path: string, value: Json, keys: readonly string[]): Record<string, Json> | undefined {
    if (typeof value !== "object" || value === null || Array.isArray(value))
      return this.fail(path, `must be a mapping (got ${describe(value)})`);
    const record = value as Record<string, Json>;
    for (const key of Object.keys(record)) {
      if (!keys.includes(key))
        this.fail(path ? `${path}.${key}` : key, `unknown setting (expected one of: ${keys.join(", ")})`);
    }
    return record;
  }

  address(path: string, value: Json): string | undefined {
    if (typeof value === "string" && isIP(value) !== 0) return value;
    return this.fail(path, `must be an IPv4 or IPv6 address literal (got ${describe(value)})`);
  }

  port(path: string, value: Json): number | undefined {
    if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= MAX_PORT) return value;
    return this.fail(path, `must be a port number 0-${MAX_PORT} (got ${describe(value)})`);
  }
}

function describe(value: Json): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return JSON.stringify(value);
}

function listenAddress(c: Checker, path: string, value: Json, byDefault: ListenAddress | null) {
  if (value === undefined) return byDefault;
  if (value === false || value === null) return null;
  const o = c.object(path, value, ["address", "port"]);
  if (!o) return undefined;
  const address = o.address === undefined ? byDefault?.address : c.address(`${path}.address`, o.address);
  const port = o.port === undefined ? byDefault?.port : c.port(`${path}.port`, o.port);
  return address === undefined || port === undefined ? undefined : { address, port };
}

function ntpListen(c: Checker, value: Json): NtpListen | null | undefined {
  const byDefault = PRODUCTION_DEFAULTS.listen.ntp;
  if (value === undefined) return byDefault;
  if (value === false || value === null) return null;
  const o = c.object("listen.ntp", value, ["addresses", "port"]);
  if (!o) return undefined;
  let addresses = byDefault?.addresses;
  if (o.addresses !== undefined) {
    const list = typeof o.addresses === "string" ? [o.addresses] : o.addresses;
    if (!Array.isArray(list) || list.length === 0) {
      return c.fail(
        "listen.ntp.addresses",
        `must be a non-empty list of addresses (got ${describe(o.addresses)})`,
      );
    }
    const checked = list.map((a, i) => c.address(`listen.ntp.addresses[${i}]`, a));
    addresses = checked.every((a) => a !== undefined) ? (checked as string[]) : undefined;
  }
  const port = o.port === undefined ? byDefault?.port : c.port("listen.ntp.port", o.port);
  return addresses === undefined || port === undefined ? undefined : { addresses, port };
}

function logSettings(c: Checker, value: Json): { level: LogLevel } | undefined {
  if (value === undefined) return PRODUCTION_DEFAULTS.log;
  const o = c.object("log", value, ["level"]);
  if (!o) return undefined;
  if (o.level === undefined) return PRODUCTION_DEFAULTS.log;
  const level = LOG_LEVELS.find((l) => l === o.level);
  if (!level)
    return c.fail("log.level", `must be one of ${LOG_LEVELS.join(", ")} (got ${describe(o.level)})`);
  return { level };
}

/**
 * Validate parsed settings. `baseDir` anchors a relative `dataDir` (the settings file's
 * directory). Every problem is reported, not only the first.
 */
export function validateSettings(document: Json, baseDir: string): SettingsResult {
  const c = new Checker();
  const root = c.object("", document ?? {}, ["dataDir", "listen", "console", "log"]);
  if (!root) return { ok: false, errors: c.errors };
  let dataDir: string | undefined = PRODUCTION_DEFAULTS.dataDir;
  if (root.dataDir !== undefined) {
    dataDir =
      typeof root.dataDir === "string" && root.dataDir.trim() !== ""
        ? resolve(baseDir, root.dataDir)
        : c.fail("dataDir", `must be a directory path (got ${describe(root.dataDir)})`);
  }
  const listen = root.listen === undefined ? {} : c.object("listen", root.listen, ["ssh", "ntp", "ntsKe"]);
  const ssh = listenAddress(c, "listen.ssh", listen?.ssh, PRODUCTION_DEFAULTS.listen.ssh);
  const ntp = ntpListen(c, listen?.ntp);
  const ntsKe = listenAddress(c, "listen.ntsKe", listen?.ntsKe, PRODUCTION_DEFAULTS.listen.ntsKe);
  if (root.console !== undefined && typeof root.console !== "boolean")
    c.fail("console", `must be true or false (got ${describe(root.console)})`);
  const log = logSettings(c, root.log);
  if (
    c.errors.length > 0 ||
    dataDir === undefined ||
    !log ||
    ssh === undefined ||
    ntp === undefined ||
    ntsKe === undefined
  )
    return { ok: false, errors: c.errors };
  return {
    ok: true,
    settings: { dataDir, listen: { ssh, ntp, ntsKe }, console: root.console === true, log },
  };
}

/** Parse and validate settings text; errors are prefixed with `file:` (and `line:col` for YAML). */
export function parseSettings(text: string, file: string): SettingsResult {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const at = e.linePos?.[0];
        return `${file}:${at ? `${at.line}:${at.col}:` : ""} ${e.message.split("\n")[0]}`;
      }),
    };
  }
  const result = validateSettings(doc.toJS(), dirname(resolve(file)));
  return result.ok ? result : { ok: false, errors: result.errors.map((e) => `${file}: ${e}`) };
}

/** Read a settings file, or the production defaults when `file` is undefined. */
export function loadSettings(file: string | undefined): SettingsResult {
  if (file === undefined) return { ok: true, settings: PRODUCTION_DEFAULTS };
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    return { ok: false, errors: [`${file}: ${error instanceof Error ? error.message : String(error)}`] };
  }
  return parseSettings(text, file);
}

#!/usr/bin/env node
/**
 * Builds the optional native addons (native/<name>/binding.gyp) with the node-gyp that npm
 * bundles, against the headers of the Node that runs this script: offline, no header download.
 *
 * Run by `npm run build:native` (and so by `prepare`, i.e. `npm ci`). It never fails the
 * install: when the platform is not Linux, or the headers, node-gyp, python3, make or a C
 * compiler are missing, or a build fails, it prints a warning and exits 0, and Meridian uses
 * node:dgram instead (MERIDIAN_UDP, README "Native UDP socket").
 *
 * Why not a plain `node-gyp rebuild`: without a `nodedir`, node-gyp downloads the headers
 * tarball for the running version, which fails offline (native-socket.md, "Building on a fresh
 * machine", case C). The headers ship with Node in `<prefix>/include/node`; passing that prefix
 * as --nodedir builds in about a second.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const BUILD_TIMEOUT_MS = 180_000;

/** What Meridian uses instead of each addon when it is missing. */
const FALLBACKS = {
  udpsock: "node:dgram for NTP (about half the throughput; receive timestamps late by event-loop queueing)",
  ntpmac: "node:crypto for NTP MACs (authenticated answers at about half the rate)",
};

function warn(message, addonNames = Object.keys(FALLBACKS)) {
  process.stderr.write(`meridian: warning: native addon not built: ${message}\n`);
  for (const name of addonNames) {
    process.stderr.write(`meridian: without native/${name}, the appliance uses ${FALLBACKS[name] ?? "a JS fallback"}\n`);
  }
}

/** A directory holding include/node/node_api.h for this Node: npm's nodedir, else the install prefix. */
function findNodeDir() {
  const candidates = [process.env.npm_config_nodedir, resolve(dirname(process.execPath), "..")];
  return candidates.find((dir) => dir && existsSync(join(dir, "include", "node", "node_api.h")));
}

/** npm's bundled node-gyp: npm passes its path to scripts; else look beside this Node's npm. */
function findNodeGyp() {
  const prefix = resolve(dirname(process.execPath), "..");
  const candidates = [
    process.env.npm_config_node_gyp,
    join(prefix, "lib", "node_modules", "npm", "node_modules", "node-gyp", "bin", "node-gyp.js"),
    join(prefix, "node_modules", "npm", "node_modules", "node-gyp", "bin", "node-gyp.js"),
  ];
  return candidates.find((path) => path && existsSync(path));
}

function addons() {
  const dir = join(root, "native");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => ({ name, dir: join(dir, name) }))
    .filter((addon) => existsSync(join(addon.dir, "binding.gyp")));
}

function build(addon, nodeGyp, nodeDir) {
  const result = spawnSync(process.execPath, [nodeGyp, "rebuild", `--nodedir=${nodeDir}`, "--loglevel=warn"], {
    cwd: addon.dir,
    encoding: "utf8",
    timeout: BUILD_TIMEOUT_MS,
    env: { ...process.env, npm_config_nodedir: nodeDir },
  });
  if (result.status === 0) {
    process.stderr.write(`meridian: built native/${addon.name}\n`);
    return true;
  }
  // node-gyp's log is long; the error lines say what is missing (make, a compiler, python3 ...).
  const lines = `${result.stdout ?? ""}${result.stderr ?? ""}`.split("\n");
  const errors = lines.filter((line) => /error|ERR! stack Error|not found|No such file/i.test(line) && !/ERR! (cwd|node|System|command)/.test(line));
  const shown = (errors.length > 0 ? errors : lines).slice(0, 8).join("\n");
  warn(`native/${addon.name} failed (${result.error?.message ?? `exit ${result.status}`}):\n${shown}`, [addon.name]);
  return false;
}

function main() {
  if (process.platform !== "linux") return warn(`${process.platform} is not supported (recvmmsg is Linux-only)`);
  const nodeDir = findNodeDir();
  if (nodeDir === undefined) {
    return warn(`no Node headers (include/node/node_api.h) under ${resolve(dirname(process.execPath), "..")}`);
  }
  const nodeGyp = findNodeGyp();
  if (nodeGyp === undefined) return warn("npm's bundled node-gyp was not found");
  for (const addon of addons()) build(addon, nodeGyp, nodeDir);
}

main();

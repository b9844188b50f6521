/**
 * Finds and loads a native addon that `scripts/buildNative.mjs` built (at `npm ci`) under
 * `native/<name>/build/Release/<name>.node`. Never throws: an addon that is missing, does not
 * load, or reports another ABI version comes back as a reason, so the caller can fall back to
 * pure JS. ESM cannot import `.node` files, hence `createRequire`.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, parse } from "node:path";
import { fileURLToPath } from "node:url";

export type AddonLoad<Addon> =
  | { readonly ok: true; readonly addon: Addon; readonly path: string }
  | { readonly ok: false; readonly reason: string };

/** How many directories up from this module to look for `native/`: src/… and dist/src/… both fit. */
const SEARCH_DEPTH = 6;

const require = createRequire(import.meta.url);
const cache = new Map<string, AddonLoad<unknown>>();

/** Path of the built addon `name`, searching upwards from this module; undefined when not built. */
export function findNativeAddon(name: string): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < SEARCH_DEPTH; depth++) {
    const candidate = join(dir, "native", name, "build", "Release", `${name}.node`);
    if (existsSync(candidate)) return candidate;
    if (dir === parse(dir).root) break;
    dir = dirname(dir);
  }
  return undefined;
}

/**
 * Loads addon `name` once per process. `check` inspects the exports and returns why they are
 * unusable (e.g. an ABI version from an older build), or undefined when they are fine.
 */
export function loadNativeAddon<Addon>(
  name: string,
  check: (exports: Record<string, unknown>) => string | undefined,
): AddonLoad<Addon> {
  const cached = cache.get(name);
  if (cached !== undefined) return cached as AddonLoad<Addon>;
  const result = tryLoad<Addon>(name, check);
  cache.set(name, result);
  return result;
}

function tryLoad<Addon>(
  name: string,
  check: (exports: Record<string, unknown>) => string | undefined,
): AddonLoad<Addon> {
  if (process.platform !== "linux") return { ok: false, reason: `${name} is Linux-only` };
  const path = findNativeAddon(name);
  if (path === undefined) {
    return { ok: false, reason: `native/${name} is not built (npm run build:native prints why)` };
  }
  try {
    const exports = require(path) as Record<string, unknown>;
    const problem = check(exports);
    if (problem !== undefined)
      return { ok: false, reason: `${path}: ${problem}; rebuild with npm run build:native` };
    return { ok: true, addon: exports as Addon, path };
  } catch (error) {
    return { ok: false, reason: `${path}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

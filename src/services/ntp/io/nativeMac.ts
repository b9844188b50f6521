/**
 * The OpenSSL `MacEngine` (native/ntpmac): the MACs of `proto/mac.ts` computed by the OpenSSL
 * inside Node, through an addon, at ~0.15-0.25 µs per MAC instead of 0.8-1.4 µs on node:crypto
 * (and no Hash object per digest for the GC). The NTP service installs it at start.
 *
 * Trust but verify: before it is used, the engine must reproduce node:crypto's output for every
 * algorithm (including truncation and a failing verify); otherwise it is reported unavailable.
 * MERIDIAN_MAC=js keeps node:crypto; MERIDIAN_MAC=native makes a missing engine an error.
 */
import type { MacAlgorithm, MacEngine, PreparedMac, SymmetricKey } from "../proto/mac.js";
import { FULL_DIGEST_LENGTH, MAC_ALGORITHMS, prepareNodeCryptoMac } from "../proto/mac.js";
import { loadNativeAddon } from "./nativeAddon.js";

/** The ABI version of ntpmac.c this file speaks (`NTPMAC_ABI`). */
const NTPMAC_ABI = 1;

/** Environment variable choosing the MAC implementation: native, js or auto (default). */
export const MAC_ENVIRONMENT_VARIABLE = "MERIDIAN_MAC";

declare const keyHandleBrand: unique symbol;
type KeyHandle = { readonly [keyHandleBrand]: true };

/** The functions ntpmac.c exports. */
interface NtpMacAddon {
  createKey(algorithm: MacAlgorithm, secret: Uint8Array): KeyHandle;
  write(
    key: KeyHandle,
    data: Uint8Array,
    dataLength: number,
    out: Uint8Array,
    offset: number,
    length: number,
  ): void;
  verify(key: KeyHandle, data: Uint8Array, dataLength: number, digest: Uint8Array): boolean;
}

function checkAddon(exports: Record<string, unknown>): string | undefined {
  if (exports.abi !== NTPMAC_ABI) return `ABI ${String(exports.abi)}, expected ${NTPMAC_ABI}`;
  if (typeof exports.unavailable === "string") return exports.unavailable;
  for (const name of ["createKey", "write", "verify"]) {
    if (typeof exports[name] !== "function") return `no ${name}()`;
  }
  return undefined;
}

class OpenSslMacEngine implements MacEngine {
  constructor(private readonly addon: NtpMacAddon) {}

  prepare(key: SymmetricKey): PreparedMac {
    const addon = this.addon;
    const handle = addon.createKey(key.algorithm, key.secret);
    return {
      writeDigest: (data, dataLength, out, offset, length) =>
        addon.write(handle, data, dataLength, out, offset, length),
      verify: (data, dataLength, digest) => addon.verify(handle, data, dataLength, digest),
    };
  }
}

/** Secrets and a message for the self-test: every algorithm, full and truncated digests. */
function selfTestProblem(engine: MacEngine): string | undefined {
  const message = Buffer.from(Array.from({ length: 61 }, (_, i) => (i * 37 + 11) & 0xff));
  for (const algorithm of MAC_ALGORITHMS) {
    const secretLength = algorithm === "aes-256-cmac" ? 32 : 16;
    const secret = Buffer.from(Array.from({ length: secretLength }, (_, i) => (i * 53 + 7) & 0xff));
    const key: SymmetricKey = { id: 1, algorithm, secret };
    const ours = engine.prepare(key);
    const reference = prepareNodeCryptoMac(key);
    if (ours === undefined) return `${algorithm}: not prepared`;
    for (const length of new Set([FULL_DIGEST_LENGTH[algorithm], 16])) {
      const expected = Buffer.alloc(length + 3);
      const actual = Buffer.alloc(length + 3);
      // Over a prefix, as the server uses it: the last octets must not count.
      reference.writeDigest(message, message.length - 5, expected, 3, length);
      ours.writeDigest(message, message.length - 5, actual, 3, length);
      if (!expected.equals(actual)) return `${algorithm}: digest differs from node:crypto`;
      const digest = expected.subarray(3);
      if (ours.verify && !ours.verify(message, message.length - 5, digest))
        return `${algorithm}: rejects a good MAC`;
      digest[0] = (digest[0] ?? 0) ^ 1;
      if (ours.verify?.(message, message.length - 5, digest)) return `${algorithm}: accepts a bad MAC`;
    }
  }
  return undefined;
}

let loaded: { engine: MacEngine } | { reason: string } | undefined;

function load(): { engine: MacEngine } | { reason: string } {
  if (loaded !== undefined) return loaded;
  const addon = loadNativeAddon<NtpMacAddon>("ntpmac", checkAddon);
  if (!addon.ok) {
    loaded = { reason: addon.reason };
    return loaded;
  }
  const engine = new OpenSslMacEngine(addon.addon);
  let problem: string | undefined;
  try {
    problem = selfTestProblem(engine);
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  }
  loaded = problem === undefined ? { engine } : { reason: `ntpmac self-test failed: ${problem}` };
  return loaded;
}

/** The OpenSSL engine, or undefined when the addon is missing or failed its self-test. Never throws. */
export function loadNativeMacEngine(): MacEngine | undefined {
  const result = load();
  return "engine" in result ? result.engine : undefined;
}

/** Why `loadNativeMacEngine()` returns undefined; undefined when it does not. */
export function nativeMacUnavailableReason(): string | undefined {
  const result = load();
  return "reason" in result ? result.reason : undefined;
}

/** The MAC implementation chosen: the engine to install (undefined: node:crypto) and why not native. */
export interface MacSelection {
  readonly engine: MacEngine | undefined;
  /** Why "auto" fell back to node:crypto; undefined otherwise. */
  readonly fallbackReason: string | undefined;
}

/**
 * The engine MERIDIAN_MAC asks for: none (node:crypto) for "js", or when "auto" finds no native
 * engine. Throws for a bad value, or for "native" when it is unavailable.
 */
export function chooseMacEngine(environment: NodeJS.ProcessEnv = process.env): MacSelection {
  const value = (environment[MAC_ENVIRONMENT_VARIABLE] ?? "auto").trim().toLowerCase() || "auto";
  if (value === "js") return { engine: undefined, fallbackReason: undefined };
  if (value !== "auto" && value !== "native") {
    throw new Error(`${MAC_ENVIRONMENT_VARIABLE}=${JSON.stringify(value)}: expected one of native, js, auto`);
  }
  const engine = loadNativeMacEngine();
  if (engine !== undefined) return { engine, fallbackReason: undefined };
  const reason = nativeMacUnavailableReason() ?? "unavailable";
  if (value === "native") throw new Error(`native MAC engine requested but unavailable: ${reason}`);
  return { engine: undefined, fallbackReason: reason };
}

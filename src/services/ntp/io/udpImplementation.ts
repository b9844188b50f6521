/**
 * Which UDP socket implementation the NTP service uses: the native transport (udpsock addon,
 * Linux, built at `npm ci`) or node:dgram. "auto", the default, takes native when the addon
 * loads and dgram otherwise. An explicit choice, from the listen options or else the
 * MERIDIAN_UDP environment variable, is obeyed or fails: asking for native where it is
 * unavailable is an error at start, not a silent fallback.
 */
import {
  loadNativeTransport,
  nativeTransportUnavailableReason,
  type OpenNativeTransport,
} from "./nativeTransport.js";

export type UdpImplementation = "native" | "dgram";
export type UdpChoice = UdpImplementation | "auto";

/** Environment variable consulted when no choice is passed: native, dgram or auto. */
export const UDP_ENVIRONMENT_VARIABLE = "MERIDIAN_UDP";

export interface UdpSelection {
  readonly implementation: UdpImplementation;
  /** The native transport's opener when native was chosen. */
  readonly openNative: OpenNativeTransport | undefined;
  /** Why "auto" fell back to dgram; undefined otherwise. */
  readonly fallbackReason: string | undefined;
}

const CHOICES: readonly UdpChoice[] = ["native", "dgram", "auto"];

/** Resolves `choice` (or the environment's) to an implementation. Throws for a bad value or unavailable native. */
export function chooseUdpImplementation(
  choice: UdpChoice | undefined,
  environment: NodeJS.ProcessEnv = process.env,
): UdpSelection {
  const wanted = choice ?? parseChoice(environment[UDP_ENVIRONMENT_VARIABLE]);
  if (wanted === "dgram")
    return { implementation: "dgram", openNative: undefined, fallbackReason: undefined };
  const openNative = loadNativeTransport();
  if (openNative !== undefined) return { implementation: "native", openNative, fallbackReason: undefined };
  const reason = nativeTransportUnavailableReason() ?? "unavailable";
  if (wanted === "native") throw new Error(`native UDP transport requested but unavailable: ${reason}`);
  return { implementation: "dgram", openNative: undefined, fallbackReason: reason };
}

function parseChoice(value: string | undefined): UdpChoice {
  if (value === undefined || value === "") return "auto";
  const choice = CHOICES.find((c) => c === value.trim().toLowerCase());
  if (choice === undefined) {
    throw new Error(
      `${UDP_ENVIRONMENT_VARIABLE}=${JSON.stringify(value)}: expected one of ${CHOICES.join(", ")}`,
    );
  }
  return choice;
}

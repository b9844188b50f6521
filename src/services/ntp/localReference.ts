/**
 * `ntp master [STRATUM]`: the local clock as a reference (ios-cli.md §1.2). The system runs at
 * stratum N with reference `127.127.1.1` (the pseudo-association at stratum N-1); at stratum 1
 * the reference id is the ASCII kiss-style code `LOCL`. IOS polls the local reference every
 * 16 s, so the reference time advances in 16-second steps.
 */
import type { WallTime } from "../clock/hostClock.js";
import type { NtpSystemState } from "../clock/softwareClock.js";
import { refIdFromAscii } from "./proto/kissCode.js";

/** 127.127.1.1 as a u32. */
export const LOCAL_CLOCK_REFID = 0x7f7f0101;
/** IOS's local reference poll interval (`show ntp associations`: poll 16). */
export const LOCAL_REFERENCE_POLL_SECONDS = 16;
/** Dispersion the local reference claims: its own precision is all it can vouch for (RFC 5905 §7.3). */
const LOCAL_ROOT_DISPERSION_SECONDS = 0.001;

export function localReferenceState(stratum: number, referenceTime: WallTime): NtpSystemState {
  const ascii = stratum === 1;
  return {
    synchronized: true,
    stratum,
    leap: 0,
    referenceId: ascii ? refIdFromAscii("LOCL") : LOCAL_CLOCK_REFID,
    referenceName: ascii ? ".LOCL." : "127.127.1.1",
    rootDelaySeconds: 0,
    rootDispersionSeconds: LOCAL_ROOT_DISPERSION_SECONDS,
    referenceTime,
  };
}

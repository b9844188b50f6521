/**
 * `ntp master N` (ios-cli.md §1.2): the local clock as the fallback reference. It shows as the
 * pseudo-association `127.127.1.1` with refid `.LOCL.`, stratum N-1 and a 16 s poll whose reach
 * register fills like a real source's; when it is the system peer the box serves time at
 * stratum N with reference `127.127.1.1` (`.LOCL.` as ASCII for N = 1). The client uses it only
 * while no upstream source survives selection.
 */
import { refIdFromAscii } from "./kissCode.js";
import { type NtpTimestamp, ZERO_TIMESTAMP } from "./ntpTimestamp.js";

export const LOCAL_CLOCK_ADDRESS = "127.127.1.1";
/** 127.127.1.1 as a u32 (what IOS advertises for `ntp master` at stratum 2..15). */
export const LOCAL_CLOCK_REFID = 0x7f7f0101;
/** `ntp master 1` advertises the ASCII reference `LOCL`. */
export const LOCAL_CLOCK_ASCII_REFID = refIdFromAscii("LOCL");
/** IOS polls its local reference every 16 s (`show ntp associations`: poll 16). */
export const LOCAL_POLL_LOG2 = 4;
/** Dispersion the local reference claims: its own precision and read jitter, about 1 ms on IOS. */
export const LOCAL_DISPERSION_SECONDS = 0.001;
/** Association id of the pseudo-association. */
export const LOCAL_CLOCK_ID = 1;

export class LocalClockSource {
  reach = 0;
  nextPollAt: number;
  referenceTime: NtpTimestamp = ZERO_TIMESTAMP;
  lastPollAt: number | undefined;
  polls = 0;

  constructor(
    public stratum: number,
    nowSeconds: number,
  ) {
    this.nextPollAt = nowSeconds;
  }

  /** The system stratum it gives, and the refid advertised for it. */
  get referenceId(): number {
    return this.stratum === 1 ? LOCAL_CLOCK_ASCII_REFID : LOCAL_CLOCK_REFID;
  }

  get referenceName(): string {
    return this.stratum === 1 ? ".LOCL." : LOCAL_CLOCK_ADDRESS;
  }

  /** One 16 s poll: always answered. */
  poll(nowSeconds: number, nowLocal: NtpTimestamp): void {
    this.reach = ((this.reach << 1) | 1) & 0xff;
    this.polls++;
    this.referenceTime = nowLocal;
    this.lastPollAt = nowSeconds;
    this.nextPollAt = nowSeconds + 2 ** LOCAL_POLL_LOG2;
  }
}

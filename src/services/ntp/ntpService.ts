/**
 * The NTP service: UDP sockets on the configured addresses, the sans-I/O server core, and the
 * system state the server advertises. It reconciles itself with each new running-config:
 * access groups, keys, rate limits and `ntp master` apply at once, without a restart.
 */
import type { RunningConfig } from "../../config/model.js";
import { wallTimeToNtp } from "../clock/hostClock.js";
import { type SoftwareClock, UNSYNCHRONIZED } from "../clock/softwareClock.js";
import type { DatagramTransport } from "./io/datagramTransport.js";
import { openDgramTransport } from "./io/dgramTransport.js";
import { LOCAL_REFERENCE_POLL_SECONDS, localReferenceState } from "./localReference.js";
import type { NtpTimestamp } from "./proto/ntpTimestamp.js";
import { ZERO_TIMESTAMP } from "./proto/ntpTimestamp.js";
import { NtpServer } from "./proto/server.js";
import type { ServerClock } from "./proto/serverClock.js";
import { buildServerPolicy } from "./serverPolicyFromConfig.js";

export interface NtpListenOptions {
  /** Addresses to serve on, IPv4 and/or IPv6 literals. */
  readonly addresses: readonly string[];
  /** UDP port (123 in production; tests and the lab settings use unprivileged ports or 0). */
  readonly port: number;
}

/** Largest datagram we answer into; responses are never larger than requests (no amplification). */
const RESPONSE_BUFFER_BYTES = 2048;
/** Absorbs request bursts at saturation (the kernel caps it at net.core.rmem_max). */
const RECEIVE_BUFFER_BYTES = 4 << 20;

/** The SoftwareClock as the server core sees it. */
export function serverClockOf(clock: SoftwareClock): ServerClock {
  return {
    now: () => wallTimeToNtp(clock.wall()),
    system: () => {
      const s = clock.ntp();
      return {
        synchronized: s.synchronized,
        leap: s.leap,
        stratum: s.stratum,
        precisionLog2: clock.precisionLog2,
        rootDelaySeconds: s.rootDelaySeconds,
        rootDispersionSeconds: s.rootDispersionSeconds,
        referenceId: s.referenceId,
        referenceTimestamp: s.referenceTime ? wallTimeToNtp(s.referenceTime) : ZERO_TIMESTAMP,
      };
    },
  };
}

export class NtpService {
  private readonly server: NtpServer;
  private readonly out = Buffer.alloc(RESPONSE_BUFFER_BYTES);
  private masterTimer: NodeJS.Timeout | undefined;
  private masterStratum: number | undefined;

  private constructor(
    private readonly clock: SoftwareClock,
    readonly transports: readonly DatagramTransport<NtpTimestamp>[],
    config: RunningConfig,
  ) {
    this.server = new NtpServer(buildServerPolicy(config), serverClockOf(clock));
    for (const t of transports) t.onBatch((batch) => this.onBatch(t, batch));
    this.reconfigure(config);
  }

  /** Open the sockets and start serving `config`. */
  static async start(clock: SoftwareClock, listen: NtpListenOptions, config: RunningConfig): Promise<NtpService> {
    const receiveClock = () => wallTimeToNtp(clock.wall());
    const transports: DatagramTransport<NtpTimestamp>[] = [];
    try {
      for (const address of listen.addresses) {
        transports.push(
          await openDgramTransport({ address, port: listen.port, receiveClock, recvBufferSize: RECEIVE_BUFFER_BYTES }),
        );
      }
    } catch (error) {
      await Promise.all(transports.map((t) => t.close()));
      throw error;
    }
    return new NtpService(clock, transports, config);
  }

  /** Apply a new running-config (called after every configuration session). */
  reconfigure(config: RunningConfig): void {
    this.server.updatePolicy(buildServerPolicy(config));
    this.applyMaster(config.ntp.master);
  }

  get stats() {
    return this.server.stats.snapshot();
  }

  /** Ports actually bound (the kernel's choice for port 0), one per address. */
  get ports(): number[] {
    return this.transports.map((t) => t.localPort);
  }

  async close(): Promise<void> {
    if (this.masterTimer) clearInterval(this.masterTimer);
    this.masterTimer = undefined;
    await Promise.all(this.transports.map((t) => t.close()));
  }

  private onBatch(
    transport: DatagramTransport<NtpTimestamp>,
    batch: readonly { data: Buffer; address: string; port: number; receivedAt: NtpTimestamp }[],
  ): void {
    const monotonicSeconds = this.clock.monotonicMs() / 1000;
    for (const d of batch) {
      const decision = this.server.handle(d.address, d.receivedAt, d.data, this.out, monotonicSeconds);
      if (decision.action === "respond") transport.send(this.out, decision.length, d.address, d.port);
    }
  }

  /**
   * `ntp master N` with no better source: serve the local clock at stratum N, refreshing the
   * reference time on the local reference's 16 s poll. Without it, the system is unsynchronized
   * (until the client of a later issue synchronizes it).
   */
  private applyMaster(stratum: number | undefined): void {
    if (stratum === this.masterStratum) return;
    this.masterStratum = stratum;
    if (this.masterTimer) clearInterval(this.masterTimer);
    this.masterTimer = undefined;
    if (stratum === undefined) {
      this.clock.setNtp(UNSYNCHRONIZED);
      return;
    }
    const update = () => this.clock.setNtp(localReferenceState(stratum, this.clock.wall()));
    update();
    this.masterTimer = setInterval(update, LOCAL_REFERENCE_POLL_SECONDS * 1000);
    this.masterTimer.unref();
  }
}

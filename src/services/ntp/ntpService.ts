/**
 * The NTP service: UDP sockets on the configured addresses, the sans-I/O server core, and the
 * system state the server advertises. It reconciles itself with each new running-config:
 * access groups, keys, rate limits and `ntp master` apply at once, without a restart.
 *
 * Sockets: the native transport (native/udpsock: recvmmsg batches, kernel receive timestamps,
 * sendmmsg) when its addon loaded, else node:dgram; `udpImplementation.ts` decides. MACs: Node's
 * OpenSSL through native/ntpmac when it loaded and passed its self-test, else node:crypto.
 */
import type { RunningConfig } from "../../config/model.js";
import { wallTimeToNtp } from "../clock/hostClock.js";
import { type SoftwareClock, UNSYNCHRONIZED } from "../clock/softwareClock.js";
import type { DatagramTransport, ReceivedDatagram } from "./io/datagramTransport.js";
import { openDgramTransport } from "./io/dgramTransport.js";
import { chooseMacEngine } from "./io/nativeMac.js";
import { chooseUdpImplementation, type UdpChoice, type UdpImplementation } from "./io/udpImplementation.js";
import { LOCAL_REFERENCE_POLL_SECONDS, localReferenceState } from "./localReference.js";
import type { NtpSnapshot } from "./ntpSnapshot.js";
import { useMacEngine } from "./proto/mac.js";
import type { NtpTimestamp } from "./proto/ntpTimestamp.js";
import { ZERO_TIMESTAMP } from "./proto/ntpTimestamp.js";
import { NtpServer } from "./proto/server.js";
import type { ServerClock } from "./proto/serverClock.js";
import { buildServerPolicy } from "./serverPolicyFromConfig.js";
import { serverOnlySnapshot } from "./serviceSnapshot.js";

export interface NtpListenOptions {
  /** Addresses to serve on, IPv4 and/or IPv6 literals. */
  readonly addresses: readonly string[];
  /** UDP port (123 in production; tests and the lab settings use unprivileged ports or 0). */
  readonly port: number;
  /**
   * Socket implementation: "native", "dgram", or "auto" (native when the addon loads, else
   * dgram). When omitted, the MERIDIAN_UDP environment variable decides, then "auto".
   */
  readonly udp?: UdpChoice;
}

/** Largest datagram we answer into; responses are never larger than requests (no amplification). */
const RESPONSE_BUFFER_BYTES = 2048;
/**
 * Responses per send. Each response's transmit timestamp is read while it is built, and a chunk
 * bounds how long a stamped response waits for its sendmmsg: the prototype measured one
 * timestamp per 64-packet batch 48 µs off at saturation and per chunk of 4 about 1 µs
 * (native-socket.md, "Numbers"). Our responses take longer to build (~0.5 µs, ~1.3 µs signed),
 * so the wait grows with the chunk. Measured here at 16 in flight (ntpload offset, native
 * socket): chunk 4 -3.5 to -4.5 µs, chunk 2 -1.3 to -1.8 µs, chunk 1 -0.4 to -0.6 µs but up to
 * 25 % more CPU per answer; chunk 2 cost no throughput against 4.
 */
const REPLY_CHUNK = 2;
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

/** The implementations serving NTP, for logs and `npm run bench`. */
export interface NtpIoImplementation {
  readonly udp: UdpImplementation;
  /** "native": OpenSSL through native/ntpmac; "js": node:crypto. */
  readonly mac: "native" | "js";
  /** Why "auto" fell back from native, one line per component; empty when native serves. */
  readonly fallbacks: readonly string[];
}

/** A reply slot of the current chunk: its own response buffer, refilled per chunk. */
interface ReplySlot {
  to: ReceivedDatagram<NtpTimestamp>;
  readonly data: Buffer;
  length: number;
}

const NO_DATAGRAM: ReceivedDatagram<NtpTimestamp> = Object.freeze({
  data: Buffer.alloc(0),
  address: "0.0.0.0",
  port: 0,
  family: 4,
  receivedAt: ZERO_TIMESTAMP,
});

export class NtpService {
  private readonly server: NtpServer;
  private readonly replies: ReplySlot[] = Array.from({ length: REPLY_CHUNK }, () => ({
    to: NO_DATAGRAM,
    data: Buffer.alloc(RESPONSE_BUFFER_BYTES),
    length: 0,
  }));
  private masterTimer: NodeJS.Timeout | undefined;
  private masterStratum: number | undefined;
  private readonly startedMonotonicMs: number;

  private constructor(
    private readonly clock: SoftwareClock,
    readonly transports: readonly DatagramTransport<NtpTimestamp>[],
    /** Which socket and MAC implementations serve. */
    readonly io: NtpIoImplementation,
    config: RunningConfig,
  ) {
    this.startedMonotonicMs = clock.monotonicMs();
    this.server = new NtpServer(buildServerPolicy(config), serverClockOf(clock));
    for (const t of transports) t.onBatch((batch) => this.onBatch(t, batch));
    this.reconfigure(config);
  }

  /** Open the sockets and start serving `config`. */
  static async start(
    clock: SoftwareClock,
    listen: NtpListenOptions,
    config: RunningConfig,
  ): Promise<NtpService> {
    const udp = chooseUdpImplementation(listen.udp);
    // Process-wide, like a crypto engine: OpenSSL through native/ntpmac unless MERIDIAN_MAC=js.
    const mac = chooseMacEngine();
    useMacEngine(mac.engine);
    const receiveClock = () => wallTimeToNtp(clock.wall());
    const transports: DatagramTransport<NtpTimestamp>[] = [];
    try {
      for (const address of listen.addresses) {
        const options = { address, port: listen.port, receiveClock, recvBufferSize: RECEIVE_BUFFER_BYTES };
        transports.push(await (udp.openNative ? udp.openNative(options) : openDgramTransport(options)));
      }
    } catch (error) {
      await Promise.all(transports.map((t) => t.close()));
      throw error;
    }
    const io: NtpIoImplementation = {
      udp: udp.implementation,
      mac: mac.engine === undefined ? "js" : "native",
      fallbacks: [
        ...(udp.fallbackReason === undefined ? [] : [`udp: ${udp.fallbackReason}`]),
        ...(mac.fallbackReason === undefined ? [] : [`mac: ${mac.fallbackReason}`]),
      ],
    };
    return new NtpService(clock, transports, io, config);
  }

  /** Apply a new running-config (called after every configuration session). */
  reconfigure(config: RunningConfig): void {
    this.server.updatePolicy(buildServerPolicy(config));
    this.applyMaster(config.ntp.master);
  }

  /** What `show ntp associations` and `show ntp status` render. */
  snapshot(): NtpSnapshot {
    return serverOnlySnapshot(this.clock, this.masterStratum, this.startedMonotonicMs);
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

  /** Answers a batch in chunks of REPLY_CHUNK responses, each chunk sent as soon as it is built. */
  private onBatch(
    transport: DatagramTransport<NtpTimestamp>,
    batch: readonly ReceivedDatagram<NtpTimestamp>[],
  ): void {
    const monotonicSeconds = this.clock.monotonicMs() / 1000;
    const replies = this.replies;
    let pending = 0;
    for (const d of batch) {
      const reply = replies[pending] as ReplySlot;
      const decision = this.server.handle(d.address, d.receivedAt, d.data, reply.data, monotonicSeconds);
      if (decision.action !== "respond") continue;
      reply.to = d;
      reply.length = decision.length;
      if (++pending === REPLY_CHUNK) {
        transport.replyBatch(replies, pending);
        pending = 0;
      }
    }
    if (pending > 0) transport.replyBatch(replies, pending);
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

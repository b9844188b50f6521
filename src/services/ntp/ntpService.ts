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
import type { SoftwareClock } from "../clock/softwareClock.js";
import type { ZoneSpec } from "../clock/timeZone.js";
import type { SyslogMessage } from "../syslog/syslogMessage.js";
import { buildClientConfig } from "./clientConfigFromConfig.js";
import { clientEventMessage } from "./clientEvents.js";
import type { DatagramTransport, ReceivedDatagram } from "./io/datagramTransport.js";
import { openDgramTransport } from "./io/dgramTransport.js";
import { chooseMacEngine } from "./io/nativeMac.js";
import { chooseUdpImplementation, type UdpChoice, type UdpImplementation } from "./io/udpImplementation.js";
import type { NtpSnapshot } from "./ntpSnapshot.js";
import type { ClientAction, ClientEvent } from "./proto/clientActions.js";
import { useMacEngine } from "./proto/mac.js";
import { NtpClient } from "./proto/ntpClient.js";
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
  /**
   * Socket implementation: "native", "dgram", or "auto" (native when the addon loads, else
   * dgram). When omitted, the MERIDIAN_UDP environment variable decides, then "auto".
   */
  readonly udp?: UdpChoice;
}

/** Where the service reports to: device events (syslog) and the drift file. */
export interface NtpServiceHooks {
  /** An IOS message for the syslog service (already gated on `ntp logging`). */
  readonly log?: (message: SyslogMessage) => void;
  /** The zone CLOCKUPDATE messages render in. */
  readonly zone?: () => ZoneSpec;
  /** The frequency correction persisted at the last shutdown, ppm (drift file). */
  readonly restoredFrequencyPpm?: number;
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
/** RFC 5905 §7.3: header length, and the modes routed to the client core. */
const MIN_NTP_LENGTH = 48;
const MODE_MASK = 0x07;
const MODE_ACTIVE = 1;
const MODE_PASSIVE = 2;
const MODE_SERVER = 4;
/** Absorbs request bursts at saturation (the kernel caps it at net.core.rmem_max). */
const RECEIVE_BUFFER_BYTES = 4 << 20;

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
  private readonly client: NtpClient;
  private clientTimer: NodeJS.Timeout | undefined;
  private logging = false;
  private closed = false;

  private constructor(
    private readonly clock: SoftwareClock,
    readonly transports: readonly DatagramTransport<NtpTimestamp>[],
    /** Which socket and MAC implementations serve. */
    readonly io: NtpIoImplementation,
    config: RunningConfig,
    private readonly hooks: NtpServiceHooks,
  ) {
    const now = this.nowSeconds();
    this.client = new NtpClient({
      clock: clock.disciplined(),
      config: buildClientConfig(config).config,
      nowMonotonicSeconds: now,
      precisionLog2: clock.precisionLog2,
    });
    if (hooks.restoredFrequencyPpm !== undefined)
      this.client.restoreFrequencyPpm(hooks.restoredFrequencyPpm, now);
    this.server = new NtpServer(buildServerPolicy(config), this.client.serverClock());
    for (const t of transports) t.onBatch((batch) => this.onBatch(t, batch));
    this.logging = config.ntp.logging;
    this.perform(this.client.handleTimer(now));
  }

  /** Open the sockets and start serving `config`. */
  static async start(
    clock: SoftwareClock,
    listen: NtpListenOptions,
    config: RunningConfig,
    hooks: NtpServiceHooks = {},
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
    return new NtpService(clock, transports, io, config, hooks);
  }

  /** Apply a new running-config (called after every configuration session). */
  reconfigure(config: RunningConfig): void {
    this.logging = config.ntp.logging;
    this.server.updatePolicy(buildServerPolicy(config));
    this.perform(this.client.updateConfig(buildClientConfig(config).config, this.nowSeconds()));
  }

  /** What `show ntp associations` and `show ntp status` render. */
  snapshot(): NtpSnapshot {
    return this.client.snapshot(this.nowSeconds());
  }

  /** The frequency correction to persist (drift file), ppm. */
  frequencyPpm(): number {
    return this.client.frequencyPpm();
  }

  get stats() {
    return this.server.stats.snapshot();
  }

  /** Ports actually bound (the kernel's choice for port 0), one per address. */
  get ports(): number[] {
    return this.transports.map((t) => t.localPort);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.clientTimer) clearTimeout(this.clientTimer);
    this.clientTimer = undefined;
    await Promise.all(this.transports.map((t) => t.close()));
  }

  private nowSeconds(): number {
    return this.clock.monotonicMs() / 1000;
  }

  /** Carry out what the client core asked: send, re-arm its timer, report events, publish state. */
  private perform(actions: readonly ClientAction[]): void {
    if (this.closed) return;
    // Requests first: their transmit timestamps were just read, and every µs before the send is
    // offset error (events and logging can wait).
    for (const action of actions) {
      if (action.kind === "send") {
        const transport = this.transportFor(action.address);
        if (!transport) continue;
        const sentAt = wallTimeToNtp(this.clock.wall());
        transport.send(action.datagram, action.datagram.length, action.address, action.port);
        this.client.requestSent(action, action.datagram, sentAt);
      }
    }
    for (const action of actions) {
      if (action.kind === "timer") this.armTimer(action.atMonotonicSeconds);
      else if (action.kind === "event") this.report(action.event);
    }
    this.publishSystemState();
  }

  private armTimer(atMonotonicSeconds: number): void {
    if (this.clientTimer) clearTimeout(this.clientTimer);
    const delayMs = Math.max(0, (atMonotonicSeconds - this.nowSeconds()) * 1000);
    this.clientTimer = setTimeout(() => {
      this.clientTimer = undefined;
      this.perform(this.client.handleTimer(this.nowSeconds()));
    }, delayMs);
    this.clientTimer.unref();
  }

  private transportFor(address: string): DatagramTransport<NtpTimestamp> | undefined {
    const family = address.includes(":") ? 6 : 4;
    return this.transports.find((t) => t.family === family);
  }

  private report(event: ClientEvent): void {
    if (!this.logging || !this.hooks.log) return;
    const message = clientEventMessage(event, this.hooks.zone?.() ?? {});
    if (message) this.hooks.log(message);
  }

  /**
   * The clock carries the system's synchronization state for `show clock`, syslog markers and
   * PKI (DESIGN.md "One clock"); it is updated when the state changes, not on every sample.
   */
  private publishSystemState(): void {
    const system = this.client.systemSnapshot();
    const synchronized =
      system.synchronized && system.stratum > 0 && system.stratum < 16 && system.leap !== 3;
    const current = this.clock.ntp();
    if (
      current.synchronized === synchronized &&
      current.stratum === (synchronized ? system.stratum : 16) &&
      current.referenceId === system.referenceId &&
      current.leap === system.leap
    ) {
      return;
    }
    const name = this.client.snapshot(this.nowSeconds()).system.referenceName;
    this.clock.setNtp({
      synchronized,
      stratum: synchronized ? system.stratum : 16,
      leap: system.leap,
      referenceId: system.referenceId,
      ...(name ? { referenceName: name } : {}),
      rootDelaySeconds: system.rootDelaySeconds,
      rootDispersionSeconds: system.rootDispersionSeconds,
      referenceTime: this.clock.wall(),
    });
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
      if (this.toClient(d, monotonicSeconds)) continue;
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
   * Replies to our requests (modes 4 and 2) go to the client core; so do symmetric-active
   * packets (mode 1), which the server core also answers. Returns true when the server must not
   * see the datagram.
   */
  private toClient(d: ReceivedDatagram<NtpTimestamp>, monotonicSeconds: number): boolean {
    if (d.data.length < MIN_NTP_LENGTH) return false;
    const mode = (d.data[0] ?? 0) & MODE_MASK;
    if (mode !== MODE_SERVER && mode !== MODE_PASSIVE && mode !== MODE_ACTIVE) return false;
    // The client core keeps no reference to the datagram (copy: transports reuse their buffers).
    this.perform(this.client.handlePacket(d, d.receivedAt, Buffer.from(d.data), monotonicSeconds));
    return mode !== MODE_ACTIVE;
  }
}

/**
 * `DatagramTransport<NtpTimestamp>` on the udpsock addon (native/udpsock, the measured design of
 * reference/native-socket.md): recvmmsg batches of up to 64 datagrams with kernel receive
 * timestamps, one handler call per batch, one sendmmsg per `replyBatch`/`sendBatch` chunk.
 * Linux only. `loadNativeTransport()` returns undefined when the addon did not build or load;
 * the NTP service then falls back to `dgramTransport.ts`.
 *
 * Receive time. The kernel stamps each datagram's arrival on CLOCK_REALTIME (SO_TIMESTAMPNS), but
 * the appliance serves its SoftwareClock, which may be offset from the host. Once per batch the
 * transport reads CLOCK_REALTIME (the addon's `now`) between two reads of the receive clock and
 * maps each stamp by its age: t2 = receiveClock() − (realtime_now − t2_kernel)
 * (native-socket.md pitfall 4). The stamp no longer waits in the event loop's queue: that queueing
 * was +56 µs of receive error at 16 requests in flight with dgram.
 *
 * Memory: the addon shares one buffer (layout in udpsock.c). A received datagram's `data` is a
 * view of its receive slot, valid until the handler returns, as the transport contract says.
 * Sending copies each datagram into a transmit slot, so callers may reuse their buffers at once.
 *
 * Counters: `sent` counts datagrams the kernel accepted and `sendErrors` those it refused, both
 * synchronously (dgram counts attempts and learns of refusals later).
 */
import { isIP, SocketAddress } from "node:net";
import { addSeconds, type NtpTimestamp, timestampDiffSeconds } from "../proto/ntpTimestamp.js";
import type {
  DatagramTransport,
  DatagramTransportStats,
  OutgoingDatagram,
  ReceivedDatagram,
  Reply,
} from "./datagramTransport.js";
import { loadNativeAddon } from "./nativeAddon.js";

export interface NativeTransportOptions {
  /** Local address to bind: an IPv4 or IPv6 literal ("127.0.0.1", "::1", "0.0.0.0", "::"). */
  readonly address: string;
  /** Local port; 0 lets the kernel choose (see `localPort`). */
  readonly port: number;
  /** The appliance clock; read once per batch, right after the addon reads CLOCK_REALTIME. */
  readonly receiveClock: () => NtpTimestamp;
  /** SO_RCVBUF request, octets (the kernel caps it at net.core.rmem_max). */
  readonly recvBufferSize?: number;
  /** SO_SNDBUF request, octets. */
  readonly sendBufferSize?: number;
  /** IPv6 sockets only: refuse IPv4-mapped traffic (IPV6_V6ONLY). Default true, as for dgram. */
  readonly ipv6Only?: boolean;
  /** Most datagrams per recvmmsg and per handler call. Default 64 (native-socket.md: caps 16-64 did best). */
  readonly batchSize?: number;
}

/** Opens a native UDP socket bound to `options.address`:`options.port`. */
export type OpenNativeTransport = (
  options: NativeTransportOptions,
) => Promise<DatagramTransport<NtpTimestamp>>;

/** The ABI version of udpsock.c this file speaks (`UDPSOCK_ABI`). */
const UDPSOCK_ABI = 1;
const DEFAULT_BATCH = 64;
/** Receive and transmit slot size: the NTP service's response buffer; longer datagrams are dropped and counted. */
const SLOT_OCTETS = 2048;

// Field indices of the shared memory, as in udpsock.c.
const CTL_NOW_SEC = 0;
const CTL_NOW_NSEC = 1;
const CTL_RECEIVED = 2;
const CTL_SENT = 3;
const CTL_SEND_ERRORS = 4;
const CTL_SOCKET_ERRORS = 5;
const CTL_FIELDS = 8;
const RX_LEN = 0;
const RX_FLAGS = 1;
const RX_SEC = 2;
const RX_NSEC = 3;
const RX_PORT = 4;
const RX_FAMILY = 5;
const RX_TEXT_LEN = 6;
const RX_FIELDS = 8;
const TX_DATA_SLOT = 0;
const TX_LEN = 1;
const TX_ADDR_SLOT = 2;
const TX_FIELDS = 4;
const FLAG_TIMESTAMP = 1;
const FLAG_TRUNCATED = 2;
const TEXT_STRIDE = 48;
const NS_PER_SECOND = 1e9;

declare const socketHandleBrand: unique symbol;
/** The addon's opaque socket handle (a Node-API external). */
type SocketHandle = { readonly [socketHandleBrand]: true };

/** What udpsock.open returns: the handle, the shared memory and the byte offsets of its regions. */
interface OpenedSocket {
  readonly handle: SocketHandle;
  readonly memory: Buffer;
  readonly port: number;
  readonly family: 4 | 6;
  readonly batch: number;
  readonly slot: number;
  readonly ctl: number;
  readonly rxMeta: number;
  readonly txMeta: number;
  readonly text: number;
  readonly rxData: number;
  readonly txData: number;
}

/** The functions udpsock.c exports. */
interface UdpSockAddon {
  readonly abi: number;
  open(
    address: string,
    port: number,
    v6only: boolean,
    batch: number,
    slot: number,
    rcvbuf: number,
    sndbuf: number,
    onBatch: (count: number) => void,
  ): OpenedSocket;
  send(handle: SocketHandle, count: number): number;
  setAddress(handle: SocketHandle, addressSlot: number, address: string, port: number): boolean;
  now(handle: SocketHandle): void;
  close(handle: SocketHandle): void;
}

function checkAddon(exports: Record<string, unknown>): string | undefined {
  if (exports.abi !== UDPSOCK_ABI) return `ABI ${String(exports.abi)}, expected ${UDPSOCK_ABI}`;
  for (const name of ["open", "send", "setAddress", "now", "close"]) {
    if (typeof exports[name] !== "function") return `no ${name}()`;
  }
  return undefined;
}

function loadAddon() {
  return loadNativeAddon<UdpSockAddon>("udpsock", checkAddon);
}

/** The native transport's opener, or undefined when the addon is not available here. Never throws. */
export function loadNativeTransport(): OpenNativeTransport | undefined {
  const load = loadAddon();
  if (!load.ok) return undefined;
  const addon = load.addon;
  return async (options) => openNativeTransport(addon, options);
}

/** Why `loadNativeTransport()` returns undefined; undefined when it does not. */
export function nativeTransportUnavailableReason(): string | undefined {
  const load = loadAddon();
  return load.ok ? undefined : load.reason;
}

function openNativeTransport(
  addon: UdpSockAddon,
  options: NativeTransportOptions,
): DatagramTransport<NtpTimestamp> {
  const family = isIP(options.address);
  if (family !== 4 && family !== 6) {
    throw new TypeError(`not an IP address literal: ${JSON.stringify(options.address)}`);
  }
  const batch = options.batchSize ?? DEFAULT_BATCH;
  if (!Number.isInteger(batch) || batch < 1 || batch > 1024)
    throw new RangeError(`batchSize ${batch} is outside 1..1024`);
  let transport: NativeTransport | undefined;
  const opened = addon.open(
    options.address,
    options.port,
    options.ipv6Only ?? true,
    batch,
    SLOT_OCTETS,
    options.recvBufferSize ?? 0,
    options.sendBufferSize ?? 0,
    (count) => transport?.deliver(count),
  );
  const localAddress = new SocketAddress({ address: options.address, family: family === 4 ? "ipv4" : "ipv6" })
    .address;
  transport = new NativeTransport(addon, opened, localAddress, options.receiveClock);
  return transport;
}

/** Numbers the batches of every native transport, so a datagram knows whether its batch is still current. */
let batchSerial = 0;

/** A received datagram that remembers where its source address lies in the shared memory. */
class NativeDatagram implements ReceivedDatagram<NtpTimestamp> {
  constructor(
    readonly data: Buffer,
    readonly address: string,
    readonly port: number,
    readonly family: 4 | 6,
    readonly receivedAt: NtpTimestamp,
    /** The receive slot, whose raw source address is valid while batch `serial` is being handled. */
    readonly slot: number,
    readonly serial: number,
  ) {}
}

type BatchHandler = (batch: readonly ReceivedDatagram<NtpTimestamp>[]) => void;

class NativeTransport implements DatagramTransport<NtpTimestamp> {
  readonly family: 4 | 6;
  readonly localPort: number;
  private handler: BatchHandler | undefined;
  private closed = false;
  private readonly handle: SocketHandle;
  private readonly memory: Buffer;
  private readonly ctl: Float64Array;
  private readonly rxMeta: Uint32Array;
  private readonly txMeta: Uint32Array;
  private readonly batchCapacity: number;
  private readonly slot: number;
  private readonly textOffset: number;
  private readonly rxDataOffset: number;
  private readonly txDataOffset: number;
  /** Views of the receive slots, reused while a slot's datagrams keep the same length (they usually do). */
  private readonly slotViews: (Buffer | undefined)[];
  /** The batch array handed to the handler, reused. */
  private readonly batch: NativeDatagram[] = [];
  /** Serial of the batch being handled; -1 outside the handler. */
  private currentSerial = -1;
  private droppedWithoutHandler = 0;
  private oversized = 0;
  /** Refusals counted in JS: bad lengths, unparsable addresses, sends after close. */
  private localSendErrors = 0;

  constructor(
    private readonly addon: UdpSockAddon,
    opened: OpenedSocket,
    readonly localAddress: string,
    private readonly receiveClock: () => NtpTimestamp,
  ) {
    const { memory } = opened;
    this.handle = opened.handle;
    this.memory = memory;
    this.family = opened.family;
    this.localPort = opened.port;
    this.batchCapacity = opened.batch;
    this.slot = opened.slot;
    this.ctl = new Float64Array(memory.buffer, memory.byteOffset + opened.ctl, CTL_FIELDS);
    this.rxMeta = new Uint32Array(memory.buffer, memory.byteOffset + opened.rxMeta, opened.batch * RX_FIELDS);
    this.txMeta = new Uint32Array(memory.buffer, memory.byteOffset + opened.txMeta, opened.batch * TX_FIELDS);
    this.textOffset = opened.text;
    this.rxDataOffset = opened.rxData;
    this.txDataOffset = opened.txData;
    this.slotViews = new Array<Buffer | undefined>(opened.batch).fill(undefined);
  }

  get stats(): DatagramTransportStats {
    const ctl = this.ctl;
    return {
      received: ctl[CTL_RECEIVED] ?? 0,
      sent: ctl[CTL_SENT] ?? 0,
      sendErrors: (ctl[CTL_SEND_ERRORS] ?? 0) + this.localSendErrors,
      socketErrors: ctl[CTL_SOCKET_ERRORS] ?? 0,
      droppedWithoutHandler: this.droppedWithoutHandler,
      oversized: this.oversized,
    };
  }

  onBatch(handler: BatchHandler): void {
    this.handler = handler;
  }

  /** Called by the addon with the number of datagrams it just received into the shared memory. */
  deliver(count: number): void {
    const handler = this.handler;
    if (handler === undefined) {
      this.droppedWithoutHandler += count;
      return;
    }
    const clockNow = this.clockAtRealtimeRead();
    const realtimeSeconds = this.ctl[CTL_NOW_SEC] ?? 0;
    const realtimeNanos = this.ctl[CTL_NOW_NSEC] ?? 0;
    const serial = ++batchSerial;
    const meta = this.rxMeta;
    const batch = this.batch;
    for (let i = 0; i < count; i++) {
      const m = i * RX_FIELDS;
      const flags = meta[m + RX_FLAGS] ?? 0;
      if ((flags & FLAG_TRUNCATED) !== 0) {
        this.oversized++;
        continue;
      }
      let receivedAt = clockNow;
      if ((flags & FLAG_TIMESTAMP) !== 0) {
        const ageNs =
          (realtimeSeconds - (meta[m + RX_SEC] ?? 0)) * NS_PER_SECOND +
          (realtimeNanos - (meta[m + RX_NSEC] ?? 0));
        if (ageNs > 0) receivedAt = addSeconds(clockNow, -ageNs / NS_PER_SECOND);
      }
      batch.push(
        new NativeDatagram(
          this.slotView(i, meta[m + RX_LEN] ?? 0),
          this.sourceText(i, meta[m + RX_TEXT_LEN] ?? 0),
          meta[m + RX_PORT] ?? 0,
          meta[m + RX_FAMILY] === 6 ? 6 : 4,
          receivedAt,
          i,
          serial,
        ),
      );
    }
    this.currentSerial = serial;
    try {
      if (batch.length > 0) handler(batch);
    } finally {
      this.currentSerial = -1;
      batch.length = 0;
    }
  }

  /**
   * Reads CLOCK_REALTIME into ctl, bracketed by two receive-clock reads, and returns the receive
   * clock at the midpoint: the pair maps kernel stamps onto the receive clock without the
   * ~0.1 µs bias of reading one clock after the other.
   */
  private clockAtRealtimeRead(): NtpTimestamp {
    const before = this.receiveClock();
    this.addon.now(this.handle);
    const after = this.receiveClock();
    return addSeconds(before, timestampDiffSeconds(after, before) / 2);
  }

  send(data: Buffer, length: number, address: string, port: number): void {
    if (this.stage(0, data, length, this.explicitAddress(0, address, port))) this.flush(1);
  }

  sendBatch(datagrams: readonly OutgoingDatagram[]): void {
    let staged = 0;
    for (const d of datagrams) {
      if (this.stage(staged, d.data, d.length, this.explicitAddress(staged, d.address, d.port))) staged++;
      if (staged === this.batchCapacity) staged = this.flush(staged);
    }
    this.flush(staged);
  }

  replyBatch(replies: readonly Reply<NtpTimestamp>[], count = replies.length): void {
    let staged = 0;
    for (let i = 0; i < count; i++) {
      const reply = replies[i];
      if (reply === undefined) continue;
      if (this.stage(staged, reply.data, reply.length, this.replyAddress(staged, reply.to))) staged++;
      if (staged === this.batchCapacity) staged = this.flush(staged);
    }
    this.flush(staged);
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.handler = undefined;
      // Safe inside the batch handler: the addon stops delivering and frees its memory later.
      this.addon.close(this.handle);
    }
    return Promise.resolve();
  }

  private slotView(slot: number, length: number): Buffer {
    const cached = this.slotViews[slot];
    if (cached !== undefined && cached.length === length) return cached;
    const start = this.rxDataOffset + slot * this.slot;
    const view = this.memory.subarray(start, start + length);
    this.slotViews[slot] = view;
    return view;
  }

  private sourceText(slot: number, length: number): string {
    const start = this.textOffset + slot * TEXT_STRIDE;
    return this.memory.toString("latin1", start, start + length);
  }

  /** Address slot of `to`'s source: its receive slot while its batch is current, else parsed from text. */
  private replyAddress(staged: number, to: ReceivedDatagram<NtpTimestamp>): number {
    if (to instanceof NativeDatagram && to.serial === this.currentSerial) return to.slot;
    return this.explicitAddress(staged, to.address, to.port);
  }

  /** Writes `address`:`port` into transmit address slot `staged`; -1 when it is not an address for this socket. */
  private explicitAddress(staged: number, address: string, port: number): number {
    if (this.closed) return -1;
    const slot = this.batchCapacity + staged;
    return this.addon.setAddress(this.handle, slot, address, port) ? slot : -1;
  }

  /** Copies one datagram into transmit slot `staged`; false (counted) when it cannot be sent. */
  private stage(staged: number, data: Buffer, length: number, addressSlot: number): boolean {
    if (this.closed || addressSlot < 0 || !(length >= 0 && length <= this.slot && length <= data.length)) {
      this.localSendErrors++;
      return false;
    }
    data.copy(this.memory, this.txDataOffset + staged * this.slot, 0, length);
    const t = staged * TX_FIELDS;
    this.txMeta[t + TX_DATA_SLOT] = staged;
    this.txMeta[t + TX_LEN] = length;
    this.txMeta[t + TX_ADDR_SLOT] = addressSlot;
    return true;
  }

  /** Sends the `staged` datagrams with one sendmmsg; returns 0, the new staged count. */
  private flush(staged: number): number {
    if (staged > 0 && !this.closed) this.addon.send(this.handle, staged);
    return 0;
  }
}

/**
 * `DatagramTransport` on node:dgram, for IPv4 and IPv6: the portable baseline. It delivers
 * batches of one datagram and reads the receive clock first thing in the 'message' callback;
 * under load that user-space time trails the kernel's arrival time by the event loop's queueing
 * delay (node-notes §6 measured +30 µs idle, +108 µs at 16 in flight, +479 µs at 64), which is
 * what a native transport with kernel timestamps removes.
 */
import { createSocket, type RemoteInfo, type Socket } from "node:dgram";
import { isIP } from "node:net";
import type {
  DatagramTransport,
  DatagramTransportStats,
  OutgoingDatagram,
  ReceivedDatagram,
  Reply,
} from "./datagramTransport.js";

export interface DgramTransportOptions<Time> {
  /** Local address to bind: an IPv4 or IPv6 literal ("127.0.0.1", "::1", "0.0.0.0", "::"). */
  readonly address: string;
  /** Local port; 0 lets the kernel choose (see `localPort`). */
  readonly port: number;
  /** Read once per datagram, before anything else in the receive callback. */
  readonly receiveClock: () => Time;
  /** SO_RCVBUF request, octets (the kernel caps it at net.core.rmem_max and doubles it). */
  readonly recvBufferSize?: number;
  /** SO_SNDBUF request, octets. */
  readonly sendBufferSize?: number;
  /**
   * IPv6 sockets only: refuse IPv4-mapped traffic (IPV6_V6ONLY). Default true, so "::1" and
   * "::" serve IPv6 alone and an IPv4 socket can share the port.
   */
  readonly ipv6Only?: boolean;
}

/** Opens a UDP socket bound to `options.address`:`options.port`; resolves once it is bound. */
export async function openDgramTransport<Time>(
  options: DgramTransportOptions<Time>,
): Promise<DatagramTransport<Time>> {
  const family = ipFamily(options.address);
  const socket =
    family === 4
      ? createSocket({ type: "udp4" })
      : createSocket({ type: "udp6", ipv6Only: options.ipv6Only ?? true });
  const transport = new DgramTransport(socket, family, options.receiveClock);
  try {
    await bind(socket, options.address, options.port);
    if (options.recvBufferSize !== undefined) socket.setRecvBufferSize(options.recvBufferSize);
    if (options.sendBufferSize !== undefined) socket.setSendBufferSize(options.sendBufferSize);
  } catch (error) {
    await transport.close();
    throw error;
  }
  transport.bound();
  return transport;
}

function ipFamily(address: string): 4 | 6 {
  const version = isIP(address);
  if (version === 4 || version === 6) return version;
  throw new TypeError(`not an IP address literal: ${JSON.stringify(address)}`);
}

function bind(socket: Socket, address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    socket.once("error", onError);
    socket.bind({ address, port, exclusive: true }, () => {
      socket.off("error", onError);
      resolve();
    });
  });
}

interface MutableStats {
  received: number;
  sent: number;
  sendErrors: number;
  socketErrors: number;
  droppedWithoutHandler: number;
  oversized: number;
}

type BatchHandler<Time> = (batch: readonly ReceivedDatagram<Time>[]) => void;

class DgramTransport<Time> implements DatagramTransport<Time> {
  private handler: BatchHandler<Time> | undefined;
  private closing: Promise<void> | undefined;
  private readonly counters: MutableStats = {
    received: 0,
    sent: 0,
    sendErrors: 0,
    socketErrors: 0,
    droppedWithoutHandler: 0,
    oversized: 0,
  };
  private boundAddress = "";
  private boundPort = 0;
  /** One shared completion callback: dgram reports send errors only to a callback. */
  private readonly afterSend = (error: Error | null): void => {
    if (error) this.counters.sendErrors++;
  };

  constructor(
    private readonly socket: Socket,
    readonly family: 4 | 6,
    receiveClock: () => Time,
  ) {
    socket.on("message", (data: Buffer, remote: RemoteInfo) => {
      const receivedAt = receiveClock();
      this.counters.received++;
      const handler = this.handler;
      if (handler === undefined) {
        this.counters.droppedWithoutHandler++;
        return;
      }
      handler([
        {
          data,
          address: remote.address,
          port: remote.port,
          family: remote.family === "IPv6" ? 6 : 4,
          receivedAt,
        },
      ]);
    });
  }

  /** Called once bind succeeded: after that, socket errors are counted instead of thrown. */
  bound(): void {
    const local = this.socket.address();
    this.boundAddress = local.address;
    this.boundPort = local.port;
    this.socket.on("error", () => {
      this.counters.socketErrors++;
    });
  }

  get localAddress(): string {
    return this.boundAddress;
  }

  get localPort(): number {
    return this.boundPort;
  }

  get stats(): DatagramTransportStats {
    return { ...this.counters };
  }

  onBatch(handler: BatchHandler<Time>): void {
    this.handler = handler;
  }

  send(data: Buffer, length: number, address: string, port: number): void {
    if (this.closing !== undefined) {
      this.counters.sendErrors++;
      return;
    }
    // dgram may hold the buffer until the kernel takes it (queued on EAGAIN), and the contract
    // lets the caller reuse `data` at once: hand dgram a private copy (pooled, ~50 ns for 48 octets).
    const copy = Buffer.allocUnsafe(length);
    data.copy(copy, 0, 0, length);
    this.counters.sent++;
    this.socket.send(copy, 0, length, port, address, this.afterSend);
  }

  sendBatch(datagrams: readonly OutgoingDatagram[]): void {
    for (const datagram of datagrams) {
      this.send(datagram.data, datagram.length, datagram.address, datagram.port);
    }
  }

  replyBatch(replies: readonly Reply<Time>[], count = replies.length): void {
    for (let i = 0; i < count; i++) {
      const reply = replies[i];
      if (reply !== undefined) this.send(reply.data, reply.length, reply.to.address, reply.to.port);
    }
  }

  close(): Promise<void> {
    this.closing ??= new Promise((resolve) => {
      this.handler = undefined;
      try {
        this.socket.close(() => resolve());
      } catch {
        // Already closed (e.g. bind failed and dgram closed it): nothing left to release.
        resolve();
      }
    });
    return this.closing;
  }
}

/**
 * The UDP transport the NTP layer talks to, shaped for batches.
 *
 * Two implementations: `dgramTransport.ts` on node:dgram (portable; delivers batches of one,
 * receive time read in JS) and `nativeTransport.ts` on the udpsock addon (recvmmsg/sendmmsg with
 * kernel receive timestamps, one callback per batch; reference/native-socket.md). The contract
 * below is what both can honour without copies on the native side:
 *
 * - A received datagram's `data` is valid only until the batch handler returns: the native
 *   transport reuses one shared buffer. Copy what must outlive the call.
 * - `send` does not keep `data`: the caller may reuse its buffer as soon as `send` returns. This
 *   is what lets a server encode every response into one scratch buffer.
 * - The transmit timestamp belongs to the caller, taken right before `send`/`sendBatch`. Callers
 *   that answer a batch should send in chunks of a few datagrams, each with a fresh transmit
 *   timestamp: one timestamp per 64-packet batch was measured 48 µs off (native-socket.md).
 */

/** A received datagram with its receive time. */
export interface ReceivedDatagram<Time> {
  /** The payload; valid only until the batch handler returns. Malformed or oversized payloads are passed on as-is. */
  readonly data: Buffer;
  /** Source address: dotted quad for IPv4, RFC 5952 text for IPv6. */
  readonly address: string;
  readonly port: number;
  readonly family: 4 | 6;
  /**
   * When the datagram arrived, from the transport's receive clock: read first thing in the
   * receive callback (dgram), or converted from the kernel's receive timestamp (native).
   */
  readonly receivedAt: Time;
}

/** A datagram to send; `data[0, length)` goes to `address`:`port`. */
export interface OutgoingDatagram {
  readonly data: Buffer;
  readonly length: number;
  readonly address: string;
  readonly port: number;
}

/** A reply to a received datagram: `data[0, length)` goes back to the source of `to`. */
export interface Reply<Time> {
  readonly to: ReceivedDatagram<Time>;
  readonly data: Buffer;
  readonly length: number;
}

/** Counters of a transport. Send failures are counted, never thrown: a lost reply is UDP-normal. */
export interface DatagramTransportStats {
  readonly received: number;
  readonly sent: number;
  /** Sends the kernel refused (ENOBUFS, EAGAIN, unreachable ...), sync or async. */
  readonly sendErrors: number;
  /** Errors the socket reported outside a send (e.g. ICMP errors surfacing on receive). */
  readonly socketErrors: number;
  /** Datagrams that arrived while no batch handler was set. */
  readonly droppedWithoutHandler: number;
  /** Datagrams dropped because they did not fit the receive buffer (native: over 2048 octets; dgram: never). */
  readonly oversized: number;
}

export interface DatagramTransport<Time> {
  /**
   * Sets the handler called with every batch of received datagrams (dgram delivers batches of
   * 1). Replaces any previous handler. The batch array and its `data` are valid only during the
   * call.
   */
  onBatch(handler: (batch: readonly ReceivedDatagram<Time>[]) => void): void;
  /** Sends `data[0, length)`; `data` may be reused once this returns. Never throws for network errors. */
  send(data: Buffer, length: number, address: string, port: number): void;
  /** Sends several datagrams in one go (one sendmmsg natively; a loop on dgram). */
  sendBatch(datagrams: readonly OutgoingDatagram[]): void;
  /**
   * Sends the first `count` (default: all) replies in one go, like `sendBatch`. From inside the
   * batch handler, with `to` a datagram of that batch, a native transport sends to the source
   * address exactly as received instead of parsing `to.address` again; later it falls back to
   * the text. The `data` buffers may be reused once this returns.
   */
  replyBatch(replies: readonly Reply<Time>[], count?: number): void;
  /** The bound address, e.g. "127.0.0.1" or "::1". */
  readonly localAddress: string;
  /** The bound port: the kernel's choice when opened with port 0. */
  readonly localPort: number;
  readonly family: 4 | 6;
  readonly stats: DatagramTransportStats;
  /** Stops receiving and releases the port. Idempotent. */
  close(): Promise<void>;
}

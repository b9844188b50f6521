/**
 * `logging host ADDR [transport udp port N]`: one datagram per message (RFC 5426 §3.1), from a
 * connected UDP socket so the local address is known (`logging origin-id ip`) and an ICMP port
 * unreachable surfaces as a refused send, which counts as a drop. Sends are asynchronous;
 * at most `queueLimit` may be in flight or waiting for the socket to connect.
 */
import { createSocket, type Socket } from "node:dgram";
import { isIPv6 } from "node:net";
import type { LoggingHostConfig } from "../../config/model.js";
import {
  DropOldestQueue,
  type RemoteHostLimits,
  type RemoteHostSink,
  type RemoteHostStats,
} from "./remoteHost.js";

export class UdpHostSink implements RemoteHostSink {
  private readonly socket: Socket;
  private readonly waiting: DropOldestQueue<Buffer>;
  private connected = false;
  private closed = false;
  private inFlight = 0;
  private logged = 0;
  private refused = 0;
  private overflow = 0;
  private local: string | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelayMs: number;

  constructor(
    readonly config: LoggingHostConfig,
    private readonly limits: RemoteHostLimits,
  ) {
    this.waiting = new DropOldestQueue(limits.queueLimit);
    this.retryDelayMs = limits.reconnectInitialMs;
    this.socket = createSocket(isIPv6(config.host) ? "udp6" : "udp4");
    // Errors after connect (ICMP unreachable) reach the send callbacks; this keeps the rest quiet.
    this.socket.on("error", () => {});
    this.socket.unref();
    this.connect();
  }

  send(message: string): void {
    const datagram = Buffer.from(message, "utf8");
    if (!this.connected) {
      this.waiting.push(datagram);
      return;
    }
    this.transmit(datagram);
  }

  stats(): RemoteHostStats {
    return {
      logged: this.logged,
      dropped: this.waiting.dropped + this.refused + this.overflow,
      linkUp: this.connected,
    };
  }

  localAddress(): string | undefined {
    return this.local;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.waiting.dropAll();
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private connect(): void {
    // connect() resolves host names itself; a failed lookup is retried with backoff.
    this.socket.connect(this.config.port, this.config.host, (error?: Error) => {
      if (this.closed) return;
      if (error) {
        this.waiting.dropAll();
        this.retryTimer = setTimeout(() => this.connect(), this.retryDelayMs);
        this.retryTimer.unref();
        this.retryDelayMs = Math.min(this.retryDelayMs * 2, this.limits.reconnectMaxMs);
        return;
      }
      this.connected = true;
      this.local = this.socket.address().address;
      for (let d = this.waiting.shift(); d !== undefined; d = this.waiting.shift()) this.transmit(d);
    });
  }

  private transmit(datagram: Buffer): void {
    if (this.inFlight >= this.limits.queueLimit) {
      this.overflow++;
      return;
    }
    this.inFlight++;
    this.socket.send(datagram, (error) => {
      this.inFlight--;
      if (error) this.refused++;
      else this.logged++;
    });
  }
}

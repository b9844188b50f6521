/**
 * `logging host ADDR transport tcp port N`: a TCP stream with RFC 6587 §3.4.1 octet-counting
 * framing. While the collector is unreachable, or the socket is not draining, messages wait in a
 * bounded queue (oldest dropped and counted when full); the connection is retried with
 * exponential backoff. Nothing here ever blocks the caller.
 */
import { createConnection, type Socket } from "node:net";
import type { LoggingHostConfig } from "../../config/model.js";
import { octetCountingFrame } from "./logLine.js";
import {
  DropOldestQueue,
  type RemoteHostLimits,
  type RemoteHostSink,
  type RemoteHostStats,
} from "./remoteHost.js";

/** How long close() lets queued bytes drain before cutting the connection. */
const CLOSE_GRACE_MS = 1000;

export class TcpHostSink implements RemoteHostSink {
  private socket: Socket | undefined;
  private readonly queue: DropOldestQueue<Buffer>;
  private connected = false;
  /** The socket's buffer is full: wait for `drain` before writing more. */
  private blocked = false;
  private closed = false;
  private logged = 0;
  private local: string | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelayMs: number;
  /** Connection attempts so far (for tests and diagnostics). */
  attempts = 0;

  constructor(
    readonly config: LoggingHostConfig,
    private readonly limits: RemoteHostLimits,
  ) {
    this.queue = new DropOldestQueue(limits.queueLimit);
    this.retryDelayMs = limits.reconnectInitialMs;
    this.connect();
  }

  send(message: string): void {
    if (this.closed) return;
    this.queue.push(octetCountingFrame(message));
    this.flush();
  }

  stats(): RemoteHostStats {
    return { logged: this.logged, dropped: this.queue.dropped, linkUp: this.connected };
  }

  localAddress(): string | undefined {
    return this.local;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.queue.dropAll();
    const socket = this.socket;
    if (!socket || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => socket.destroy(), CLOSE_GRACE_MS);
      timer.unref();
      socket.once("close", () => {
        clearTimeout(timer);
        resolve();
      });
      socket.end();
    });
  }

  private connect(): void {
    this.attempts++;
    const socket = createConnection({ host: this.config.host, port: this.config.port });
    this.socket = socket;
    socket.unref();
    socket.on("connect", () => {
      this.connected = true;
      this.blocked = false;
      this.local = socket.localAddress;
      this.retryDelayMs = this.limits.reconnectInitialMs;
      this.flush();
    });
    socket.on("drain", () => {
      this.blocked = false;
      this.flush();
    });
    // The collector never talks back (RFC 6587); drain and ignore anything it sends.
    socket.on("data", () => {});
    socket.on("error", () => {});
    socket.on("close", () => this.lost(socket));
  }

  private lost(socket: Socket): void {
    if (socket !== this.socket) return;
    this.connected = false;
    this.blocked = false;
    this.socket = undefined;
    if (this.closed) return;
    this.retryTimer = setTimeout(() => this.connect(), this.retryDelayMs);
    this.retryTimer.unref();
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, this.limits.reconnectMaxMs);
  }

  private flush(): void {
    const socket = this.socket;
    if (!socket || !this.connected) return;
    while (!this.blocked) {
      const frame = this.queue.shift();
      if (frame === undefined) return;
      this.logged++;
      if (!socket.write(frame)) this.blocked = true;
    }
  }
}

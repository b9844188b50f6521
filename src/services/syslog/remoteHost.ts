/**
 * What the syslog service needs from a `logging host` connection, whatever its transport: a
 * send that never blocks (messages that cannot be queued are dropped and counted), counters for
 * `show logging`, and the local address for `logging origin-id ip`.
 */
import type { LoggingHostConfig } from "../../config/model.js";

export interface RemoteHostStats {
  /** Messages handed to the transport (`N message lines logged`, ios-cli.md §2.6). */
  readonly logged: number;
  /** Messages lost because the queue was full or the transport refused them. */
  readonly dropped: number;
  /** UDP: the socket is open; TCP: connected (`link up` / `link down`). */
  readonly linkUp: boolean;
}

export interface RemoteHostSink {
  readonly config: LoggingHostConfig;
  /** Queue one wire message (without framing); returns at once. */
  send(message: string): void;
  stats(): RemoteHostStats;
  /** The local address the collector sees, once known. */
  localAddress(): string | undefined;
  close(): Promise<void>;
}

/** Bounds that keep a dead collector from costing the appliance memory or time. */
export interface RemoteHostLimits {
  /** Messages waiting for a connection or for the socket to drain; beyond it the oldest is dropped. */
  readonly queueLimit: number;
  /** First TCP reconnect delay; doubles per failure up to `reconnectMaxMs`. */
  readonly reconnectInitialMs: number;
  readonly reconnectMaxMs: number;
}

/**
 * 1024 queued messages is about 150 KiB at IOS line lengths, a few minutes of a busy box; the
 * reconnect schedule (1 s doubling to 60 s) keeps a down collector from costing more than one
 * connection attempt a minute.
 */
export const DEFAULT_REMOTE_LIMITS: RemoteHostLimits = {
  queueLimit: 1024,
  reconnectInitialMs: 1000,
  reconnectMaxMs: 60_000,
};

/** A bounded FIFO that drops its oldest entry when full, counting the drops. */
export class DropOldestQueue<T> {
  private items: T[] = [];
  dropped = 0;

  constructor(private readonly limit: number) {}

  get length(): number {
    return this.items.length;
  }

  push(item: T): void {
    if (this.limit <= 0) {
      this.dropped++;
      return;
    }
    if (this.items.length >= this.limit) {
      this.items.shift();
      this.dropped++;
    }
    this.items.push(item);
  }

  shift(): T | undefined {
    return this.items.shift();
  }

  /** Put an item back at the head (it could not be written after all). */
  unshift(item: T): void {
    this.items.unshift(item);
  }

  /** Discard everything, counting it as dropped. */
  dropAll(): void {
    this.dropped += this.items.length;
    this.items = [];
  }
}

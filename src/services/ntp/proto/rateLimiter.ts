/**
 * Per-client rate limiting with memory bounded by construction.
 *
 * The model is chrony's client log (`clientlog.c`): a hash table of client records, each with a
 * token bucket per service, refilled at one token per 2^interval seconds up to `burst`; and
 * NTPsec's `limit`/`kod`. Unlike chrony's table, which grows up to `clientloglimit`, this one is
 * allocated once at a fixed size (2^16 records by default) and never grows: a new address takes
 * a free record in its set or recycles the least recently seen one.
 *
 * Why eviction is safe: a record stores the full address, so two addresses never share a bucket;
 * a collision can only evict, and an evicted client comes back with a full bucket — the failure
 * direction is "serve", never "wrongly limit". The index is a hash keyed with 64 random bits per
 * process, so an attacker cannot compute which addresses share a set with a victim and has to
 * spend on the order of the table size in spoofed packets to evict one record.
 *
 * Over the limit, time requests are dropped, except one in 2^leak that gets a RATE kiss-o'-death
 * (chosen at random, as chrony's leak is, so a spoofed flood cannot predict which ones).
 */
import { randomBytes as cryptoRandomBytes } from "node:crypto";
import type { ControlRateLimit, RateLimitSettings } from "./serverPolicy.js";
import type { RateLimiterStatsSnapshot } from "./serverStats.js";

/** Outcome for one time request: answer it, answer it with RATE, or drop it. */
export type RateLimitVerdict = "pass" | "kod" | "drop";

/** Source of random octets (tests inject a deterministic one). */
export type RandomBytes = (size: number) => Uint8Array;

export interface RateLimiterOptions {
  /** log2 of the number of records; default 16. */
  readonly tableSizeLog2?: number;
  readonly randomBytes?: RandomBytes;
}

export const DEFAULT_TABLE_SIZE_LOG2 = 16;

/** Records per hash set: an attacker must fill all of them to evict a neighbour. */
const WAYS = 4;
const MIN_TABLE_SIZE_LOG2 = 2;
const MAX_TABLE_SIZE_LOG2 = 24;
/** Parameter ranges clamped as chrony's `set_bucket_params` does (clientlog.c). */
const MIN_INTERVAL_LOG2 = -4;
const MAX_INTERVAL_LOG2 = 12;
const MAX_BURST = 255;
const MAX_LEAK_LOG2 = 30;
const RANDOM_POOL_LENGTH = 1024;

/** A fixed-size table of client records with two token buckets each (time, control). */
export class ClientRateLimiter {
  readonly capacity: number;
  readonly #setMask: number;
  readonly #randomBytes: RandomBytes;
  readonly #hashKey0: number;
  readonly #hashKey1: number;
  #table: RecordTable | undefined;
  #occupied = 0;
  #evictions = 0;
  #randomPool: Uint8Array = new Uint8Array(0);
  #randomOffset = 0;

  constructor(options: RateLimiterOptions = {}) {
    const sizeLog2 = options.tableSizeLog2 ?? DEFAULT_TABLE_SIZE_LOG2;
    if (!Number.isInteger(sizeLog2) || sizeLog2 < MIN_TABLE_SIZE_LOG2 || sizeLog2 > MAX_TABLE_SIZE_LOG2) {
      throw new RangeError(
        `table size 2^${sizeLog2} is outside 2^${MIN_TABLE_SIZE_LOG2}..2^${MAX_TABLE_SIZE_LOG2}`,
      );
    }
    this.capacity = 2 ** sizeLog2;
    this.#setMask = this.capacity / WAYS - 1;
    this.#randomBytes = options.randomBytes ?? cryptoRandomBytes;
    const key = this.#randomBytes(8);
    this.#hashKey0 = readU32(key, 0);
    this.#hashKey1 = readU32(key, 4);
  }

  /** Charges one time request from `address` at `nowSeconds` (monotonic) against `limit`. */
  checkTime(address: string, nowSeconds: number, limit: RateLimitSettings): RateLimitVerdict {
    const table = this.#tableOrAllocate();
    const index = this.#recordFor(table, address, nowSeconds);
    if (takeToken(table.timeTokens, table.timeLast, index, nowSeconds, limit)) return "pass";
    const leakLog2 = clamp(Math.round(limit.leakLog2), 0, MAX_LEAK_LOG2);
    return this.#randomU32() % 2 ** leakLog2 === 0 ? "kod" : "drop";
  }

  /** Charges one mode-6 query; true if it may be answered. Over the limit there is no leak. */
  checkControl(address: string, nowSeconds: number, limit: ControlRateLimit): boolean {
    const table = this.#tableOrAllocate();
    const index = this.#recordFor(table, address, nowSeconds);
    return takeToken(table.controlTokens, table.controlLast, index, nowSeconds, limit);
  }

  stats(): RateLimiterStatsSnapshot {
    return { capacity: this.capacity, occupied: this.#occupied, evictions: this.#evictions };
  }

  /** The table is allocated on first use, so a server with limiting off costs nothing. */
  #tableOrAllocate(): RecordTable {
    this.#table ??= allocateTable(this.capacity);
    return this.#table;
  }

  /** Index of the record for `address`, claiming a free or the least recently seen one if needed. */
  #recordFor(table: RecordTable, address: string, nowSeconds: number): number {
    const base = (keyedHash(address, this.#hashKey0, this.#hashKey1) & this.#setMask) * WAYS;
    let victim = base;
    for (let index = base; index < base + WAYS; index++) {
      const held = table.addresses[index];
      if (held === address) {
        table.lastSeen[index] = nowSeconds;
        return index;
      }
      if (held === undefined) {
        victim = index;
        break;
      }
      if ((table.lastSeen[index] ?? 0) < (table.lastSeen[victim] ?? 0)) victim = index;
    }
    if (table.addresses[victim] === undefined) this.#occupied++;
    else this.#evictions++;
    table.addresses[victim] = address;
    table.lastSeen[victim] = nowSeconds;
    table.timeLast[victim] = Number.NaN;
    table.controlLast[victim] = Number.NaN;
    return victim;
  }

  #randomU32(): number {
    if (this.#randomOffset + 4 > this.#randomPool.length) {
      this.#randomPool = this.#randomBytes(RANDOM_POOL_LENGTH);
      this.#randomOffset = 0;
    }
    const value = readU32(this.#randomPool, this.#randomOffset);
    this.#randomOffset += 4;
    return value;
  }
}

interface RecordTable {
  readonly addresses: (string | undefined)[];
  readonly lastSeen: Float64Array;
  readonly timeTokens: Float64Array;
  readonly timeLast: Float64Array;
  readonly controlTokens: Float64Array;
  readonly controlLast: Float64Array;
}

function allocateTable(capacity: number): RecordTable {
  return {
    addresses: new Array<string | undefined>(capacity).fill(undefined),
    lastSeen: new Float64Array(capacity),
    timeTokens: new Float64Array(capacity),
    timeLast: new Float64Array(capacity).fill(Number.NaN),
    controlTokens: new Float64Array(capacity),
    controlLast: new Float64Array(capacity).fill(Number.NaN),
  };
}

/**
 * Refills the bucket for the time since its last use, then takes one token if there is one. A
 * fresh record (last use NaN) starts full. Time going backwards refills nothing.
 */
function takeToken(
  tokens: Float64Array,
  last: Float64Array,
  index: number,
  nowSeconds: number,
  limit: ControlRateLimit,
): boolean {
  const burst = clamp(Math.floor(limit.burst), 1, MAX_BURST);
  const intervalSeconds = 2 ** clamp(limit.intervalLog2, MIN_INTERVAL_LOG2, MAX_INTERVAL_LOG2);
  const previous = last[index] ?? Number.NaN;
  let available: number;
  if (Number.isNaN(previous)) {
    available = burst;
    last[index] = nowSeconds;
  } else {
    const elapsed = nowSeconds - previous;
    available = Math.min(burst, (tokens[index] ?? 0) + (elapsed > 0 ? elapsed / intervalSeconds : 0));
    if (elapsed > 0) last[index] = nowSeconds;
  }
  if (available >= 1) {
    tokens[index] = available - 1;
    return true;
  }
  tokens[index] = available;
  return false;
}

/**
 * 32-bit hash of `text` keyed with 64 bits. Not a cryptographic PRF; it only has to keep the set
 * index unpredictable without the key (see the module comment for why that suffices).
 */
function keyedHash(text: string, key0: number, key1: number): number {
  let a = key0 | 0;
  let b = key1 | 0;
  for (let i = 0; i < text.length; i++) {
    a = Math.imul(a ^ text.charCodeAt(i), 0x9e3779b1);
    a = (a << 15) | (a >>> 17);
    b = Math.imul(b + a, 0x85ebca77) ^ (b >>> 13);
  }
  let h = a ^ Math.imul(b, 0xc2b2ae3d) ^ text.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function readU32(bytes: Uint8Array, offset: number): number {
  return (
    ((bytes[offset] ?? 0) * 0x1000000 +
      ((bytes[offset + 1] ?? 0) << 16) +
      ((bytes[offset + 2] ?? 0) << 8) +
      (bytes[offset + 3] ?? 0)) >>>
    0
  );
}

function clamp(value: number, min: number, max: number): number {
  if (!(value >= min)) return min;
  return Math.min(value, max);
}

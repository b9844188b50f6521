/**
 * Server counters, fed one decision at a time and read as a plain-object snapshot (for `show ntp`
 * style output, metrics export, and tests).
 */
import { DROP_REASONS, type DropReason, type ServerDecision } from "./serverDecision.js";

/** Counters of the rate-limit table itself. */
export interface RateLimiterStatsSnapshot {
  /** Records the table can hold: fixed at construction, whatever the number of clients. */
  readonly capacity: number;
  /** Records in use. */
  readonly occupied: number;
  /** Records recycled for a new address because their bucket set was full. */
  readonly evictions: number;
}

export interface ServerStatsSnapshot {
  /** Datagrams handed to `handle`. */
  readonly received: number;
  /** Received datagrams by the mode in their first octet (index 0..7). */
  readonly receivedByMode: readonly number[];
  /** Responses sent by response mode; KoDs and crypto-NAKs are included (they are mode 4 or 2). */
  readonly answered: { readonly server: number; readonly symmetricPassive: number; readonly control: number };
  /** Kiss-o'-death responses by code, and crypto-NAKs. */
  readonly kodSent: {
    readonly DENY: number;
    readonly RSTR: number;
    readonly RATE: number;
    readonly cryptoNak: number;
  };
  /** Responses carrying a valid MAC (the request's MAC verified under a trusted key). */
  readonly authenticated: number;
  /** Requests whose MAC named a trusted key but did not verify. */
  readonly badMac: number;
  /** Requests whose MAC named an unknown or untrusted key. */
  readonly unknownKey: number;
  /** Requests over the rate limit: dropped ones plus those answered with RATE. */
  readonly rateLimited: number;
  /** Datagrams dropped, by reason. */
  readonly dropped: Readonly<Record<DropReason, number>>;
  /** The per-client table behind rate limiting. */
  readonly rateLimiter: RateLimiterStatsSnapshot;
}

const MODE_COUNT = 8;

/** Mutable counters behind `NtpServer.stats`; `snapshot()` reads them as a plain object. */
export class ServerStats {
  readonly #rateLimiterStats: () => RateLimiterStatsSnapshot;
  #received = 0;
  readonly #receivedByMode = new Array<number>(MODE_COUNT).fill(0);
  #answeredServer = 0;
  #answeredPassive = 0;
  #answeredControl = 0;
  #kodDeny = 0;
  #kodRstr = 0;
  #kodRate = 0;
  #cryptoNak = 0;
  #authenticated = 0;
  #badMac = 0;
  #unknownKey = 0;
  #rateLimited = 0;
  readonly #dropped = new Map<DropReason, number>(DROP_REASONS.map((reason) => [reason, 0]));

  /** `rateLimiterStats` supplies the rate-limit table's own counters at snapshot time. */
  constructor(rateLimiterStats: () => RateLimiterStatsSnapshot) {
    this.#rateLimiterStats = rateLimiterStats;
  }

  /** Counts a datagram on arrival, by the mode bits of its first octet (if it has one). */
  countReceived(datagram: Uint8Array): void {
    this.#received++;
    if (datagram.length > 0) {
      const mode = (datagram[0] ?? 0) & 0x07;
      this.#receivedByMode[mode] = (this.#receivedByMode[mode] ?? 0) + 1;
    }
  }

  /** Counts a decision; returns it, so the server can `return stats.count(decision)`. */
  count(decision: ServerDecision): ServerDecision {
    if (decision.action === "ignore") {
      this.#dropped.set(decision.reason, (this.#dropped.get(decision.reason) ?? 0) + 1);
      if (decision.reason === "rate-limited") this.#rateLimited++;
      return decision;
    }
    if (decision.mode === 4) this.#answeredServer++;
    else if (decision.mode === 2) this.#answeredPassive++;
    else this.#answeredControl++;
    if (decision.authenticated) this.#authenticated++;
    switch (decision.reason) {
      case "kod-deny":
        this.#kodDeny++;
        break;
      case "kod-rstr":
        this.#kodRstr++;
        break;
      case "kod-rate":
        this.#kodRate++;
        this.#rateLimited++;
        break;
      case "crypto-nak-bad-mac":
        this.#cryptoNak++;
        this.#badMac++;
        break;
      case "crypto-nak-unknown-key":
        this.#cryptoNak++;
        this.#unknownKey++;
        break;
      default:
        break;
    }
    return decision;
  }

  snapshot(): ServerStatsSnapshot {
    return {
      received: this.#received,
      receivedByMode: [...this.#receivedByMode],
      answered: {
        server: this.#answeredServer,
        symmetricPassive: this.#answeredPassive,
        control: this.#answeredControl,
      },
      kodSent: { DENY: this.#kodDeny, RSTR: this.#kodRstr, RATE: this.#kodRate, cryptoNak: this.#cryptoNak },
      authenticated: this.#authenticated,
      badMac: this.#badMac,
      unknownKey: this.#unknownKey,
      rateLimited: this.#rateLimited,
      dropped: Object.fromEntries(this.#dropped) as Record<DropReason, number>,
      rateLimiter: this.#rateLimiterStats(),
    };
  }
}

/**
 * Password-guessing defence. With `login block-for S attempts N within T` the device behaves as
 * IOS does: N failed logins within T seconds put it in quiet mode, refusing every login for S
 * seconds. Without it a default applies per source address, so that a guessing client is slowed
 * down without locking everyone else out. Time is an injected monotonic clock (milliseconds).
 */
import type { RunningConfig } from "../../config/model.js";

export interface BlockPolicy {
  readonly seconds: number;
  readonly attempts: number;
  readonly within: number;
  /** IOS quiet mode blocks everyone; the default blocks the guessing source only. */
  readonly scope: "device" | "source";
}

/** The default when `login block-for` is not configured: 10 failures in 60 s block that source for 120 s. */
export const DEFAULT_BLOCK_POLICY: BlockPolicy = { seconds: 120, attempts: 10, within: 60, scope: "source" };

/** Sources remembered at most (memory bounded by construction; the oldest is forgotten). */
const MAX_TRACKED_SOURCES = 4096;
const MS_PER_SECOND = 1000;

export function blockPolicyOf(config: RunningConfig): BlockPolicy {
  const b = config.loginBlock;
  return b
    ? { seconds: b.seconds, attempts: b.attempts, within: b.within, scope: "device" }
    : DEFAULT_BLOCK_POLICY;
}

interface Record {
  failures: number[];
  blockedUntil: number;
}

export interface FailureOutcome {
  /** The failure started a block of this many seconds (quiet mode when scope is device). */
  readonly blockedSeconds?: number;
  readonly scope?: BlockPolicy["scope"];
}

/** The key of the whole device in the table. */
const DEVICE = "";

export class LoginGuard {
  private readonly records = new Map<string, Record>();

  constructor(private readonly nowMs: () => number) {}

  /** Whether a login from `address` may proceed now. */
  admits(address: string): boolean {
    const now = this.nowMs();
    for (const key of [DEVICE, address]) {
      const r = this.records.get(key);
      if (r && r.blockedUntil > now) return false;
    }
    return true;
  }

  /** Milliseconds until device quiet mode ends, 0 when not in quiet mode. */
  quietRemainingMs(): number {
    return Math.max(0, (this.records.get(DEVICE)?.blockedUntil ?? 0) - this.nowMs());
  }

  /** Count one failed login from `address` under `policy`. */
  recordFailure(address: string, policy: BlockPolicy): FailureOutcome {
    if (policy.attempts <= 0) return {};
    const now = this.nowMs();
    const key = policy.scope === "device" ? DEVICE : address;
    const r = this.record(key);
    const horizon = now - policy.within * MS_PER_SECOND;
    r.failures = r.failures.filter((t) => t > horizon);
    r.failures.push(now);
    if (r.failures.length < policy.attempts) return {};
    r.failures = [];
    r.blockedUntil = now + policy.seconds * MS_PER_SECOND;
    return { blockedSeconds: policy.seconds, scope: policy.scope };
  }

  /** A successful login forgets the source's failures (IOS keeps counting device-wide). */
  recordSuccess(address: string): void {
    const r = this.records.get(address);
    if (r && r.blockedUntil <= this.nowMs()) this.records.delete(address);
  }

  private record(key: string): Record {
    let r = this.records.get(key);
    if (!r) {
      if (this.records.size >= MAX_TRACKED_SOURCES) this.evictOldest();
      r = { failures: [], blockedUntil: 0 };
      this.records.set(key, r);
    }
    return r;
  }

  private evictOldest(): void {
    const now = this.nowMs();
    for (const [key, r] of this.records) {
      if (key !== DEVICE && r.blockedUntil <= now) {
        this.records.delete(key);
        return;
      }
    }
    const first = [...this.records.keys()].find((k) => k !== DEVICE);
    if (first !== undefined) this.records.delete(first);
  }
}

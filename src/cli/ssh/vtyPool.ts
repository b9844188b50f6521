/**
 * Virtual terminal lines: `line vty 0 N` bounds how many SSH sessions may be open at once, and
 * each session runs under its line's settings (access-class, exec-timeout, login, privilege).
 * A connection takes the lowest free vty whose `transport input` admits SSH, as IOS does.
 */
import { DEFAULT_EXEC_TIMEOUT } from "../../config/areas/accessConfig.js";
import type { LineConfig, RunningConfig } from "../../config/model.js";

/**
 * The settings of vty `n`: the narrowest configured range that covers it (IOS applies
 * `line vty 2` over `line vty 0 4` for line 2); undefined when no range covers it.
 */
export function vtyLine(config: RunningConfig, n: number): LineConfig | undefined {
  let best: LineConfig | undefined;
  for (const line of config.lines) {
    if (line.kind !== "vty" || n < line.first || n > line.last) continue;
    if (!best || line.last - line.first <= best.last - best.first) best = line;
  }
  return best;
}

/** `transport input` unset admits SSH (Meridian speaks nothing else); `none`/`telnet` do not. */
export function admitsSsh(line: LineConfig): boolean {
  const t = line.transportInput;
  return t === undefined || t.includes("ssh") || t.includes("all");
}

const MS_PER_SECOND = 1000;
const SECONDS_PER_MINUTE = 60;

/** `exec-timeout M S` in milliseconds; 0 = never (`exec-timeout 0 0`). Default 10 minutes. */
export function execTimeoutMs(line: LineConfig | undefined): number {
  const t = line?.execTimeout ?? DEFAULT_EXEC_TIMEOUT;
  return (t.minutes * SECONDS_PER_MINUTE + t.seconds) * MS_PER_SECOND;
}

export class VtyPool {
  private readonly busy = new Set<number>();

  /** Take the lowest free vty that admits SSH; undefined when all are busy. */
  allocate(config: RunningConfig): number | undefined {
    const numbers = new Set<number>();
    for (const line of config.lines) {
      if (line.kind !== "vty") continue;
      for (let n = line.first; n <= line.last; n++) numbers.add(n);
    }
    const free = [...numbers]
      .sort((a, b) => a - b)
      .find((n) => !this.busy.has(n) && admitsSsh(vtyLine(config, n)!));
    if (free !== undefined) this.busy.add(free);
    return free;
  }

  release(n: number): void {
    this.busy.delete(n);
  }

  get inUse(): number {
    return this.busy.size;
  }
}

/**
 * Persistence of the hardware-calendar emulation: the calendar's offset from the host clock,
 * written atomically to the data directory so it "keeps running" across restarts, as a
 * battery-backed calendar does.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";

export interface CalendarState {
  /** Calendar time minus host time, ms. */
  readonly offsetFromHostMs: number;
}

/** Read a saved state; undefined when absent or unreadable (a new calendar starts at host time). */
export function readCalendarState(file: string): CalendarState | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as { offsetFromHostMs?: unknown };
    return typeof parsed.offsetFromHostMs === "number" && Number.isFinite(parsed.offsetFromHostMs)
      ? { offsetFromHostMs: parsed.offsetFromHostMs }
      : undefined;
  } catch {
    return undefined;
  }
}

export function writeCalendarState(file: string, state: CalendarState): void {
  const temp = `${file}.tmp`;
  writeFileSync(temp, `${JSON.stringify(state)}\n`, { mode: 0o600 });
  renameSync(temp, file);
}

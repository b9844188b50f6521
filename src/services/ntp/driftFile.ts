/**
 * The drift file: the clock's frequency correction in ppm, one number on a line, as ntpd and
 * chrony keep it, so a restart does not have to measure the frequency again.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";

/** Frequencies beyond this are not a plausible oscillator error (RFC 5905 §7.2: 500 ppm). */
const MAX_PLAUSIBLE_PPM = 500;

export function readDrift(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const value = Number.parseFloat(readFileSync(file, "utf8").trim());
  return Number.isFinite(value) && Math.abs(value) <= MAX_PLAUSIBLE_PPM ? value : undefined;
}

export function writeDrift(file: string, ppm: number): void {
  if (!Number.isFinite(ppm)) return;
  const temp = `${file}.tmp`;
  writeFileSync(temp, `${ppm.toFixed(3)}\n`);
  renameSync(temp, file);
}

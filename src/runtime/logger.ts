/**
 * The daemon's operational log: pino, one JSON object per line, written synchronously so that
 * nothing is lost when the process exits right after a shutdown message. Device events
 * (`%SYS-5-CONFIG_I`) are not logged here; they belong to the syslog service.
 */
import { type Logger, pino } from "pino";
import type { LogLevel } from "./settings.js";

const STDOUT_FD = 1;
const STDERR_FD = 2;

/** JSON on stdout, or on stderr when stdout carries an IOS console. */
export function createLogger(level: LogLevel, stream: "stdout" | "stderr" = "stdout"): Logger {
  return pino(
    { level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.destination({ dest: stream === "stdout" ? STDOUT_FD : STDERR_FD, sync: true }),
  );
}

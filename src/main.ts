/**
 * The `meridian` command: `check FILE [--render]`, `exec [-c CONFIG] LINE...`, `run`.
 */
import { readFileSync } from "node:fs";
import { OfflineAppliance } from "./cli/appliance.js";
import { CliSession } from "./cli/session.js";
import { formatDiagnostic, loadConfigText } from "./config/loadConfig.js";
import { renderStartupConfig } from "./config/render.js";
import { FileStartupStore, MemoryStartupStore } from "./config/startupStore.js";
import { runDaemon } from "./runtime/daemon.js";

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

const stdio: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

const USAGE = `usage: meridian check FILE [--render]
       meridian exec [-c CONFIG] 'COMMAND' ...
       meridian run [-s SETTINGS.yaml]
`;

/** `meridian check`: report every bad line as FILE:LINE:COL; exit 1 when any is an error. */
export function check(args: readonly string[], io: Io): number {
  const file = args.find((a) => !a.startsWith("-"));
  if (!file) {
    io.err(USAGE);
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    io.err(`${file}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const { config, diagnostics } = loadConfigText(text);
  for (const d of diagnostics) io.err(`${formatDiagnostic(file, d)}\n`);
  if (args.includes("--render")) io.out(renderStartupConfig(config));
  return diagnostics.some((d) => d.severity === "error") ? 1 : 0;
}

/**
 * `meridian exec`: type the lines into one fresh privileged shell and print what a terminal
 * shows — prompt, echoed line, output. With `-c FILE`, FILE is the startup-config: it is loaded
 * first and `write memory` saves to it. Exit status 1 if any line produced a CLI error.
 */
export function exec(args: readonly string[], io: Io): number {
  const lines: string[] = [];
  let configFile: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "-c") configFile = args[++i];
    else lines.push(args[i]!);
  }
  const appliance = new OfflineAppliance(
    configFile ? new FileStartupStore(configFile) : new MemoryStartupStore(),
  );
  const boot = appliance.boot();
  for (const d of boot?.diagnostics ?? []) io.err(`${formatDiagnostic(configFile ?? "startup-config", d)}\n`);
  const session = new CliSession(appliance, { name: "console", privilege: 15 });
  let failed = false;
  for (const line of lines) {
    const question = session.questionPending;
    io.out(`${session.prompt()}${question?.secret ? "" : line}\n`);
    const output = session.execute(line);
    if (session.lastFailed) failed = true;
    for (const l of output) io.out(`${l}\n`);
    if (session.closed) return failed ? 1 : 0;
  }
  io.out(`${session.prompt()}\n`);
  return failed ? 1 : 0;
}

/** `meridian run [-s SETTINGS.yaml]`: the daemon (src/runtime/daemon.ts). */
async function run(args: readonly string[], io: Io): Promise<number> {
  let settings: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "-s" && args[i + 1] !== undefined) settings = args[++i];
    else {
      io.err(
        `meridian run: ${args[i] === "-s" ? "-s needs a settings file" : `unknown option ${args[i]}`}\n${USAGE}`,
      );
      return 2;
    }
  }
  return runDaemon(settings, io);
}

export async function main(argv: readonly string[], io: Io = stdio): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "check":
      return check(rest, io);
    case "exec":
      return exec(rest, io);
    case "run":
      return run(rest, io);
    default:
      io.err(USAGE);
      return 2;
  }
}

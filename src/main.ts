/**
 * The `meridian` command: `check FILE [--render]`, `exec [-c CONFIG] LINE...`, `run`.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Agent } from "./agent.js";
import { OfflineAppliance } from "./cli/appliance.js";
import { CliSession } from "./cli/session.js";
import { formatDiagnostic, loadConfigText } from "./config/loadConfig.js";
import { renderStartupConfig } from "./config/render.js";
import { FileStartupStore, MemoryStartupStore } from "./config/startupStore.js";

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
       meridian run [-d DATADIR] [--ntp-port PORT] [--ntp-address ADDR]...
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
    if (output.some((l) => /^% (Invalid|Incomplete|Ambiguous|Unknown)|^% Unrecognized/.test(l)))
      failed = true;
    for (const l of output) io.out(`${l}\n`);
    if (session.closed) return failed ? 1 : 0;
  }
  io.out(`${session.prompt()}\n`);
  return failed ? 1 : 0;
}

interface RunOptions {
  dataDir: string;
  ntpAddresses: string[];
  ntpPort: number | undefined;
}

function parseRunOptions(args: readonly string[]): RunOptions | string {
  const options: RunOptions = { dataDir: "var", ntpAddresses: [], ntpPort: undefined };
  for (let i = 0; i < args.length; i++) {
    const value = args[i + 1];
    switch (args[i]) {
      case "-d":
        if (!value) return "-d needs a directory";
        options.dataDir = value;
        i++;
        break;
      case "--ntp-address":
        if (!value) return "--ntp-address needs an address";
        options.ntpAddresses.push(value);
        i++;
        break;
      case "--ntp-port": {
        const port = Number(value);
        if (!Number.isInteger(port) || port < 0 || port > 65535) return `invalid --ntp-port ${value ?? ""}`;
        options.ntpPort = port;
        i++;
        break;
      }
      default:
        return `unknown option ${args[i]}`;
    }
  }
  return options;
}

/**
 * `meridian run`: the appliance with an IOS console on this terminal and, with `--ntp-port`,
 * the NTP server on `--ntp-address` (default 127.0.0.1 and ::1). The settings file of the
 * runtime issue replaces these options.
 */
async function run(args: readonly string[], io: Io): Promise<number> {
  const options = parseRunOptions(args);
  if (typeof options === "string") {
    io.err(`meridian run: ${options}\n${USAGE}`);
    return 2;
  }
  mkdirSync(options.dataDir, { recursive: true });
  const ntp =
    options.ntpPort === undefined
      ? undefined
      : { addresses: options.ntpAddresses.length ? options.ntpAddresses : ["127.0.0.1", "::1"], port: options.ntpPort };
  const agent = await Agent.start({ startup: new FileStartupStore(join(options.dataDir, "startup-config")), ...(ntp ? { ntp } : {}) });
  for (const d of agent.bootDiagnostics) io.err(`${formatDiagnostic("startup-config", d)}\n`);
  if (agent.ntp) io.err(`NTP server on ${ntp?.addresses.join(", ")} port ${agent.ntp.ports.join(", ")}\n`);
  const session = new CliSession(agent, { name: "console", privilege: 15 });
  const rl = createInterface({ input: process.stdin, terminal: false });
  const stop = () => rl.close();
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  io.out(`\n${session.prompt()}`);
  for await (const line of rl) {
    const output = line.endsWith("?") ? session.help(line.slice(0, -1)) : session.execute(line);
    for (const l of output) io.out(`${l}\n`);
    if (session.closed) break;
    io.out(session.prompt());
  }
  rl.close();
  await agent.close();
  return 0;
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

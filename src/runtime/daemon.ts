/**
 * `meridian run`: settings -> data directory -> startup-config (a default one on first start)
 * -> the agent with its NTP and SSH listeners -> optional console, then signals: SIGTERM and
 * SIGINT shut down cleanly (listeners and sessions closed; every file write is synchronous and
 * atomic, so none is left half-done), SIGHUP re-reads the settings and applies what can change
 * safely while running (log level, listen addresses).
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "pino";
import { Agent, type SshOptions } from "../agent.js";
import { HOST_KEY_FILE } from "../cli/ssh/hostKey.js";
import { formatDiagnostic } from "../config/loadConfig.js";
import { FileStartupStore } from "../config/startupStore.js";
import type { ConsoleLine } from "./consoleLine.js";
import { startConsole } from "./consoleLine.js";
import { ensureStartupConfig } from "./firstBoot.js";
import { createLogger } from "./logger.js";
import { loginHint } from "./loginHint.js";
import { loadSettings, type Settings } from "./settings.js";

export interface DaemonIo {
  /** Human-readable text (the login hint, settings errors): stderr, never mixed with the JSON log. */
  err(text: string): void;
}

export const STARTUP_CONFIG_FILE = "startup-config";
const EXIT_OK = 0;
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;
/** After a clean shutdown, a handle nobody closed must not keep the process alive. */
const EXIT_SAFETY_MS = 3000;

function sshOptions(settings: Settings): SshOptions | undefined {
  const ssh = settings.listen.ssh;
  return ssh ? { ...ssh, hostKeyFile: join(settings.dataDir, HOST_KEY_FILE) } : undefined;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The hardware-calendar emulation's state in the data directory. */
const CALENDAR_FILE = "calendar";
/** The NTP frequency correction (ppm), restored at start. */
const DRIFT_FILE = "drift";

async function startAgent(settings: Settings, log: Logger): Promise<Agent> {
  const ssh = sshOptions(settings);
  const ntp = settings.listen.ntp ?? undefined;
  return Agent.start({
    startup: new FileStartupStore(join(settings.dataDir, STARTUP_CONFIG_FILE)),
    ...(ntp ? { ntp } : {}),
    ...(ssh ? { ssh } : {}),
    logger: log,
    calendarFile: join(settings.dataDir, CALENDAR_FILE),
    driftFile: join(settings.dataDir, DRIFT_FILE),
  });
}

function logListeners(agent: Agent, settings: Settings, log: Logger): void {
  if (agent.ssh) log.info({ address: agent.ssh.address, port: agent.ssh.port }, "ssh listening");
  if (agent.ntp)
    log.info({ addresses: settings.listen.ntp?.addresses, ports: agent.ntp.ports }, "ntp listening");
  if (settings.listen.ntsKe)
    log.info({ ...settings.listen.ntsKe }, "nts-ke not implemented yet; listen.ntsKe ignored");
}

/**
 * Move one listener to its new address; if the new one cannot be opened, reopen the old one.
 * Returns whether the move happened.
 */
async function moveListener(
  name: string,
  open: () => Promise<void>,
  restore: () => Promise<void>,
  log: Logger,
): Promise<boolean> {
  try {
    await open();
    return true;
  } catch (error) {
    log.error({ err: describeError(error) }, `cannot move the ${name} listener; keeping the old one`);
    await restore().catch((e: unknown) => log.error({ err: describeError(e) }, `${name} listener lost`));
    return false;
  }
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * SIGHUP: apply what is safe to change live — the log level and the SSH and NTP addresses
 * (existing SSH sessions end when their listener moves) — and say what needs a restart.
 */
async function reload(
  file: string | undefined,
  current: Settings,
  agent: Agent,
  log: Logger,
): Promise<Settings> {
  const loaded = loadSettings(file);
  if (!loaded.ok) {
    for (const e of loaded.errors) log.error({ file }, `settings not reloaded: ${e}`);
    return current;
  }
  const next = loaded.settings;
  const was = current.listen;
  let { ssh, ntp } = next.listen;
  const sshNext = sshOptions(next);
  if (ssh && was.ssh && !sameJson(ssh, was.ssh) && sshNext) {
    const sshWas = sshOptions(current)!;
    const moved = await moveListener(
      "ssh",
      () => agent.listenSsh(sshNext),
      () => agent.listenSsh(sshWas),
      log,
    );
    if (!moved) ssh = was.ssh;
  } else ssh = was.ssh;
  if (ntp && was.ntp && !sameJson(ntp, was.ntp)) {
    const [ntpNext, ntpWas] = [ntp, was.ntp];
    const moved = await moveListener(
      "ntp",
      () => agent.listenNtp(ntpNext),
      () => agent.listenNtp(ntpWas),
      log,
    );
    if (!moved) ntp = was.ntp;
  } else ntp = was.ntp;
  const onOff = (s: Settings) => [!!s.listen.ssh, !!s.listen.ntp];
  if (
    next.dataDir !== current.dataDir ||
    next.console !== current.console ||
    !sameJson(onOff(next), onOff(current))
  )
    log.warn("dataDir, console and turning a listener on or off take effect at the next start");
  const applied: Settings = { ...current, listen: { ...next.listen, ssh, ntp }, log: next.log };
  logListeners(agent, applied, log);
  // Said at the old level, so that turning logging down is itself logged.
  log.info({ logLevel: next.log.level }, "settings reloaded");
  log.level = next.log.level;
  return applied;
}

/** Run until SIGTERM/SIGINT; resolves with the exit status. */
export async function runDaemon(settingsFile: string | undefined, io: DaemonIo): Promise<number> {
  const loaded = loadSettings(settingsFile);
  if (!loaded.ok) {
    io.err(`meridian run: invalid settings\n${loaded.errors.map((e) => `  ${e}\n`).join("")}`);
    return EXIT_USAGE;
  }
  let settings = loaded.settings;
  const log = createLogger(settings.log.level, settings.console ? "stderr" : "stdout");
  log.info(
    { settings: settingsFile ?? "(production defaults)", dataDir: settings.dataDir },
    "meridian starting",
  );
  let agent: Agent;
  let firstBoot: ReturnType<typeof ensureStartupConfig>;
  try {
    mkdirSync(settings.dataDir, { recursive: true, mode: 0o700 });
    firstBoot = ensureStartupConfig(new FileStartupStore(join(settings.dataDir, STARTUP_CONFIG_FILE)));
    if (firstBoot) log.info({ user: firstBoot.user }, "first start: wrote the default startup-config");
    agent = await startAgent(settings, log);
  } catch (error) {
    log.fatal({ err: describeError(error) }, "cannot start");
    io.err(`meridian run: cannot start: ${describeError(error)}\n`);
    return EXIT_FAILURE;
  }
  for (const d of agent.bootDiagnostics)
    log.warn(
      { line: d.line, column: d.column, severity: d.severity },
      formatDiagnostic(STARTUP_CONFIG_FILE, d),
    );
  log.info({ diagnostics: agent.bootDiagnostics.length }, "startup-config loaded");
  logListeners(agent, settings, log);
  const ssh = agent.ssh;
  io.err(
    loginHint({
      config: agent.config,
      ssh: ssh ? { address: ssh.address, port: ssh.port, fingerprint: ssh.hostKey.fingerprint } : undefined,
      firstBoot,
    }),
  );
  const consoleLine: ConsoleLine | undefined = settings.console ? startConsole(agent) : undefined;
  log.info("meridian running");

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = async (signal: NodeJS.Signals) => {
      if (stopping) {
        log.warn({ signal }, "second signal: exiting at once");
        process.exit(EXIT_FAILURE);
      }
      stopping = true;
      log.info({ signal }, "shutting down");
      process.off("SIGHUP", hup);
      consoleLine?.close();
      await agent.close();
      log.info("stopped");
      setTimeout(() => process.exit(EXIT_OK), EXIT_SAFETY_MS).unref();
      resolve(EXIT_OK);
    };
    let reloading = Promise.resolve();
    const hup = () => {
      log.info({ signal: "SIGHUP" }, "re-reading settings");
      reloading = reloading.then(async () => {
        settings = await reload(settingsFile, settings, agent, log);
      });
    };
    process.on("SIGTERM", (s) => void stop(s));
    process.on("SIGINT", (s) => void stop(s));
    process.on("SIGHUP", hup);
  });
}

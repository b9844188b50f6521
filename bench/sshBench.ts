/**
 * The SSH shell's cost as an operator or a script feels it, measured with the real OpenSSH
 * client on loopback: `ssh host 'show clock'` end to end (connect, key exchange, public-key
 * authentication, exec, close) and one interactive round trip in an open pty session (a typed
 * command until the prompt is back). The reference is a plain OpenSSH `sshd` on the same
 * machine doing the same (`ssh host date`, and a line through `cat` in a pty), when sshd is
 * installed. Public keys on both sides, so no password helper is in the measurement.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { Agent } from "../src/agent.js";
import { MemoryStartupStore } from "../src/config/startupStore.js";

export type SshBenchRow = Record<string, string | number>;

const SSH = "/usr/bin/ssh";
const SSH_KEYGEN = "/usr/bin/ssh-keygen";
const SSHD = "/usr/sbin/sshd";
const EXEC_RUNS = 20;
const ROUND_TRIPS = 50;

function clientOptions(port: number, key: string): string[] {
  return [
    "-F",
    "/dev/null",
    "-i",
    key,
    "-o",
    "IdentitiesOnly=yes",
    "-o",
    "BatchMode=yes",
    "-o",
    "StrictHostKeyChecking=no",
    "-o",
    "UserKnownHostsFile=/dev/null",
    "-o",
    "LogLevel=ERROR",
    "-p",
    String(port),
  ];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function p90(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.9))] ?? Number.NaN;
}

/** Wall time of `runs` sequential `ssh ... COMMAND`, milliseconds each. */
function timeExec(port: number, key: string, user: string, command: string, runs: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(SSH, [...clientOptions(port, key), `${user}@127.0.0.1`, command], {
      encoding: "utf8",
    });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (r.status !== 0) throw new Error(`ssh ${command} failed (${r.status}): ${r.stderr}`);
  }
  return times;
}

/** Output of a pty session, with a way to wait for what comes next. */
class PtySession {
  private output = "";
  private waiter: (() => void) | undefined;

  constructor(readonly child: ChildProcess) {
    child.stdout!.on("data", (d: Buffer) => {
      this.output += d.toString("latin1");
      this.waiter?.();
    });
  }

  /** Type `keys` and resolve with the milliseconds until `done` matches the new output. */
  roundTrip(keys: string, done: RegExp): Promise<number> {
    this.output = "";
    const start = process.hrtime.bigint();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ${done} in ${JSON.stringify(this.output)}`)),
        10_000,
      );
      this.waiter = () => {
        if (!done.test(this.output)) return;
        clearTimeout(timer);
        this.waiter = undefined;
        resolve(Number(process.hrtime.bigint() - start) / 1e6);
      };
      this.child.stdin!.write(keys);
      this.waiter();
    });
  }
}

async function timeRoundTrips(
  port: number,
  key: string,
  user: string,
  command: string[],
  step: { keys: string; done: RegExp; ready: RegExp },
): Promise<number[]> {
  const child = spawn(SSH, ["-tt", ...clientOptions(port, key), `${user}@127.0.0.1`, ...command]);
  const session = new PtySession(child);
  try {
    await session.roundTrip("", step.ready);
    await session.roundTrip(step.keys, step.done); // warm-up: the first one may wait for the login
    const times: number[] = [];
    for (let i = 0; i < ROUND_TRIPS; i++) times.push(await session.roundTrip(step.keys, step.done));
    return times;
  } finally {
    child.kill();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Measured {
  execMs: number[];
  roundTripMs: number[];
}

async function measureMeridian(dir: string, key: string): Promise<Measured> {
  const publicKey = readFileSync(`${key}.pub`, "utf8").trim();
  const config = [
    "hostname Bench",
    "username admin privilege 15 secret 0 unused-password",
    "ip ssh pubkey-chain",
    " username admin",
    "  key-string",
    `   ${publicKey}`,
    "  exit",
    "line vty 0 4",
    " login local",
    " transport input ssh",
    "",
  ].join("\n");
  const agent = await Agent.start({
    startup: new MemoryStartupStore(config),
    ssh: { address: "127.0.0.1", port: 0, hostKeyFile: join(dir, "meridian_host_key") },
  });
  try {
    return await measureServedHere(agent.ssh!.port, key);
  } finally {
    await agent.close();
  }
}

/**
 * Meridian serves from this very process, where a synchronous spawn would stop it: the exec
 * loop waits asynchronously.
 */
async function measureServedHere(port: number, key: string): Promise<Measured> {
  const execMs: number[] = [];
  for (let i = 0; i < EXEC_RUNS; i++) {
    const start = process.hrtime.bigint();
    const status = await new Promise<number | null>((resolve) => {
      const child = spawn(SSH, [...clientOptions(port, key), "admin@127.0.0.1", "show clock"], {
        stdio: "ignore",
      });
      child.on("close", resolve);
    });
    execMs.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (status !== 0) throw new Error(`ssh show clock failed (${status})`);
  }
  const roundTripMs = await timeRoundTrips(port, key, "admin", [], {
    keys: "show clock\r",
    done: /UTC.*\r\nBench#$/,
    ready: /Bench#$/,
  });
  return { execMs, roundTripMs };
}

async function measureSshd(dir: string, key: string): Promise<Measured | string> {
  if (!existsSync(SSHD)) return "sshd not installed";
  // sshd refuses to start without its privilege separation directory.
  if (!existsSync("/run/sshd")) mkdirSync("/run/sshd", { mode: 0o755 });
  const port = await freePort();
  const hostKey = join(dir, "sshd_host_key");
  spawnSync(SSH_KEYGEN, ["-q", "-t", "ed25519", "-N", "", "-f", hostKey]);
  writeFileSync(join(dir, "authorized_keys"), readFileSync(`${key}.pub`), { mode: 0o600 });
  const configFile = join(dir, "sshd_config");
  writeFileSync(
    configFile,
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
      "PidFile none",
      "StrictModes no",
      "UsePAM no",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "PermitRootLogin prohibit-password",
      "LogLevel ERROR",
      "",
    ].join("\n"),
  );
  const sshd = spawn(SSHD, ["-D", "-e", "-f", configFile], { stdio: ["ignore", "ignore", "pipe"] });
  let errors = "";
  sshd.stderr!.on("data", (d: Buffer) => {
    errors += d.toString();
  });
  try {
    const user = userInfo().username;
    for (let i = 0; ; i++) {
      const probe = spawnSync(SSH, [...clientOptions(port, key), `${user}@127.0.0.1`, "true"]);
      if (probe.status === 0) break;
      if (i > 50 || sshd.exitCode !== null) return `sshd did not start: ${errors.trim()}`;
      await new Promise((r) => setTimeout(r, 100));
    }
    const execMs = timeExec(port, key, user, "date", EXEC_RUNS);
    const roundTripMs = await timeRoundTrips(port, key, user, ["cat"], {
      keys: "ping\r",
      done: /ping\r\nping\r\n$/,
      ready: /^/,
    });
    return { execMs, roundTripMs };
  } finally {
    sshd.kill();
  }
}

function rows(meridian: Measured, sshd: Measured | string): SshBenchRow[] {
  const ref = (pick: (m: Measured) => number) => (typeof sshd === "string" ? sshd : pick(sshd).toFixed(1));
  const ratio = (pick: (m: Measured) => number) =>
    typeof sshd === "string" ? "" : (pick(meridian) / pick(sshd)).toFixed(2);
  const measures: [string, (m: Measured) => number][] = [
    [`ssh host 'show clock', end to end, median of ${EXEC_RUNS}`, (m) => median(m.execMs)],
    [`ssh host 'show clock', end to end, p90`, (m) => p90(m.execMs)],
    [`interactive command round trip, median of ${ROUND_TRIPS}`, (m) => median(m.roundTripMs)],
    [`interactive command round trip, p90`, (m) => p90(m.roundTripMs)],
  ];
  return measures.map(([measure, pick]) => ({
    measure,
    "Meridian ms": pick(meridian).toFixed(1),
    "OpenSSH sshd ms": ref(pick),
    "x sshd": ratio(pick),
  }));
}

/**
 * Run both measurements; rows of measure / Meridian ms / OpenSSH sshd ms (`ssh host date`,
 * a line through `cat`) / ratio. The sshd column says why when there is no reference.
 */
export async function runSshBench(): Promise<SshBenchRow[]> {
  if (!existsSync(SSH))
    return [{ measure: "ssh benchmark", "Meridian ms": "skipped: OpenSSH client not installed" }];
  const dir = mkdtempSync(join(tmpdir(), "meridian-sshbench-"));
  try {
    const key = join(dir, "client_key");
    spawnSync(SSH_KEYGEN, ["-q", "-t", "ed25519", "-N", "", "-f", key]);
    const meridian = await measureMeridian(dir, key);
    const sshd = await measureSshd(dir, key);
    return rows(meridian, sshd);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

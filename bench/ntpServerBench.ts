/**
 * NTP server throughput, latency and timestamp accuracy: the Meridian server against chronyd 4.x
 * on loopback, measured by the same closed-loop load generator (bench/ntpload.c), for three
 * cases: plain, MD5 and AES-128-CMAC (RFC 8573).
 *
 * Setup (node-notes §6): each server on CPU 0 and the generator on CPU 1 (`taskset`, when present
 * and there are two CPUs). chronyd runs with `-x` (never touches the system clock), on a free
 * unprivileged port, `local stratum 3`, no command port, no rate limit. Runs are interleaved
 * (chronyd, ours, chronyd, ...) and each figure is the median over the repetitions.
 *
 * Offset is the server's timestamp error: client and server read one clock, so a correct server
 * shows 0 (ntpload's header comment explains how t1..t4 are taken).
 *
 * Needs: a C compiler (`cc`), OpenSSL's libcrypto headers for the keyed cases (Debian
 * `libssl-dev`; without them only the plain case runs) and chronyd (Debian `chrony`, run as root
 * since chronyd refuses otherwise; without it only our column is filled).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createSocket } from "node:dgram";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir, userInfo } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** One table row: a case with chronyd's and our figures side by side. */
export type Row = Record<string, string | number>;

export interface NtpServerBenchOptions {
  /** Requests in flight. Default 16. */
  readonly concurrency?: number;
  /** Seconds per measured run (at most 10). Default 3. */
  readonly durationSeconds?: number;
  /** Measured runs per server and case; the table shows medians. Default 3. */
  readonly repetitions?: number;
  /** Unmeasured run per server and case first (JIT warm-up, caches). Default 1. */
  readonly warmupSeconds?: number;
  /** Progress lines. Default: stderr. */
  readonly log?: (line: string) => void;
}

interface LoadResult {
  readonly rps: number;
  readonly sent: number;
  readonly received: number;
  readonly invalid: number;
  readonly lost: number;
  readonly late: number;
  readonly p50Us: number;
  readonly p99Us: number;
  readonly offsetMeanUs: number;
  readonly offsetSdUs: number;
  /** Server CPU (user + system) per valid answer, µs; NaN when /proc is unavailable. */
  readonly cpuUsPerAnswer: number;
}

interface BenchCase {
  readonly name: string;
  /** ntpload's -k argument, chrony keyfile line and our --key argument share ID:ALGO:HEX. */
  readonly key: string | undefined;
}

interface Server {
  readonly name: string;
  readonly port: number;
  readonly process: ChildProcess;
  /** What the server reported about itself (ours: its UDP and MAC implementations). */
  readonly description?: string;
}

const MAX_RUN_SECONDS = 10;
const STARTUP_TIMEOUT_MS = 10_000;
const PROBE_INTERVAL_MS = 100;
const NTP_REQUEST_LENGTH = 48;
const CLIENT_MODE_V4 = 0x23; // LI 0, VN 4, mode 3 (RFC 5905 §7.3)

const here = dirname(fileURLToPath(import.meta.url));
/** dist/bench/*.js runs from the build; the C source stays in the source tree. */
const compiled = import.meta.url.endsWith(".js");
const sourceBenchDir = compiled ? resolve(here, "../../bench") : here;
const projectRoot = resolve(sourceBenchDir, "..");

export async function runNtpServerBench(options: NtpServerBenchOptions = {}): Promise<Row[]> {
  const concurrency = options.concurrency ?? 16;
  const duration = Math.min(options.durationSeconds ?? 3, MAX_RUN_SECONDS);
  const repetitions = options.repetitions ?? 3;
  const warmup = Math.min(options.warmupSeconds ?? 1, MAX_RUN_SECONDS);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));

  const work = mkdtempSync(join(tmpdir(), "meridian-ntpbench-"));
  const servers: Server[] = [];
  try {
    const build = compileNtpload(work);
    const pin = canPin();
    const cases: BenchCase[] = [
      { name: "plain", key: undefined },
      // IOS keys are typed text: a random printable-ASCII MD5 key, hex-encoded for ntpload and chrony.
      {
        name: "MD5",
        key: `1:MD5:${Buffer.from(randomBytes(15).toString("base64").slice(0, 20)).toString("hex")}`,
      },
      { name: "AES-CMAC", key: `2:AES128:${randomBytes(16).toString("hex")}` },
    ].filter((c) => c.key === undefined || build.crypto);
    const keys = cases.flatMap((c) => (c.key ? [c.key] : []));
    log(
      `ntp bench: -c ${concurrency}, ${repetitions} x ${duration} s per server and case, ` +
        `${pin ? "server CPU 0 / generator CPU 1" : "not pinned (no taskset or one CPU)"}` +
        `${build.crypto ? "" : "; no libcrypto, keyed cases skipped"}`,
    );
    const chronyd = await startChronyd(work, keys, pin).catch((error: unknown) => {
      log(`chronyd not measured: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    });
    if (chronyd) servers.push(chronyd);
    const ours = await startMeridian(keys, pin);
    servers.push(ours);
    log(`ours: ${ours.description}`);

    const results = new Map<string, LoadResult[]>();
    for (const benchCase of cases) {
      for (const server of servers) {
        await runLoad(build.binary, server, benchCase, concurrency, warmup, pin);
      }
      for (let rep = 0; rep < repetitions; rep++) {
        for (const server of servers) {
          const result = await runLoad(build.binary, server, benchCase, concurrency, duration, pin);
          log(`  ${benchCase.name} ${server.name} #${rep + 1}: ${summarize(result)}`);
          const id = `${benchCase.name}/${server.name}`;
          results.set(id, [...(results.get(id) ?? []), result]);
        }
      }
    }
    return cases.map((c) =>
      tableRow(c.name, results.get(`${c.name}/chronyd`), results.get(`${c.name}/ours`)),
    );
  } finally {
    await Promise.all(servers.map((s) => stopProcess(s.process)));
    rmSync(work, { recursive: true, force: true });
  }
}

// ---- processes ----

function compileNtpload(work: string): { binary: string; crypto: boolean } {
  const source = join(sourceBenchDir, "ntpload.c");
  if (!existsSync(source)) throw new Error(`ntpload.c not found at ${source}`);
  const binary = join(work, "ntpload");
  const withCrypto = spawnSync("cc", ["-O2", "-o", binary, source, "-lcrypto", "-lm"], { encoding: "utf8" });
  if (withCrypto.status === 0) return { binary, crypto: true };
  const plain = spawnSync("cc", ["-O2", "-DNTPLOAD_NO_CRYPTO", "-o", binary, source, "-lm"], {
    encoding: "utf8",
  });
  if (plain.status !== 0) {
    throw new Error(`cannot compile ntpload.c: ${plain.stderr || plain.error?.message || "cc failed"}`);
  }
  return { binary, crypto: false };
}

function canPin(): boolean {
  return availableParallelism() >= 2 && spawnSync("taskset", ["-c", "0", "true"]).status === 0;
}

function pinned(cpu: number, pin: boolean, command: string, args: readonly string[]): [string, string[]] {
  return pin ? ["taskset", ["-c", String(cpu), command, ...args]] : [command, [...args]];
}

/** A UDP port on 127.0.0.1 that was free a moment ago (chronyd cannot report a port 0 choice). */
function freeUdpPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const socket = createSocket("udp4");
    socket.once("error", reject);
    socket.bind(0, "127.0.0.1", () => {
      const { port } = socket.address();
      socket.close(() => resolvePort(port));
    });
  });
}

function findChronyd(): string | undefined {
  const dirs = [...(process.env.PATH ?? "").split(":"), "/usr/sbin", "/sbin", "/usr/local/sbin"];
  return dirs.map((d) => join(d, "chronyd")).find((p) => p.startsWith("/") && existsSync(p));
}

async function startChronyd(work: string, keys: readonly string[], pin: boolean): Promise<Server> {
  const chronyd = findChronyd();
  if (chronyd === undefined) throw new Error("chronyd not found (apt-get install chrony)");
  const port = await freeUdpPort();
  const keyfile = join(work, "chrony.keys");
  writeFileSync(keyfile, keys.map((k) => k.replace(/^(\d+):(\w+):/, "$1 $2 HEX:")).join("\n"), {
    mode: 0o600,
  });
  const config = join(work, "chrony.conf");
  writeFileSync(
    config,
    [
      `port ${port}`,
      "bindaddress 127.0.0.1",
      "allow 127.0.0.1",
      "local stratum 3",
      "cmdport 0",
      `pidfile ${join(work, "chronyd.pid")}`,
      `driftfile ${join(work, "chrony.drift")}`,
      `keyfile ${keyfile}`,
      "",
    ].join("\n"),
  );
  // -x: never touch the system clock. -d: foreground, log to stderr. -u: stay the current user,
  // so the files in our private temp directory stay readable after chronyd drops privileges.
  const [command, args] = pinned(0, pin, chronyd, ["-x", "-d", "-u", userInfo().username, "-f", config]);
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
  const output = captureTail(child);
  try {
    await Promise.race([probeNtpServer(port), exitedEarly(child, output)]);
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
  return { name: "chronyd", port, process: child };
}

async function startMeridian(keys: readonly string[], pin: boolean): Promise<Server> {
  const entry = compiled
    ? [join(here, "meridianNtpServer.js")]
    : ["--import", "tsx", join(here, "meridianNtpServer.ts")];
  const serverArgs = ["--port", "0", ...keys.flatMap((k) => ["--key", k])];
  const [command, args] = pinned(0, pin, process.execPath, [...entry, ...serverArgs]);
  const child = spawn(command, args, { cwd: projectRoot, stdio: ["ignore", "pipe", "pipe"] });
  const output = captureTail(child);
  try {
    const port = await Promise.race([listeningPort(child), exitedEarly(child, output)]);
    await Promise.race([probeNtpServer(port), exitedEarly(child, output)]);
    const description = /^serving (.*)$/m.exec(output())?.[1] ?? "implementation not reported";
    return { name: "ours", port, process: child, description };
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
}

/** Keeps the last few KB of a child's output for error messages (and drains the pipes). */
function captureTail(child: ChildProcess): () => string {
  let tail = "";
  const add = (chunk: Buffer): void => {
    tail = (tail + chunk.toString()).slice(-4096);
  };
  child.stdout?.on("data", add);
  child.stderr?.on("data", add);
  return () => tail;
}

function exitedEarly(child: ChildProcess, output: () => string): Promise<never> {
  return new Promise((_, reject) => {
    child.once("exit", (code, signal) => {
      reject(new Error(`exited (${signal ?? code}) during startup: ${output().trim()}`));
    });
    child.once("error", reject);
  });
}

function listeningPort(child: ChildProcess): Promise<number> {
  return new Promise((resolvePort) => {
    let seen = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /^listening \S+ (\d+)$/m.exec(seen);
      if (match) resolvePort(Number(match[1]));
    });
  });
}

/** Resolves once `port` answers a client request with a server-mode, synchronized reply. */
function probeNtpServer(port: number): Promise<void> {
  return new Promise((resolveProbe, reject) => {
    const socket = createSocket("udp4");
    const request = Buffer.alloc(NTP_REQUEST_LENGTH);
    request[0] = CLIENT_MODE_V4;
    request.writeUInt32BE(0x12345678, 44); // a transmit timestamp the reply must echo
    const finish = (error?: Error): void => {
      clearInterval(timer);
      clearTimeout(deadline);
      socket.close();
      if (error) reject(error);
      else resolveProbe();
    };
    socket.on("message", (reply) => {
      const synchronized =
        reply.length >= NTP_REQUEST_LENGTH && (reply[0]! & 7) === 4 && reply[0]! >> 6 !== 3;
      if (synchronized && reply.readUInt32BE(28) === 0x12345678) finish();
    });
    socket.on("error", () => {}); // ECONNREFUSED while the server starts: keep probing
    const send = (): void => socket.send(request, port, "127.0.0.1");
    const timer = setInterval(send, PROBE_INTERVAL_MS);
    const deadline = setTimeout(() => finish(new Error(`no NTP answer on port ${port}`)), STARTUP_TIMEOUT_MS);
    send();
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  child.kill("SIGTERM");
  const killTimer = setTimeout(() => child.kill("SIGKILL"), 3000);
  await exited;
  clearTimeout(killTimer);
}

// ---- load runs ----

async function runLoad(
  binary: string,
  server: Server,
  benchCase: BenchCase,
  concurrency: number,
  seconds: number,
  pin: boolean,
): Promise<LoadResult> {
  const loadArgs = ["127.0.0.1", String(server.port), "-c", String(concurrency), "-d", String(seconds)];
  if (benchCase.key) loadArgs.push("-k", benchCase.key);
  const [command, args] = pinned(1, pin, binary, loadArgs);
  const cpuBefore = cpuTicks(server.process.pid);
  const { stdout, stderr, code } = await runBounded(command, args, (seconds + 10) * 1000);
  const cpuAfter = cpuTicks(server.process.pid);
  const fields = Object.fromEntries(
    [...stdout.matchAll(/(\w+)=(-?[\d.]+)/g)].map((m) => [m[1], Number(m[2])]),
  );
  if (code !== 0 || fields.rps === undefined) {
    throw new Error(`ntpload failed (${code}): ${stderr.trim() || stdout.trim()}`);
  }
  const received = fields.received ?? 0;
  const cpuUs = (cpuAfter - cpuBefore) * (1e6 / clockTicksPerSecond());
  return {
    rps: fields.rps,
    sent: fields.sent ?? 0,
    received,
    invalid: fields.invalid ?? 0,
    lost: fields.lost ?? 0,
    late: fields.late ?? 0,
    p50Us: fields.p50_us ?? Number.NaN,
    p99Us: fields.p99_us ?? Number.NaN,
    offsetMeanUs: fields.offset_mean_us ?? Number.NaN,
    offsetSdUs: fields.offset_sd_us ?? Number.NaN,
    cpuUsPerAnswer: received > 0 ? cpuUs / received : Number.NaN,
  };
}

function runBounded(
  command: string,
  args: readonly string[],
  timeoutMs: number,
): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((done, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      done({ stdout, stderr, code });
    });
  });
}

/** utime + stime of a process in clock ticks (proc(5)); NaN off Linux. */
function cpuTicks(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return Number.NaN;
  }
}

let ticksPerSecond: number | undefined;
function clockTicksPerSecond(): number {
  ticksPerSecond ??= Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;
  return ticksPerSecond;
}

// ---- the table ----

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function summarize(r: LoadResult): string {
  return (
    `${Math.round(r.rps)} rps, p50 ${r.p50Us} µs, p99 ${r.p99Us} µs, offset ${r.offsetMeanUs.toFixed(1)}` +
    ` ± ${r.offsetSdUs.toFixed(1)} µs, lost ${r.lost}, late ${r.late}, invalid ${r.invalid},` +
    ` CPU ${r.cpuUsPerAnswer.toFixed(2)} µs/answer`
  );
}

interface Summary {
  readonly rps: number;
  readonly cells: Record<string, string>;
}

function summarizeRuns(runs: readonly LoadResult[] | undefined): Summary | undefined {
  if (runs === undefined || runs.length === 0) return undefined;
  const m = (pick: (r: LoadResult) => number): number => median(runs.map(pick));
  const rps = runs.map((r) => r.rps);
  const total = (pick: (r: LoadResult) => number): number => runs.reduce((sum, r) => sum + pick(r), 0);
  return {
    rps: m((r) => r.rps),
    cells: {
      rps: `${(m((r) => r.rps) / 1000).toFixed(1)}k (${(Math.min(...rps) / 1000).toFixed(0)}-${(Math.max(...rps) / 1000).toFixed(0)}k)`,
      "p50/p99 µs": `${m((r) => r.p50Us).toFixed(1)} / ${m((r) => r.p99Us).toFixed(1)}`,
      "offset µs": `${signed(m((r) => r.offsetMeanUs))} ± ${m((r) => r.offsetSdUs).toFixed(1)}`,
      "CPU µs/ans": m((r) => r.cpuUsPerAnswer).toFixed(2),
      "lost/invalid": `${total((r) => r.lost)}/${total((r) => r.invalid)}`,
    },
  };
}

function signed(value: number): string {
  return `${value >= 0 ? "+" : ""}${value.toFixed(1)}`;
}

function tableRow(
  name: string,
  chronydRuns: readonly LoadResult[] | undefined,
  ourRuns: readonly LoadResult[] | undefined,
): Row {
  const chronyd = summarizeRuns(chronydRuns);
  const ours = summarizeRuns(ourRuns);
  const row: Row = { case: name };
  for (const column of ["rps", "p50/p99 µs", "offset µs", "CPU µs/ans", "lost/invalid"]) {
    row[`chronyd ${column}`] = chronyd?.cells[column] ?? "n/a";
    row[`ours ${column}`] = ours?.cells[column] ?? "n/a";
    if (column === "rps") row["ours/chronyd"] = chronyd && ours ? (ours.rps / chronyd.rps).toFixed(2) : "n/a";
  }
  return row;
}

/**
 * A real `meridian run` for end-to-end tests: spawned from bin/ (after `npm run build`) with a
 * temporary settings file on loopback port 0, its ports read back from the JSON log and the
 * first-start password from the login hint. Plus the OpenSSH client invocations the tests use.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const BIN = new URL("../../bin/meridian.js", import.meta.url).pathname;
export const SSH = "/usr/bin/ssh";
export const SSHPASS = "/usr/bin/sshpass";
export const SSH_KEYGEN = "/usr/bin/ssh-keygen";

export function tempDir(prefix = "meridian-e2e-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Settings for a test daemon: loopback, kernel-chosen ports, data under `dir`. */
export function writeTestSettings(dir: string, extra = ""): string {
  const file = join(dir, "settings.yaml");
  writeFileSync(
    file,
    [
      "dataDir: ./data",
      "listen:",
      "  ssh: { address: 127.0.0.1, port: 0 }",
      "  ntp: { addresses: [127.0.0.1], port: 0 }",
      "  ntsKe: false",
      "log: { level: info }",
      extra,
    ].join("\n"),
  );
  return file;
}

export class Daemon {
  stdout = "";
  stderr = "";
  private exited: Promise<number | null>;

  private constructor(readonly child: ChildProcess) {
    child.stdout!.on("data", (d: Buffer) => {
      this.stdout += d.toString();
    });
    child.stderr!.on("data", (d: Buffer) => {
      this.stderr += d.toString();
    });
    this.exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  }

  static async start(settingsFile: string): Promise<Daemon> {
    const d = new Daemon(
      spawn(process.execPath, [BIN, "run", "-s", settingsFile], { stdio: ["ignore", "pipe", "pipe"] }),
    );
    await d.waitForLog("meridian running");
    return d;
  }

  /** JSON log records on stdout. */
  get records(): Record<string, unknown>[] {
    return this.stdout
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  async waitForLog(msg: string, timeoutMs = 10_000): Promise<Record<string, unknown>> {
    return (await this.waitForRecords((r) => r.msg === msg, 1, timeoutMs))[0]!;
  }

  /**
   * Wait until `count` log records match. The log arrives through a pipe, so a test that has
   * just run a synchronous client must wait for it rather than read `records` at once.
   */
  async waitForRecords(
    match: (r: Record<string, unknown>) => boolean,
    count = 1,
    timeoutMs = 10_000,
  ): Promise<Record<string, unknown>[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hits = this.records.filter(match);
      if (hits.length >= count) return hits;
      if (Date.now() > deadline || this.child.exitCode !== null)
        throw new Error(
          `${hits.length} of ${count} log records; stdout:\n${this.stdout}\nstderr:\n${this.stderr}`,
        );
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  get sshPort(): number {
    return Number(this.records.find((r) => r.msg === "ssh listening")?.port);
  }

  get ntpPort(): number {
    return Number((this.records.find((r) => r.msg === "ntp listening")?.ports as number[] | undefined)?.[0]);
  }

  /** The first-start password from the login hint (undefined on later starts). */
  get password(): string | undefined {
    return /Password for \S+: (\S+)/.exec(this.stderr)?.[1];
  }

  /** The `ssh ...` command the hint prints. */
  get loginCommand(): string | undefined {
    return /^\s+(ssh .*)$/m.exec(this.stderr)?.[1];
  }

  async signal(sig: NodeJS.Signals): Promise<number | null> {
    this.child.kill(sig);
    return this.exited;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) await this.signal("SIGTERM");
  }
}

/** OpenSSH client options: no user config, no known_hosts, no agent, quiet. */
export function sshOptions(port: number): string[] {
  return [
    "-F",
    "/dev/null",
    "-o",
    "StrictHostKeyChecking=no",
    "-o",
    "UserKnownHostsFile=/dev/null",
    "-o",
    "LogLevel=ERROR",
    "-o",
    "ConnectTimeout=10",
    "-o",
    "IdentityAgent=none",
    "-p",
    String(port),
  ];
}

export interface SshResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `sshpass -p PASSWORD ssh ... user@127.0.0.1 COMMAND` (password / keyboard-interactive only). */
export function sshPassword(port: number, user: string, password: string, command: string): SshResult {
  const r = spawnSync(
    SSHPASS,
    ["-p", password, SSH, ...sshOptions(port), "-o", "PubkeyAuthentication=no", `${user}@127.0.0.1`, command],
    { encoding: "utf8", timeout: 20_000 },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Async variant, so that a test can run several clients while the daemon serves them. */
export function sshPasswordAsync(
  port: number,
  user: string,
  password: string,
  command: string,
): Promise<SshResult> {
  return new Promise((resolve) => {
    const child = spawn(SSHPASS, [
      "-p",
      password,
      SSH,
      ...sshOptions(port),
      "-o",
      "PubkeyAuthentication=no",
      `${user}@127.0.0.1`,
      command,
    ]);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

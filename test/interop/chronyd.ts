/**
 * Runs a real chronyd (Debian package) as an NTP client of a server under test, on loopback.
 * Always `-x` (never touches the system clock), NTP serving disabled (`port 0`), commands over a
 * private Unix socket, everything in a temporary directory; stopped by PID.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const CHRONYD = "/usr/sbin/chronyd";
export const CHRONYC = "/usr/bin/chronyc";

export interface ChronyKey {
  readonly id: number;
  /** chrony keyfile type: MD5, SHA1, SHA256, AES128 ... */
  readonly type: string;
  /** As chrony's keyfile takes it: `HEX:...` or ASCII. */
  readonly value: string;
}

export interface ChronyClientOptions {
  readonly serverPort: number;
  readonly serverAddress?: string;
  readonly key?: ChronyKey;
  /** Extra directive options for the `server` line. */
  readonly serverOptions?: string;
  /** minpoll = maxpoll, log2 s (default -3: fast tests). */
  readonly pollLog2?: number;
}

/** One chronyd process in its own temporary directory: config, optional keyfile, log capture. */
class ChronyDaemon {
  protected readonly dir: string;
  private process: ChildProcess | undefined;
  log = "";

  constructor(prefix: string) {
    this.dir = mkdtempSync(join(tmpdir(), prefix));
  }

  /** Write the config (plus pidfile, driftfile and keyfile) and start `chronyd -x -d`. */
  protected launch(lines: readonly string[], key: ChronyKey | undefined): void {
    const config = [
      ...lines,
      `pidfile ${join(this.dir, "chronyd.pid")}`,
      `driftfile ${join(this.dir, "drift")}`,
    ];
    if (key) {
      writeFileSync(join(this.dir, "keys"), `${key.id} ${key.type} ${key.value}\n`, { mode: 0o600 });
      config.push(`keyfile ${join(this.dir, "keys")}`);
    }
    writeFileSync(join(this.dir, "chrony.conf"), `${config.join("\n")}\n`);
    // -x: never adjust the system clock; -d: foreground, log to stderr; -u root: keep our socket dir.
    this.process = spawn(CHRONYD, ["-x", "-d", "-u", "root", "-f", join(this.dir, "chrony.conf")], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.process.stdout?.on("data", (d: Buffer) => {
      this.log += d.toString();
    });
    this.process.stderr?.on("data", (d: Buffer) => {
      this.log += d.toString();
    });
  }

  async stop(): Promise<void> {
    const p = this.process;
    if (p && p.exitCode === null) {
      const exited = new Promise((r) => p.once("exit", r));
      p.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (p.exitCode === null) p.kill("SIGKILL");
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export class ChronyClient extends ChronyDaemon {
  constructor(private readonly options: ChronyClientOptions) {
    super("meridian-chrony-");
  }

  get socket(): string {
    return join(this.dir, "chronyd.sock");
  }

  start(): void {
    const o = this.options;
    const poll = o.pollLog2 ?? -3;
    const key = o.key ? ` key ${o.key.id}` : "";
    this.launch(
      [
        `server ${o.serverAddress ?? "127.0.0.1"} port ${o.serverPort} iburst minpoll ${poll} maxpoll ${poll}${key} ${o.serverOptions ?? ""}`,
        "port 0",
        "cmdport 0",
        `bindcmdaddress ${this.socket}`,
      ],
      o.key,
    );
  }

  /** `chronyc ntpdata` as a field map ("Stratum" -> "3"). */
  ntpdata(): Map<string, string> {
    return this.report("ntpdata");
  }

  /** `chronyc tracking` as a field map ("Last offset" -> "+0.000001234 seconds"). */
  tracking(): Map<string, string> {
    return this.report("tracking");
  }

  private report(command: string): Map<string, string> {
    const fields = new Map<string, string>();
    let text = "";
    try {
      text = execFileSync(CHRONYC, ["-h", this.socket, "-n", command], { encoding: "utf8", timeout: 5000 });
    } catch {
      return fields;
    }
    for (const line of text.split("\n")) {
      const m = /^([^:]+?)\s*:\s*(.*)$/.exec(line);
      if (m?.[1] && m[2] !== undefined) fields.set(m[1], m[2]);
    }
    return fields;
  }

  /** Poll ntpdata until `done` or the deadline; returns the last reading. */
  async waitFor(done: (f: Map<string, string>) => boolean, timeoutMs = 15000): Promise<Map<string, string>> {
    const deadline = Date.now() + timeoutMs;
    let last = new Map<string, string>();
    while (Date.now() < deadline) {
      last = this.ntpdata();
      if (done(last)) return last;
      await new Promise((r) => setTimeout(r, 250));
    }
    return last;
  }
}

/** A UDP port nothing listens on right now (bound and released by the kernel's choice). */
export async function freeUdpPort(): Promise<number> {
  const { createSocket } = await import("node:dgram");
  const socket = createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", () => resolve()));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** chronyd as an NTP server on loopback (`local stratum`), never touching the system clock. */
export class ChronyServer extends ChronyDaemon {
  constructor(
    readonly port: number,
    private readonly key?: ChronyKey,
    private readonly stratum = 3,
  ) {
    super("meridian-chronysrv-");
  }

  start(): void {
    this.launch(
      [
        `port ${this.port}`,
        "bindaddress 127.0.0.1",
        "allow 127.0.0.1",
        `local stratum ${this.stratum}`,
        "cmdport 0",
      ],
      this.key,
    );
  }
}

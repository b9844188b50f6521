/**
 * Runs rsyslogd from the Debian package as a syslog collector on loopback for interop tests:
 * its own configuration in a temporary directory, imudp and imtcp on free unprivileged ports,
 * every message written as the raw bytes received (`%rawmsg%`, one per line), foreground (`-n`),
 * its own PID file (`-i`); stopped by PID.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createSocket } from "node:dgram";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const RSYSLOGD = "/usr/sbin/rsyslogd";

/** A port the kernel just gave us for `kind`, released for rsyslogd to bind. */
export async function freePort(kind: "udp" | "tcp"): Promise<number> {
  if (kind === "tcp") {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return typeof address === "object" && address ? address.port : 0;
  }
  const socket = createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const port = socket.address().port;
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

export class RsyslogCollector {
  private readonly dir = mkdtempSync(join(tmpdir(), "meridian-rsyslog-"));
  private process: ChildProcess | undefined;
  udpPort = 0;
  tcpPort = 0;
  log = "";

  /** Where the messages received over `transport` are stored. */
  rawFile(transport: "udp" | "tcp"): string {
    return join(this.dir, `raw-${transport}.log`);
  }

  /** Start on free ports, or on `ports.tcp` (a collector that comes up where one was expected). */
  async start(ports: { tcp?: number } = {}): Promise<void> {
    this.udpPort = await freePort("udp");
    this.tcpPort = ports.tcp ?? (await freePort("tcp"));
    const conf = [
      `global(workDirectory="${this.dir}")`,
      'module(load="imudp")',
      'module(load="imtcp")',
      // The received bytes exactly: no parsing of PRI, hostname or tag into another layout.
      'template(name="raw" type="string" string="%rawmsg%\\n")',
      ...(["udp", "tcp"] as const).map(
        (t) =>
          `ruleset(name="${t}") { action(type="omfile" file="${this.rawFile(t)}" template="raw" asyncWriting="off" flushOnTXEnd="on") }`,
      ),
      `input(type="imudp" address="127.0.0.1" port="${this.udpPort}" ruleset="udp")`,
      `input(type="imtcp" address="127.0.0.1" port="${this.tcpPort}" ruleset="tcp")`,
    ].join("\n");
    writeFileSync(join(this.dir, "rsyslog.conf"), `${conf}\n`);
    const pidFile = join(this.dir, "rsyslogd.pid");
    this.process = spawn(RSYSLOGD, ["-n", "-f", join(this.dir, "rsyslog.conf"), "-i", pidFile], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.process.stdout?.on("data", (d: Buffer) => (this.log += d.toString()));
    this.process.stderr?.on("data", (d: Buffer) => (this.log += d.toString()));
    await this.waitForListeners();
  }

  /** rsyslogd is ready once its TCP listener accepts a connection. */
  private async waitForListeners(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.process?.exitCode !== null) throw new Error(`rsyslogd exited: ${this.log}`);
      const ok = await new Promise<boolean>((resolve) => {
        const probe = connect(this.tcpPort, "127.0.0.1");
        probe.once("connect", () => {
          probe.destroy();
          resolve(true);
        });
        probe.once("error", () => resolve(false));
        probe.setTimeout(500, () => {
          probe.destroy();
          resolve(false);
        });
      });
      if (ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`rsyslogd did not start listening: ${this.log}`);
  }

  /** The raw messages received over `transport` so far, one per message. */
  lines(transport: "udp" | "tcp"): string[] {
    const file = this.rawFile(transport);
    if (!existsSync(file)) return [];
    return readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => l.length > 0);
  }

  async waitForLines(transport: "udp" | "tcp", count: number, timeoutMs = 10_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    let lines = this.lines(transport);
    while (lines.length < count && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      lines = this.lines(transport);
    }
    return lines;
  }

  async stop(): Promise<void> {
    const p = this.process;
    if (p && p.exitCode === null && p.pid !== undefined) {
      const exited = new Promise((r) => p.once("exit", r));
      process.kill(p.pid, "SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (p.exitCode === null) process.kill(p.pid, "SIGKILL");
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

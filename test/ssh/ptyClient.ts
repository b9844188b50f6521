/**
 * An interactive OpenSSH session driven keystroke by keystroke: `ssh -tt` with a pipe for
 * stdin, so the client forwards bytes exactly as a raw terminal would send them, and every byte
 * the server writes back (echo, CRLF, backspaces, `--More--`) is recorded.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { SSH, SSHPASS, sshOptions } from "./daemonProcess.js";

export class PtyClient {
  output = "";
  private mark = 0;
  readonly exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on("data", (d: Buffer) => (this.output += d.toString("latin1")));
    child.stderr.on("data", (d: Buffer) => (this.output += d.toString("latin1")));
    this.exited = new Promise((resolve) => child.on("close", (code) => resolve(code)));
  }

  /** Log in with a password (sshpass answers the prompt) and wait for `prompt`. */
  static async open(port: number, user: string, password: string, prompt: RegExp): Promise<PtyClient> {
    const child = spawn(SSHPASS, [
      "-p",
      password,
      SSH,
      "-tt",
      ...sshOptions(port),
      "-o",
      "PubkeyAuthentication=no",
      `${user}@127.0.0.1`,
    ]);
    const client = new PtyClient(child);
    await client.expect(prompt);
    return client;
  }

  /** Send keystrokes. */
  type(keys: string): void {
    this.child.stdin.write(keys);
  }

  /**
   * Wait until the output since the last expectation matches `pattern`; returns that output
   * (from the previous mark to the end of the match) and moves the mark past it.
   */
  async expect(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rest = this.output.slice(this.mark);
      const m = pattern.exec(rest);
      if (m) {
        const seen = rest.slice(0, m.index + m[0].length);
        this.mark += seen.length;
        return seen;
      }
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${pattern}; got ${JSON.stringify(rest)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Type `keys`, then wait for `pattern`. */
  async send(keys: string, pattern: RegExp): Promise<string> {
    this.type(keys);
    return this.expect(pattern);
  }

  kill(): void {
    this.child.kill();
  }
}

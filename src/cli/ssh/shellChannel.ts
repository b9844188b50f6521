/**
 * An interactive vty: an SSH session channel (with or without a pty) running a CliSession
 * through the line editor. It disconnects after `exec-timeout` of silence, and shows the
 * syslog service's monitor lines while `terminal monitor` is on.
 */
import type { ServerChannel } from "ssh2";
import type { Appliance } from "../appliance.js";
import { LineEditor } from "../lineEditor.js";
import type { CliSession } from "../session.js";
import { execTimeoutMs, vtyLine } from "./vtyPool.js";

const HANG_UP_GRACE_MS = 2000;

export interface ShellOptions {
  readonly pty: { cols: number; rows: number } | undefined;
  readonly vty: number;
  /** Ends the whole connection (exit, idle timeout). */
  readonly hangUp: (reason: string) => void;
}

export class ShellChannel {
  private readonly editor: LineEditor;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: () => void;
  private closed = false;
  private pending = "";

  constructor(
    private readonly host: Appliance,
    private readonly session: CliSession,
    private readonly channel: ServerChannel,
    private readonly options: ShellOptions,
  ) {
    this.editor = new LineEditor(
      session,
      { write: (text) => this.write(text), close: () => this.hangUp("exit") },
      { echo: options.pty !== undefined },
    );
    if (options.pty) this.editor.resize(options.pty.cols, options.pty.rows);
    // The syslog service formats and filters (`logging monitor LEVEL`); the session decides.
    this.unsubscribe = host.syslog.subscribeMonitor((line) => {
      if (this.session.terminal.monitor) this.editor.notify(line);
    });
    channel.on("data", (data: Buffer) => {
      this.touch();
      this.editor.input(data.toString("utf8"));
    });
    // End of input is the line dropping: the session ends, as a vty's does when the client goes.
    channel.on("end", () => this.hangUp("end of input"));
    channel.on("close", () => this.dispose());
    this.touch();
    this.editor.start();
  }

  /** The client's window changed size. */
  resize(cols: number, rows: number): void {
    this.editor.resize(cols, rows);
  }

  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.unsubscribe();
  }

  /** Writes made while handling one keystroke (echo, output, prompt) leave as one packet. */
  private write(text: string): void {
    if (this.pending === "") queueMicrotask(() => this.flush());
    this.pending += text;
  }

  private flush(): void {
    const text = this.pending;
    this.pending = "";
    if (text && this.channel.writable) this.channel.write(text);
  }

  /**
   * End the session: exit status 0 and channel close first, so that the client sees a clean
   * end (`ssh` exits 0); the connection follows once the client has closed the channel, or
   * after a grace period if it never does.
   */
  private hangUp(reason: string): void {
    if (this.closed) return;
    this.dispose();
    this.flush();
    const done = () => this.options.hangUp(reason);
    this.channel.once("close", done);
    setTimeout(done, HANG_UP_GRACE_MS).unref();
    this.channel.exit(0);
    this.channel.end();
  }

  /** Restart the idle timer with the line's current `exec-timeout` (0 = never). */
  private touch(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const ms = execTimeoutMs(vtyLine(this.host.config, this.options.vty));
    if (ms <= 0 || this.closed) return;
    this.idleTimer = setTimeout(() => {
      this.write("\r\n");
      this.hangUp("exec-timeout");
    }, ms);
    this.idleTimer.unref();
  }
}

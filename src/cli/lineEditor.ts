/**
 * The IOS line editor on a VT100 byte stream (ios-cli.md §3): the terminal is raw, keystrokes
 * arrive one by one, and this echoes them, edits the line (arrows, backspace, Ctrl-A/E/U/W/K,
 * history), answers `?` at once without consuming the line, completes on TAB, and pages long
 * output with `--More--`. Everything written uses CRLF. It knows no transport: SSH channels and
 * the console feed it bytes and give it a `write`.
 */
import { MORE_ERASE, MORE_PROMPT, MorePager } from "./morePager.js";
import type { CliSession } from "./session.js";

export interface EditorHost {
  write(text: string): void;
  /** The session ended (`exit`, `logout`). */
  close(): void;
}

export interface EditorOptions {
  /** Echo typed characters (a pty); off when the client's own terminal echoes (no pty). */
  readonly echo: boolean;
}

const CRLF = "\r\n";
const ESC = "\x1b";
/** `terminal length` is 0..512 (grammar/exec.yaml). */
const MAX_TERMINAL_LENGTH = 512;

type Key =
  | "enter"
  | "lf"
  | "backspace"
  | "delete"
  | "left"
  | "right"
  | "home"
  | "end"
  | "up"
  | "down"
  | "kill-end"
  | "kill-start"
  | "kill-word"
  | "word-left"
  | "word-right"
  | "redisplay"
  | "interrupt"
  | "suspend"
  | "tab"
  | "ignore";

const CONTROL_KEYS: Readonly<Record<string, Key>> = {
  "\r": "enter",
  "\n": "lf",
  "\x7f": "backspace",
  "\b": "backspace",
  "\x01": "home",
  "\x05": "end",
  "\x02": "left",
  "\x06": "right",
  "\x04": "delete",
  "\x0b": "kill-end",
  "\x15": "kill-start",
  "\x18": "kill-start",
  "\x17": "kill-word",
  "\x10": "up",
  "\x0e": "down",
  "\x0c": "redisplay",
  "\x12": "redisplay",
  "\x03": "interrupt",
  "\x1a": "suspend",
  "\t": "tab",
  "\0": "ignore",
};

/** Final part of `ESC [ ...` / `ESC O ...` sequences, and the emacs `ESC b|f` word moves IOS has. */
const ESCAPE_KEYS: Readonly<Record<string, Key>> = {
  "[A": "up",
  "[B": "down",
  "[C": "right",
  "[D": "left",
  "[H": "home",
  "[F": "end",
  OA: "up",
  OB: "down",
  OC: "right",
  OD: "left",
  OH: "home",
  OF: "end",
  "[1~": "home",
  "[7~": "home",
  "[4~": "end",
  "[8~": "end",
  "[3~": "delete",
  b: "word-left",
  f: "word-right",
};

export class LineEditor {
  private buffer = "";
  private cursor = 0;
  private historyIndex: number | undefined;
  private draft = "";
  private escape: string | undefined;
  /** A sequence that aborted `--More--` is swallowed, not applied to the next line. */
  private discardEscape = false;
  private lastWasCr = false;
  private pager: { pager: MorePager; then: () => void } | undefined;
  private readonly queued: string[] = [];
  private autoLength: number;
  private autoWidth: number;
  private ended = false;

  constructor(
    readonly session: CliSession,
    private readonly host: EditorHost,
    private readonly options: EditorOptions = { echo: true },
  ) {
    this.autoLength = session.terminal.length;
    this.autoWidth = session.terminal.width;
  }

  /** Print the first prompt. */
  start(): void {
    this.host.write(this.session.prompt());
  }

  /**
   * The client's window size changed (or was first reported). `terminal length`/`width`
   * follow it unless the user set them in this session.
   */
  resize(cols: number, rows: number): void {
    const t = this.session.terminal;
    if (rows > 0 && t.length === this.autoLength)
      t.length = this.autoLength = Math.min(rows, MAX_TERMINAL_LENGTH);
    if (cols > 0 && t.width === this.autoWidth)
      t.width = this.autoWidth = Math.min(cols, MAX_TERMINAL_LENGTH);
  }

  /** Keystrokes from the terminal. */
  input(data: string): void {
    for (const ch of data) {
      if (this.ended) return;
      const wasCr = this.lastWasCr;
      this.lastWasCr = ch === "\r";
      if (this.pager) this.pagerKey(ch, wasCr);
      else if (this.escape !== undefined) this.escapeKey(ch);
      else if (ch === ESC) this.escape = "";
      else {
        const key = CONTROL_KEYS[ch];
        if (key) this.key(key, wasCr);
        else if (ch >= " ") this.printable(ch);
      }
    }
  }

  /** An asynchronous message (`terminal monitor`): printed above the line being typed. */
  notify(text: string): void {
    if (this.ended) return;
    if (this.pager) {
      this.queued.push(text);
      return;
    }
    this.host.write(`${CRLF}${text}${CRLF}`);
    this.redrawLine();
  }

  private write(text: string): void {
    if (this.options.echo) this.host.write(text);
  }

  private get secret(): boolean {
    return this.session.questionPending?.secret === true;
  }

  private escapeKey(ch: string): void {
    const seq = (this.escape ?? "") + ch;
    const complete = seq.length === 1 ? !"[O".includes(ch) : /[A-Za-z~]/.test(ch);
    if (!complete) {
      this.escape = seq;
      return;
    }
    this.escape = undefined;
    if (this.discardEscape) {
      this.discardEscape = false;
      return;
    }
    const key = ESCAPE_KEYS[seq];
    if (key) this.key(key, false);
  }

  /** What each editing key does (ios-cli.md §3: the emacs-style keys IOS has, plus VT100 arrows). */
  private readonly actions: Readonly<Record<Key, (afterCr: boolean) => void>> = {
    enter: () => this.enter(),
    lf: (afterCr) => {
      if (!afterCr) this.enter();
    },
    backspace: () => this.deleteBefore(1),
    delete: () => this.deleteAfter(),
    left: () => this.moveTo(this.cursor - 1),
    right: () => this.moveTo(this.cursor + 1),
    home: () => this.moveTo(0),
    end: () => this.moveTo(this.buffer.length),
    "word-left": () => this.moveTo(this.wordStart()),
    "word-right": () => this.moveTo(this.wordEnd()),
    up: () => this.history(-1),
    down: () => this.history(1),
    "kill-end": () => this.killEnd(),
    "kill-start": () => this.deleteBefore(this.cursor),
    "kill-word": () => this.deleteBefore(this.cursor - this.wordStart()),
    redisplay: () => {
      this.write(CRLF);
      this.redrawLine();
    },
    interrupt: () => this.interrupt(),
    suspend: () => this.suspend(),
    tab: () => this.tab(),
    ignore: () => {},
  };

  private key(key: Key, afterCr: boolean): void {
    this.actions[key](afterCr);
  }

  private printable(ch: string): void {
    if (ch === "?" && !this.session.questionPending && !this.session.rawEntry) {
      this.help();
      return;
    }
    const after = this.buffer.slice(this.cursor);
    this.buffer = this.buffer.slice(0, this.cursor) + ch + after;
    this.cursor++;
    if (!this.secret) this.write(ch + after + "\b".repeat(after.length));
    this.historyIndex = undefined;
  }

  private moveTo(target: number): void {
    const to = Math.max(0, Math.min(this.buffer.length, target));
    if (this.secret || to === this.cursor) {
      this.cursor = to;
      return;
    }
    this.write(to < this.cursor ? "\b".repeat(this.cursor - to) : this.buffer.slice(this.cursor, to));
    this.cursor = to;
  }

  /** Remove `count` characters left of the cursor, redrawing what follows. */
  private deleteBefore(count: number): void {
    const n = Math.min(count, this.cursor);
    if (n <= 0) return;
    const after = this.buffer.slice(this.cursor);
    this.buffer = this.buffer.slice(0, this.cursor - n) + after;
    this.cursor -= n;
    if (!this.secret) this.write("\b".repeat(n) + after + " ".repeat(n) + "\b".repeat(after.length + n));
  }

  private deleteAfter(): void {
    if (this.cursor >= this.buffer.length) return;
    const after = this.buffer.slice(this.cursor + 1);
    this.buffer = this.buffer.slice(0, this.cursor) + after;
    if (!this.secret) this.write(`${after} ${"\b".repeat(after.length + 1)}`);
  }

  private killEnd(): void {
    const n = this.buffer.length - this.cursor;
    if (n <= 0) return;
    this.buffer = this.buffer.slice(0, this.cursor);
    if (!this.secret) this.write(" ".repeat(n) + "\b".repeat(n));
  }

  private wordStart(): number {
    let i = this.cursor;
    while (i > 0 && this.buffer[i - 1] === " ") i--;
    while (i > 0 && this.buffer[i - 1] !== " ") i--;
    return i;
  }

  private wordEnd(): number {
    let i = this.cursor;
    while (i < this.buffer.length && this.buffer[i] === " ") i++;
    while (i < this.buffer.length && this.buffer[i] !== " ") i++;
    return i;
  }

  /** Replace the whole line (history recall, completion), cursor at its end. */
  private replaceLine(text: string): void {
    const old = this.buffer;
    this.write("\b".repeat(this.cursor) + text);
    const extra = old.length - text.length;
    if (extra > 0) this.write(" ".repeat(extra) + "\b".repeat(extra));
    this.buffer = text;
    this.cursor = text.length;
  }

  private redrawLine(): void {
    this.host.write(this.session.prompt());
    if (!this.secret) this.write(this.buffer + "\b".repeat(this.buffer.length - this.cursor));
  }

  private history(step: -1 | 1): void {
    if (this.session.questionPending) return;
    const list = this.session.history;
    if (this.historyIndex === undefined) {
      if (step > 0) return;
      this.draft = this.buffer;
      this.historyIndex = list.length;
    }
    const next = this.historyIndex + step;
    if (next < 0) return;
    if (next >= list.length) {
      this.historyIndex = undefined;
      this.replaceLine(this.draft);
      return;
    }
    this.historyIndex = next;
    this.replaceLine(list[next]!);
  }

  private tab(): void {
    if (this.session.questionPending || this.session.rawEntry || this.cursor !== this.buffer.length) return;
    const done = this.session.complete(this.buffer);
    if (done === undefined || done === this.buffer) return;
    if (done.startsWith(this.buffer)) {
      this.write(done.slice(this.buffer.length));
      this.buffer = done;
      this.cursor = done.length;
    } else this.replaceLine(done);
  }

  /** `?`: help for the text typed so far, then the prompt and the same line again. */
  private help(): void {
    this.write(`?${CRLF}`);
    const lines = this.session.help(this.buffer);
    const last = lines[lines.length - 1];
    // Help rows end with a blank line before the prompt comes back; messages (`% ...`) do not.
    if (last !== undefined && last !== "" && !last.startsWith("%")) lines.push("");
    this.cursor = this.buffer.length;
    this.output(lines, () => this.redrawLine());
  }

  private enter(): void {
    const line = this.buffer;
    this.buffer = "";
    this.cursor = 0;
    this.historyIndex = undefined;
    this.write(CRLF);
    const lines = this.session.execute(line);
    if (this.session.closed) {
      this.host.write(lines.map((l) => l + CRLF).join(""));
      this.end();
      return;
    }
    this.output(lines, () => this.host.write(this.session.prompt()));
  }

  /** Ctrl-C: abandon the line or the question; in config mode IOS leaves it, as Ctrl-Z does. */
  private interrupt(): void {
    this.buffer = "";
    this.cursor = 0;
    this.historyIndex = undefined;
    if (this.session.questionPending) this.session.cancelQuestion();
    else if (this.session.config) this.session.endConfig();
    this.write(`^C${CRLF}`);
    this.host.write(this.session.prompt());
  }

  /** Ctrl-Z: run what was typed, then leave configuration mode (`^Z`, as IOS echoes it). */
  private suspend(): void {
    if (!this.session.config || this.session.questionPending) return;
    const line = this.buffer;
    this.buffer = "";
    this.cursor = 0;
    this.write(`^Z${CRLF}`);
    const lines = line.trim() ? this.session.execute(line) : [];
    this.session.endConfig();
    this.output(lines, () => this.host.write(this.session.prompt()));
  }

  /** Print output through the pager, then `then` (the prompt). */
  private output(lines: readonly string[], then: () => void): void {
    const length = this.session.terminal.length;
    const screen = length === 0 ? Number.POSITIVE_INFINITY : Math.max(1, length - 1);
    const pager = new MorePager(lines, screen, this.session.terminal.width);
    this.pager = { pager, then };
    this.showPage(pager.page());
  }

  private showPage(lines: readonly string[]): void {
    this.host.write(lines.map((l) => l + CRLF).join(""));
    const current = this.pager!;
    if (!current.pager.done) {
      this.host.write(MORE_PROMPT);
      return;
    }
    this.finishOutput();
  }

  private finishOutput(): void {
    const then = this.pager?.then;
    this.pager = undefined;
    for (const text of this.queued.splice(0)) this.host.write(text + CRLF);
    then?.();
  }

  /** A key while `--More--` waits: Space = screen, Return = line, anything else stops. */
  private pagerKey(ch: string, afterCr: boolean): void {
    const { pager } = this.pager!;
    if (ch === "\n" && afterCr) return;
    this.host.write(MORE_ERASE);
    if (ch === " " || ch === "\r" || ch === "\n") {
      this.showPage(ch === " " ? pager.page() : pager.line());
      return;
    }
    if (ch === ESC) {
      this.escape = "";
      this.discardEscape = true;
    }
    this.finishOutput();
  }

  private end(): void {
    this.ended = true;
    this.host.close();
  }
}

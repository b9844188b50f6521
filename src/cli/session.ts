/**
 * One CLI session: EXEC and config modes, privilege, prompt, history, pipes and the IOS error
 * output. Transports (SSH, the local console, `meridian exec`) feed it lines and print what it
 * returns; it never touches a socket.
 */
import { ConfigSession } from "../config/configSession.js";
import { configHandlers } from "../config/handlers.js";
import { defaultGrammar, type Grammar, type ModeGraph } from "../parser/grammar.js";
import { complete, helpFor, renderHelpRows } from "../parser/help.js";
import { lexLine } from "../parser/lineLexer.js";
import { type MatchResult, matchLine } from "../parser/matcher.js";
import { pkiNoConfigAutosave } from "../services/syslog/syslogEvents.js";
import type { Appliance } from "./appliance.js";
import { ambiguousCommand, incompleteCommand, invalidInput, unknownCommand } from "./cliErrors.js";
import { type ExecResult, execHandlers, type Question } from "./execCommands.js";
import { applyFilter, type FilterKind } from "./outputFilter.js";
import { authenticateTrustpointDialog, importCertificateDialog } from "./pkiDialog.js";

export interface SessionUser {
  readonly name: string;
  readonly privilege: number;
}

export interface SessionOrigin {
  /** `console` or `vty0` ... */
  readonly line: string;
  readonly address?: string;
}

export interface TerminalSettings {
  length: number;
  width: number;
  monitor: boolean;
}

const HISTORY_SIZE = 20;

/** The IOS parser's refusals (ios-cli.md §3.2) and `%`-errors of refused commands. */
const CLI_ERROR =
  /^% ?(Invalid|Incomplete|Ambiguous|Unknown|Unrecognized|Bad secrets|Access denied|No password set|Error)/;

export class CliSession {
  privilege: number;
  config: ConfigSession | undefined;
  readonly history: string[] = [];
  readonly terminal: TerminalSettings = { length: 24, width: 80, monitor: false };
  closed = false;
  private pending: Question | undefined;

  constructor(
    readonly appliance: Appliance,
    readonly user: SessionUser,
    readonly origin: SessionOrigin = { line: "console" },
    readonly grammar: Grammar = defaultGrammar(),
  ) {
    this.privilege = user.privilege;
  }

  /** `Router>`, `Router#`, `Router(config-line)#`, or a pending question's prompt. */
  prompt(): string {
    if (this.pending) return this.pending.prompt;
    const host = this.appliance.config.hostname;
    if (this.config) return `${host}${this.config.promptSuffix()}#`;
    return `${host}${this.privilege >= 15 ? "#" : ">"}`;
  }

  /** Whether the next line answers a question (and should not be echoed if secret). */
  get questionPending(): Question | undefined {
    return this.pending;
  }

  /** Ctrl-C at a question (`Password: `, `[confirm]`): drop it unanswered. */
  cancelQuestion(): void {
    this.pending = undefined;
  }

  /** Whether lines are taken raw (key or certificate data): `?` and TAB are plain characters. */
  get rawEntry(): boolean {
    return this.config?.isRaw() === true;
  }

  /** Who configured, as `%SYS-5-CONFIG_I` names it. */
  describeUser(): string {
    if (this.origin.line === "console") return "console";
    return `${this.user.name} on ${this.origin.line}${this.origin.address ? ` (${this.origin.address})` : ""}`;
  }

  /**
   * Whether the last line failed: a parser error, a refused configuration command, or a command
   * that reported failure. `meridian exec` and the SSH exec channel turn it into an exit status.
   */
  lastFailed = false;

  /** Run one typed line; returns the output lines. */
  execute(line: string): string[] {
    this.lastFailed = false;
    const output = this.executeLine(line);
    if (output.some((l) => CLI_ERROR.test(l))) this.lastFailed = true;
    return output;
  }

  private executeLine(line: string): string[] {
    if (this.pending) {
      const question = this.pending;
      this.pending = undefined;
      return this.finish(question.answer(line));
    }
    const prompt = this.prompt();
    if (line.trim() !== "" && !this.config?.isRaw()) this.remember(line);
    if (this.config) return this.executeConfig(line, prompt.length);
    return this.executeExec(line, prompt.length, 0);
  }

  /** Ctrl-Z / `end`: leave config mode from anywhere. */
  endConfig(): void {
    if (!this.config) return;
    this.config = undefined;
    this.appliance.configChanged(this.describeUser());
  }

  /** `?` typed after `text`: the lines to print before the prompt is shown again. */
  help(text: string): string[] {
    const { graph, rest } = this.helpTarget(text);
    const r = helpFor(graph, rest, this.privilege);
    switch (r.kind) {
      case "rows":
        return r.rows.length ? renderHelpRows(r.rows, this.terminal.width || 80) : [];
      case "words":
        return [r.words.join("  "), ""];
      case "ambiguous":
        return ambiguousCommand(text);
      case "unrecognized":
        return ["% Unrecognized command"];
    }
  }

  /** TAB: the completed line, or undefined when nothing can be completed. */
  complete(text: string): string | undefined {
    const { graph, rest } = this.helpTarget(text);
    const done = complete(graph, rest, this.privilege);
    return done === undefined ? undefined : text.slice(0, text.length - rest.length) + done;
  }

  private helpTarget(text: string): { graph: ModeGraph; rest: string } {
    const mode = this.config ? this.config.mode : "exec";
    const graph = this.graph(this.config?.isRaw() ? "config" : mode);
    const words = lexLine(text);
    const pipe = words.findIndex((w) => w.text === "|");
    if (!this.config && pipe >= 0)
      return { graph: this.graph("pipe"), rest: text.slice(words[pipe]!.start + 1).trimStart() };
    const first = words[0];
    if (
      this.config &&
      first &&
      "do".startsWith(first.text.toLowerCase()) &&
      first.text.length >= 2 &&
      words.length > 1
    ) {
      return { graph: this.graph("exec"), rest: text.slice(words[1]!.start) };
    }
    return { graph, rest: text };
  }

  private graph(mode: string): ModeGraph {
    const g = this.grammar.modes.get(mode);
    if (!g) throw new Error(`no grammar for mode ${mode}`);
    return g;
  }

  private remember(line: string): void {
    this.history.push(line);
    if (this.history.length > HISTORY_SIZE) this.history.shift();
  }

  private executeConfig(line: string, promptLength: number): string[] {
    const session = this.config!;
    const r = session.applyLine(line);
    if (r.doLine !== undefined) {
      const offset = line.trimEnd().length - r.doLine.length;
      return this.executeExec(r.doLine, promptLength, offset);
    }
    if (r.dialog) return this.finish(this.certificateDialog(r.dialog.id, r.dialog.trustpoint));
    if (r.leaveConfig) {
      this.endConfig();
      return r.messages;
    }
    if (r.ok) {
      if (r.commandId) this.appliance.configApplied();
      return r.messages;
    }
    const failure = r.failure!;
    switch (failure.kind) {
      case "invalid":
        return [...r.messages, ...invalidInput(promptLength, failure.column)];
      case "incomplete":
        return [...r.messages, ...incompleteCommand()];
      case "ambiguous":
        return [...r.messages, ...ambiguousCommand(line)];
      case "handler":
        this.lastFailed = true;
        return [...r.messages, failure.message];
    }
  }

  private executeExec(line: string, promptLength: number, offset: number): string[] {
    const words = lexLine(line);
    const pipeAt = words.findIndex((w) => w.text === "|");
    const commandText = pipeAt >= 0 ? line.slice(0, words[pipeAt]!.start) : line;
    const match = matchLine(this.graph("exec"), commandText, this.privilege);
    if (match.kind === "empty")
      return pipeAt >= 0 ? invalidInput(promptLength, offset + words[pipeAt]!.start) : [];
    if (match.kind !== "ok") return this.parseError(match, line, promptLength, offset, words.length);
    let filter: { kind: FilterKind; regex: string } | undefined;
    if (pipeAt >= 0) {
      const pipeStart = words[pipeAt]!.start + 1;
      if (!match.command.pipe) return invalidInput(promptLength, offset + words[pipeAt]!.start);
      const filterText = line.slice(pipeStart);
      const fm = matchLine(this.graph("pipe"), filterText, 15);
      if (fm.kind === "empty" || fm.kind === "incomplete") return incompleteCommand();
      if (fm.kind !== "ok") return this.parseError(fm, filterText, promptLength, offset + pipeStart, 2);
      filter = {
        kind: fm.command.id.slice("pipe.".length) as FilterKind,
        regex: fm.args.str("regex") ?? ".*",
      };
    }
    const handler = execHandlers[match.command.id];
    if (!handler) return [`% Command ${match.command.id} is not available`];
    const result = this.finish(handler({ session: this, args: match.args, appliance: this.appliance }));
    if (!filter) return result;
    const filtered = applyFilter(filter.kind, filter.regex, result);
    return filtered.ok ? filtered.lines : [filtered.message];
  }

  private parseError(
    match: Exclude<MatchResult, { kind: "ok" | "empty" }>,
    line: string,
    promptLength: number,
    offset: number,
    wordCount: number,
  ): string[] {
    switch (match.kind) {
      case "invalid":
        if (wordCount === 1 && offset === 0 && !this.config) return unknownCommand(line.trim());
        return invalidInput(promptLength, offset + match.column);
      case "incomplete":
        return incompleteCommand();
      case "ambiguous":
        return ambiguousCommand(line);
    }
  }

  private finish(result: ExecResult): string[] {
    if (result.failed) this.lastFailed = true;
    if (result.question) this.pending = result.question;
    if (result.close) this.closed = true;
    return result.lines;
  }

  private certificateDialog(
    id: "pki.authenticate" | "pki.import-certificate",
    trustpoint: string,
  ): ExecResult {
    const onStored = () => {
      this.appliance.configApplied();
      this.appliance.syslog.log(pkiNoConfigAutosave());
    };
    const dialog = id === "pki.authenticate" ? authenticateTrustpointDialog : importCertificateDialog;
    return dialog(this.appliance.config, trustpoint, { onStored });
  }

  /** Enter global configuration mode (used by `configure terminal`). */
  enterConfig(): void {
    this.config = new ConfigSession(this.appliance.config, this.grammar, configHandlers, true);
  }
}

/**
 * Applies configuration lines to a RunningConfig the way IOS config mode does: a stack of
 * mode frames (config, config-line, ca-trustpoint, ...), raw entry for certificate hex and
 * SSH keys, and parser fall-through — a global command typed in a submode leaves the submode
 * and runs in global config (ios-cli.md §3.1). Shared by the interactive CLI and the loader.
 */
import type { Grammar } from "../parser/grammar.js";
import { defaultGrammar } from "../parser/grammar.js";
import { lexLine } from "../parser/lineLexer.js";
import { type MatchResult, matchLine } from "../parser/matcher.js";
import type { ApplyContext, HandlerTable, ModeFrame } from "./applyContext.js";
import { finishKeyString } from "./areas/accessConfig.js";
import { finishCertificate } from "./areas/pkiConfig.js";
import { configHandlers } from "./handlers.js";
import type { RunningConfig } from "./model.js";

export type ApplyFailure =
  | { readonly kind: "invalid"; readonly column: number }
  | { readonly kind: "incomplete" }
  | { readonly kind: "ambiguous" }
  | { readonly kind: "handler"; readonly message: string };

export interface ApplyResult {
  readonly ok: boolean;
  /** Lines the operator sees (informational messages of the command). */
  readonly messages: string[];
  readonly failure?: ApplyFailure;
  /** `end` or `exit` from global config: the CLI returns to EXEC. */
  readonly leaveConfig?: boolean;
  /** `do LINE`: the CLI runs LINE as an EXEC command. */
  readonly doLine?: string;
  /** An interactive command (`crypto pki authenticate NAME`): the CLI runs its dialog. */
  readonly dialog?: {
    readonly id: "pki.authenticate" | "pki.import-certificate";
    readonly trustpoint: string;
  };
  /** The command id that ran (for logging and the loader). */
  readonly commandId?: string;
}

/** Prompt text of the raw-entry frames, which the grammar does not model. */
const RAW_PROMPTS: Readonly<Record<string, string>> = {
  "cert-hex": "(config-pubkey)",
  "key-data": "(conf-ssh-pubkey-data)",
};

export class ConfigSession {
  private frames: ModeFrame[] = [{ mode: "config" }];

  constructor(
    readonly config: RunningConfig,
    private readonly grammar: Grammar = defaultGrammar(),
    private readonly handlers: HandlerTable = configHandlers,
    /** A terminal is attached: interactive commands run their dialogs (else their handlers refuse). */
    private readonly interactive = false,
  ) {}

  get frame(): ModeFrame {
    return this.frames[this.frames.length - 1]!;
  }

  get mode(): string {
    return this.frame.mode;
  }

  /** `(config-line)` etc. */
  promptSuffix(): string {
    return RAW_PROMPTS[this.mode] ?? this.grammar.modes.get(this.mode)?.mode.prompt ?? "(config)";
  }

  /** Whether the current frame takes raw lines (certificate hex, key data). */
  isRaw(): boolean {
    return this.mode in RAW_PROMPTS;
  }

  /** Back to global config (the loader does this for every unindented line). */
  resetToGlobal(): void {
    this.frames = [{ mode: "config" }];
  }

  applyLine(line: string): ApplyResult {
    const frame = this.frame;
    if (frame.mode === "cert-hex" || frame.mode === "key-data") return this.applyRaw(frame, line);
    // IOS takes `!` lines as comments, so pasted configurations apply as they are.
    if (line.trimStart().startsWith("!")) return { ok: true, messages: [] };
    const words = lexLine(line);
    let result = matchLine(this.graph(frame.mode), line, 15, words);
    let depth = this.frames.length - 1;
    // Parser fall-through: try the enclosing modes when the submode does not know the line.
    for (let d = depth - 1; result.kind !== "ok" && result.kind !== "empty" && d >= 0; d--) {
      const outer = matchLine(this.graph(this.frames[d]!.mode), line, 15, words);
      if (outer.kind === "ok") {
        result = outer;
        depth = d;
      }
    }
    if (result.kind === "empty") return { ok: true, messages: [] };
    if (result.kind !== "ok") return { ok: false, messages: [], failure: result };
    this.frames.length = depth + 1;
    return this.run(result);
  }

  private graph(mode: string) {
    const g = this.grammar.modes.get(mode);
    if (!g) throw new Error(`no grammar for mode ${mode}`);
    return g;
  }

  private run(match: Extract<MatchResult, { kind: "ok" }>): ApplyResult {
    const { command, args } = match;
    switch (command.id) {
      case "config.end":
        this.resetToGlobal();
        return { ok: true, messages: [], leaveConfig: true, commandId: command.id };
      case "config.exit":
        if (this.frames.length === 1)
          return { ok: true, messages: [], leaveConfig: true, commandId: command.id };
        this.frames.pop();
        return { ok: true, messages: [], commandId: command.id };
      case "config.do":
        return { ok: true, messages: [], doLine: args.str("exec-line") ?? "", commandId: command.id };
      case "pki.authenticate":
      case "pki.import-certificate":
        if (this.interactive) {
          return {
            ok: true,
            messages: [],
            dialog: { id: command.id, trustpoint: args.str("tp-name") ?? "" },
            commandId: command.id,
          };
        }
        break;
    }
    const handler = this.handlers[command.id];
    if (!handler) throw new Error(`no handler for ${command.id}`);
    const messages: string[] = [];
    const entered: ModeFrame[] = [];
    const ctx: ApplyContext = {
      config: this.config,
      frame: this.frame,
      args,
      negated: command.negated,
      enter: (f) => entered.push(f),
      say: (text) => messages.push(text),
    };
    const error = handler(ctx);
    if (error !== undefined)
      return { ok: false, messages, failure: { kind: "handler", message: error }, commandId: command.id };
    this.frames.push(...entered);
    return { ok: true, messages, commandId: command.id };
  }

  private applyRaw(frame: Extract<ModeFrame, { mode: "cert-hex" | "key-data" }>, line: string): ApplyResult {
    const text = line.trim();
    if (frame.mode === "cert-hex") {
      if (text !== "quit") {
        if (text) frame.hex.push(text);
        return { ok: true, messages: [] };
      }
      this.frames.pop();
      const error = finishCertificate(this.config, frame);
      return error
        ? { ok: false, messages: [], failure: { kind: "handler", message: error } }
        : { ok: true, messages: [] };
    }
    if (text !== "exit") {
      if (text) frame.data.push(text);
      return { ok: true, messages: [] };
    }
    this.frames.pop();
    const error = finishKeyString(this.config, frame);
    return error
      ? { ok: false, messages: [], failure: { kind: "handler", message: error } }
      : { ok: true, messages: [] };
  }
}

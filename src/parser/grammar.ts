/**
 * Loads the command language from grammar/*.yaml and compiles it into one position graph per
 * CLI mode. The YAML is the single declaration of every command: keywords with help text,
 * parameters with types and ranges, the mode, the `no` form, privilege and submode.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { type CommandDef, compileCommand, leadingKeywords, type Position } from "./commandGraph.js";
import type { ParamDef, ParamTypeName } from "./paramTypes.js";
import { parseSyntax } from "./syntax.js";

export interface ModeDef {
  readonly name: string;
  /** Prompt text between the hostname and `#`, e.g. `(config-line)`; empty for exec. */
  readonly prompt: string;
  /** Mode that `exit` returns to. */
  readonly parent?: string;
}

export interface ModeGraph {
  readonly mode: ModeDef;
  readonly first: Position[];
}

export interface Grammar {
  readonly modes: ReadonlyMap<string, ModeGraph>;
  readonly commands: readonly CommandDef[];
}

interface RawCommand {
  id?: unknown;
  mode?: unknown;
  syntax?: unknown;
  no?: unknown;
  enters?: unknown;
  privilege?: unknown;
  pipe?: unknown;
}

interface RawFile {
  help?: Record<string, string>;
  params?: Record<
    string,
    { type: ParamTypeName; help: string; min?: number; max?: number; placeholder?: string }
  >;
  commands?: RawCommand[];
  modes?: Record<string, { prompt: string; parent?: string }>;
}

const PARAM_TYPES: readonly ParamTypeName[] = [
  "ipv4",
  "ipv6",
  "word",
  "line",
  "int",
  "time",
  "hhmm",
  "month",
  "weekday",
  "hex",
];

/** The grammar/ folder of this package, found from this module's location (src/ or dist/src/). */
export function grammarDirectory(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, "grammar");
    if (existsSync(join(candidate, "modes.yaml"))) return candidate;
    dir = dirname(dir);
  }
  throw new Error("grammar/ directory not found");
}

function helpKeys(chain: readonly string[], word: string, index: number): string[] {
  const base = chain[0] === "no" ? chain.slice(1) : chain;
  const at = chain[0] === "no" ? index - 1 : index;
  if (at >= 0 && at < base.length && base[at] === word) {
    return [base.slice(0, at + 1).join(" "), word];
  }
  const keys: string[] = [];
  for (let n = base.length; n >= 1; n--) keys.push(`${base.slice(0, n).join(" ")} ${word}`);
  keys.push(word);
  return keys;
}

class GrammarBuilder {
  private readonly modes = new Map<string, ModeDef>();
  private readonly firsts = new Map<string, Position[]>();
  private readonly commands: CommandDef[] = [];
  private readonly globalHelp = new Map<string, string>();

  addModes(file: RawFile): void {
    for (const [name, def] of Object.entries(file.modes ?? {})) {
      this.modes.set(name, { name, prompt: def.prompt, ...(def.parent ? { parent: def.parent } : {}) });
      this.firsts.set(name, []);
    }
    for (const [k, v] of Object.entries(file.help ?? {})) this.globalHelp.set(k, v);
  }

  addFile(fileName: string, file: RawFile): void {
    const params = new Map<string, ParamDef>();
    for (const [name, raw] of Object.entries(file.params ?? {})) {
      if (!PARAM_TYPES.includes(raw.type))
        throw new Error(`${fileName}: param ${name}: unknown type ${raw.type}`);
      params.set(name, { name, ...raw });
    }
    const help = file.help ?? {};
    for (const raw of file.commands ?? []) {
      const modes = Array.isArray(raw.mode) ? raw.mode.map(String) : [String(raw.mode)];
      for (const mode of modes) {
        this.addCommand(fileName, raw, mode, String(raw.syntax), false, params, help);
        if (typeof raw.no === "string") this.addCommand(fileName, raw, mode, raw.no, true, params, help);
      }
    }
  }

  private addCommand(
    file: string,
    raw: RawCommand,
    mode: string,
    syntax: string,
    negated: boolean,
    params: ReadonlyMap<string, ParamDef>,
    help: Readonly<Record<string, string>>,
  ): void {
    const where = `${file}: ${String(raw.id)}`;
    const first = this.firsts.get(mode);
    if (!first) throw new Error(`${where}: unknown mode ${mode}`);
    const parsed = parseSyntax(syntax);
    if (!parsed.ok) throw new Error(`${where}: ${parsed.message}`);
    const command: CommandDef = {
      id: String(raw.id),
      mode,
      syntax,
      negated,
      privilege: typeof raw.privilege === "number" ? raw.privilege : 15,
      ...(typeof raw.enters === "string" && !negated ? { enters: raw.enters } : {}),
      pipe: raw.pipe === true,
      file,
    };
    if (command.enters && !this.modes.has(command.enters))
      throw new Error(`${where}: unknown mode ${command.enters}`);
    const chain = leadingKeywords(parsed.node);
    let keywordIndex = 0;
    const lookup = (word: string, index: number): string => {
      for (const key of helpKeys(chain, word, index)) {
        const text = help[key] ?? this.globalHelp.get(key);
        if (text !== undefined) return text;
      }
      throw new Error(`${where}: no help text for keyword '${word}'`);
    };
    const entry = compileCommand(parsed.node, {
      keyword: (word, label) => ({
        kind: "kw",
        word,
        ...(label ? { label } : {}),
        help: lookup(word, keywordIndex++),
        command,
        follow: [],
        final: false,
      }),
      param: (name) => {
        keywordIndex++;
        const def = params.get(name);
        if (!def) throw new Error(`${where}: unknown parameter <${name}>`);
        return { kind: "param", word: name, param: def, help: def.help, command, follow: [], final: false };
      },
    });
    first.push(...entry);
    this.commands.push(command);
  }

  finish(): Grammar {
    const modes = new Map<string, ModeGraph>();
    for (const [name, mode] of this.modes) modes.set(name, { mode, first: this.firsts.get(name) ?? [] });
    return { modes, commands: this.commands };
  }
}

/** Build the grammar from a folder of YAML files (`modes.yaml` first, then the rest by name). */
export function loadGrammar(directory: string = grammarDirectory()): Grammar {
  const builder = new GrammarBuilder();
  const read = (name: string): RawFile => parseYaml(readFileSync(join(directory, name), "utf8")) as RawFile;
  builder.addModes(read("modes.yaml"));
  const files = readdirSync(directory)
    .filter((f) => f.endsWith(".yaml") && f !== "modes.yaml")
    .sort();
  for (const f of files) builder.addFile(f, read(f));
  return builder.finish();
}

let cached: Grammar | undefined;

/** The shipped grammar, loaded once per process. */
export function defaultGrammar(): Grammar {
  cached ??= loadGrammar();
  return cached;
}

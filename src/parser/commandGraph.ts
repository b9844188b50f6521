/**
 * Compiles command syntax into a position graph (Glushkov construction): every keyword or
 * parameter occurrence is a position; `follow` lists what may come next; `final` marks where a
 * command may end. All commands of a mode share one graph, so matching a line, `?` help and
 * TAB completion are walks over the same data.
 */
import type { ParamDef } from "./paramTypes.js";
import type { SyntaxNode } from "./syntax.js";

export interface CommandDef {
  /** Handler id, e.g. `ntp.server`; a `no` form shares the id of its positive form. */
  readonly id: string;
  readonly mode: string;
  readonly syntax: string;
  readonly negated: boolean;
  /** Lowest privilege level that may run it (exec commands; config commands need 15). */
  readonly privilege: number;
  /** Submode entered after the command succeeds. */
  readonly enters?: string;
  /** Output may be filtered with `| include ...` (show commands). */
  readonly pipe: boolean;
  /** The grammar file that declared it (diagnostics). */
  readonly file: string;
}

export interface Position {
  readonly kind: "kw" | "param";
  /** Keyword text, or parameter name. */
  readonly word: string;
  readonly label?: string;
  readonly param?: ParamDef;
  readonly help: string;
  readonly command: CommandDef;
  readonly follow: Position[];
  final: boolean;
}

interface Fragment {
  readonly first: Position[];
  readonly last: Position[];
  readonly nullable: boolean;
}

export interface PositionFactory {
  keyword(word: string, label: string | undefined): Position;
  param(name: string): Position;
}

function union(a: readonly Position[], b: readonly Position[]): Position[] {
  const out = [...a];
  for (const p of b) if (!out.includes(p)) out.push(p);
  return out;
}

function link(from: readonly Position[], to: readonly Position[]): void {
  for (const p of from) for (const q of to) if (!p.follow.includes(q)) p.follow.push(q);
}

function build(node: SyntaxNode, make: PositionFactory): Fragment {
  switch (node.kind) {
    case "kw": {
      const p = make.keyword(node.word, node.label);
      return { first: [p], last: [p], nullable: false };
    }
    case "param": {
      const p = make.param(node.name);
      return { first: [p], last: [p], nullable: false };
    }
    case "seq": {
      let acc: Fragment = { first: [], last: [], nullable: true };
      for (const item of node.items) {
        const next = build(item, make);
        link(acc.last, next.first);
        acc = {
          first: acc.nullable ? union(acc.first, next.first) : acc.first,
          last: next.nullable ? union(acc.last, next.last) : next.last,
          nullable: acc.nullable && next.nullable,
        };
      }
      return acc;
    }
    case "alt": {
      const parts = node.options.map((o) => build(o, make));
      return {
        first: parts.reduce<Position[]>((a, f) => union(a, f.first), []),
        last: parts.reduce<Position[]>((a, f) => union(a, f.last), []),
        nullable: parts.some((f) => f.nullable),
      };
    }
    case "opt": {
      const body = build(node.body, make);
      return { ...body, nullable: true };
    }
    case "star":
    case "plus": {
      const body = build(node.body, make);
      link(body.last, body.first);
      return { ...body, nullable: node.kind === "star" || body.nullable };
    }
  }
}

/** Compile one command; returns its first positions (the command's entry points). */
export function compileCommand(node: SyntaxNode, make: PositionFactory): Position[] {
  const fragment = build(node, make);
  if (fragment.nullable) throw new Error("a command must consume at least one word");
  for (const p of fragment.last) p.final = true;
  return fragment.first;
}

/** The leading keywords of a syntax tree (`ntp server ...` -> ["ntp", "server"]). */
export function leadingKeywords(node: SyntaxNode): string[] {
  if (node.kind === "kw") return [node.word];
  if (node.kind !== "seq") return [];
  const out: string[] = [];
  for (const item of node.items) {
    if (item.kind !== "kw") break;
    out.push(item.word);
  }
  return out;
}

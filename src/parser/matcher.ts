/**
 * Matches a typed line against a mode's command graph with IOS rules: every keyword may be
 * abbreviated to a prefix that is unique among the words valid at that point, an exact keyword
 * beats a parameter, and failures are reported the IOS way — the caret under the first character
 * at which no keyword matches (ios-cli.md §3.2), `% Incomplete command.`, `% Ambiguous command`.
 */
import type { CommandDef, Position } from "./commandGraph.js";
import type { ModeGraph } from "./grammar.js";
import { lexLine, type Word } from "./lineLexer.js";
import { isFreeForm, matchParam } from "./paramTypes.js";

interface Capture {
  readonly name: string;
  readonly value: string;
  readonly prev: Capture | null;
}

export interface Thread {
  readonly pos: Position | null;
  readonly caps: Capture | null;
  /** A rest-of-line parameter took the remaining words. */
  readonly done?: boolean;
}

/** What a matched command line said: keywords present and parameter values. */
export class Args {
  readonly values = new Map<string, string>();

  constructor(caps: Capture | null) {
    const list: Capture[] = [];
    for (let c = caps; c; c = c.prev) list.push(c);
    for (let i = list.length - 1; i >= 0; i--) {
      const c = list[i]!;
      this.values.set(c.name, c.value);
    }
  }

  /** Whether a keyword (or a labelled capture) is present. */
  has(name: string): boolean {
    return this.values.has(name);
  }

  str(name: string): string | undefined {
    return this.values.get(name);
  }

  int(name: string): number | undefined {
    const v = this.values.get(name);
    return v === undefined ? undefined : Number(v);
  }

  /** The first of `names` that is present (for keyword alternatives like `md5 | sha1`). */
  which<T extends string>(names: readonly T[]): T | undefined {
    return names.find((n) => this.values.has(n));
  }
}

export type MatchResult =
  | {
      readonly kind: "ok";
      readonly command: CommandDef;
      readonly args: Args;
      readonly words: readonly Word[];
    }
  | { readonly kind: "empty" }
  | { readonly kind: "invalid"; readonly column: number }
  | { readonly kind: "incomplete" }
  | { readonly kind: "ambiguous" };

export type StepResult =
  | { readonly kind: "ok"; readonly threads: Thread[] }
  | { readonly kind: "invalid"; readonly column: number }
  | { readonly kind: "ambiguous" };

export function candidates(graph: ModeGraph, thread: Thread, privilege: number): readonly Position[] {
  if (thread.pos) return thread.pos.follow;
  if (privilege >= 15) return graph.first;
  return graph.first.filter((p) => p.command.privilege <= privilege);
}

function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

interface Choice {
  readonly thread: Thread;
  readonly pos: Position;
}

/** Advance every thread over one word. `line` is the whole line (for rest-of-line parameters). */
export function step(
  graph: ModeGraph,
  threads: readonly Thread[],
  word: Word,
  line: string,
  privilege: number,
): StepResult {
  const lower = word.text.toLowerCase();
  const exact: Choice[] = [];
  const prefixed: Choice[] = [];
  const typed: Choice[] = [];
  const free: Choice[] = [];
  let bestPrefix = 0;
  for (const thread of threads) {
    for (const pos of candidates(graph, thread, privilege)) {
      if (pos.kind === "kw") {
        if (pos.word === lower) exact.push({ thread, pos });
        else if (pos.word.startsWith(lower)) {
          prefixed.push({ thread, pos });
        } else bestPrefix = Math.max(bestPrefix, commonPrefixLength(pos.word, lower));
      } else if (pos.param && matchParam(pos.param, word.text) === "full") {
        (isFreeForm(pos.param) ? free : typed).push({ thread, pos });
      }
    }
  }
  let chosen: Choice[];
  if (exact.length > 0) chosen = exact;
  else if (prefixed.length > 0 && new Set(prefixed.map((c) => c.pos.word)).size === 1) chosen = prefixed;
  else if (prefixed.length > 0) {
    if (typed.length === 0) return { kind: "ambiguous" };
    chosen = typed;
  } else if (typed.length > 0) chosen = [...typed, ...free];
  else if (free.length > 0) chosen = free;
  else return { kind: "invalid", column: word.start + bestPrefix };
  const next = chosen.map(({ thread, pos }): Thread => {
    const name = pos.kind === "kw" ? (pos.label ?? pos.word) : pos.word;
    if (pos.kind === "param" && pos.param?.type === "line") {
      const rest = line.slice(word.start).trimEnd();
      return { pos, caps: { name, value: rest, prev: thread.caps }, done: true };
    }
    return {
      pos,
      caps: { name, value: pos.kind === "kw" && !pos.label ? pos.word : word.text, prev: thread.caps },
    };
  });
  return { kind: "ok", threads: next };
}

export interface WalkResult {
  /** Threads that consumed every word. */
  readonly active: Thread[];
  /** Threads a rest-of-line parameter ended early. */
  readonly finished: Thread[];
}

/**
 * Walk all words of a line. A thread that reaches a rest-of-line parameter stops there, but the
 * other threads go on (`secret 9 $9$...` is a type followed by a hash, not the password "9 ...").
 */
export function walk(
  graph: ModeGraph,
  words: readonly Word[],
  line: string,
  privilege: number,
): WalkResult | Exclude<StepResult, { kind: "ok" }> {
  let active: Thread[] = [{ pos: null, caps: null }];
  const finished: Thread[] = [];
  for (const word of words) {
    const r = step(graph, active, word, line, privilege);
    if (r.kind !== "ok") return finished.length > 0 ? { active: [], finished } : r;
    active = [];
    for (const t of r.threads) (t.done ? finished : active).push(t);
    if (active.length === 0) break;
  }
  return { active, finished };
}

/** Match a whole line in one mode. */
export function matchLine(
  graph: ModeGraph,
  line: string,
  privilege: number,
  words = lexLine(line),
): MatchResult {
  if (words.length === 0) return { kind: "empty" };
  const r = walk(graph, words, line, privilege);
  if ("kind" in r) return r;
  // The latest rest-of-line thread kept the most structure (`secret 9 HASH` over `secret "9 HASH"`).
  const final = r.active.find((t) => t.pos?.final) ?? r.finished.findLast((t) => t.pos?.final);
  if (!final?.pos) return { kind: "incomplete" };
  return { kind: "ok", command: final.pos.command, args: new Args(final.caps), words };
}

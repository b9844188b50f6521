/**
 * `?` help and TAB completion from the command graph (ios-cli.md §3.2): rows of
 * `  keyword  description` padded to the longest keyword + 2, sorted as IOS sorts them (ASCII,
 * so placeholders like `A.B.C.D` and `<1-31>` come before keywords), `<cr>` last.
 */
import type { Position } from "./commandGraph.js";
import type { ModeGraph } from "./grammar.js";
import { lexLine } from "./lineLexer.js";
import { candidates, type Thread, walk } from "./matcher.js";
import { matchParam, placeholder } from "./paramTypes.js";

export interface HelpRow {
  readonly name: string;
  readonly help: string;
}

export type HelpResult =
  | { readonly kind: "rows"; readonly rows: readonly HelpRow[] }
  | { readonly kind: "words"; readonly words: readonly string[] }
  | { readonly kind: "unrecognized" }
  | { readonly kind: "ambiguous" };

const CR: HelpRow = { name: "<cr>", help: "<cr>" };

function asciiOrder(a: HelpRow, b: HelpRow): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function rowFor(pos: Position): HelpRow {
  return pos.kind === "kw" || !pos.param
    ? { name: pos.word, help: pos.help }
    : { name: placeholder(pos.param), help: pos.help };
}

function threadsBefore(graph: ModeGraph, text: string, privilege: number, wordCount: number) {
  const words = lexLine(text).slice(0, wordCount);
  return walk(graph, words, text, privilege);
}

/** Help for `text` followed by `?`. */
export function helpFor(graph: ModeGraph, text: string, privilege: number): HelpResult {
  const words = lexLine(text);
  const partial = text.length > 0 && !/[ \t]$/.test(text);
  const walked = threadsBefore(graph, text, privilege, partial ? words.length - 1 : words.length);
  if ("kind" in walked) return walked.kind === "ambiguous" ? { kind: "ambiguous" } : { kind: "unrecognized" };
  if (walked.finished.length > 0 && walked.active.length === 0) {
    return { kind: "rows", rows: partial ? [] : [CR] };
  }
  const positions = new Set<Position>();
  for (const t of walked.active) for (const p of candidates(graph, t, privilege)) positions.add(p);
  if (partial) return partialHelp(positions, words[words.length - 1]?.text ?? "");
  const rows = new Map<string, HelpRow>();
  for (const p of positions) {
    const row = rowFor(p);
    if (!rows.has(row.name)) rows.set(row.name, row);
  }
  const sorted = [...rows.values()].sort(asciiOrder);
  if (walked.active.some((t: Thread) => t.pos?.final)) sorted.push(CR);
  if (sorted.length === 0) return { kind: "unrecognized" };
  return { kind: "rows", rows: sorted };
}

function partialHelp(positions: ReadonlySet<Position>, word: string): HelpResult {
  const lower = word.toLowerCase();
  const found = new Set<string>();
  for (const p of positions) {
    if (p.kind === "kw" && p.word.startsWith(lower)) found.add(p.word);
    else if (p.param && matchParam(p.param, word) !== "none") found.add(placeholder(p.param));
  }
  if (found.size === 0) return { kind: "unrecognized" };
  return { kind: "words", words: [...found].sort() };
}

/**
 * TAB: complete the last word to the keyword it uniquely abbreviates (plus a space), or to
 * the longest common prefix of the candidates. Returns undefined when nothing changes.
 */
export function complete(graph: ModeGraph, text: string, privilege: number): string | undefined {
  if (text.length === 0 || /[ \t]$/.test(text)) return undefined;
  const words = lexLine(text);
  const last = words[words.length - 1];
  if (!last) return undefined;
  const walked = threadsBefore(graph, text, privilege, words.length - 1);
  if ("kind" in walked) return undefined;
  const lower = last.text.toLowerCase();
  const matches = new Set<string>();
  for (const t of walked.active) {
    for (const p of candidates(graph, t, privilege))
      if (p.kind === "kw" && p.word.startsWith(lower)) matches.add(p.word);
  }
  if (matches.size === 0) return undefined;
  const list = [...matches];
  const head = text.slice(0, last.start);
  if (list.length === 1) return `${head}${list[0]} `;
  let prefix = list[0] ?? "";
  for (const m of list) while (!m.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix.length > last.text.length ? head + prefix : undefined;
}

/** Lay out help rows as IOS does, wrapping descriptions at `width` with a hanging indent. */
export function renderHelpRows(rows: readonly HelpRow[], width = 80): string[] {
  const column = Math.max(...rows.map((r) => r.name.length)) + 2;
  const out: string[] = [];
  for (const row of rows) {
    const lead = `  ${row.name.padEnd(column)}`;
    const room = Math.max(20, width - lead.length - 1);
    const chunks = wrap(row.help, room);
    out.push(lead + (chunks[0] ?? ""));
    for (const chunk of chunks.slice(1)) out.push(" ".repeat(lead.length) + chunk);
  }
  return out;
}

function wrap(text: string, room: number): string[] {
  if (text.length <= room) return [text];
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(" ")) {
    if (current && current.length + 1 + word.length > room) {
      lines.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  if (current) lines.push(current);
  return lines;
}

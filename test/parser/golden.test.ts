/**
 * Golden `?` help for every command of every mode: for each command, the shortest line that
 * completes it is generated from the grammar, and `?` is asked after each of its words. The
 * golden file (test/golden/help.txt) is the reviewed record of what operators see.
 */
import { expect, it } from "vitest";
import type { Position } from "../../src/parser/commandGraph.js";
import { defaultGrammar } from "../../src/parser/grammar.js";
import { helpFor, renderHelpRows } from "../../src/parser/help.js";
import type { ParamDef } from "../../src/parser/paramTypes.js";

function sampleValue(p: ParamDef): string {
  switch (p.type) {
    case "ipv4":
      return "10.0.0.1";
    case "ipv6":
      return "2001:db8::1";
    case "int":
      return String(Math.max(p.min ?? 0, Math.min(p.max ?? 0, 1)));
    case "time":
      return "12:00:00";
    case "hhmm":
      return "2:00";
    case "month":
      return "Mar";
    case "weekday":
      return "Sun";
    case "hex":
      return "01";
    case "line":
      return "some text";
    case "word":
      return "NAME1";
  }
}

/** Shortest word sequence from the command's first position to a final one (BFS). */
function shortestPath(first: Position): Position[] {
  const queue: Position[][] = [[first]];
  const seen = new Set<Position>([first]);
  while (queue.length) {
    const path = queue.shift()!;
    const last = path[path.length - 1]!;
    if (last.final) return path;
    for (const next of last.follow) {
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push([...path, next]);
    }
  }
  return [first];
}

it("? help for every command matches test/golden/help.txt", async () => {
  const grammar = defaultGrammar();
  const out: string[] = [];
  for (const [name, graph] of grammar.modes) {
    const seenLines = new Set<string>();
    out.push(`#### mode ${name}`, "? ->", ...help(graph, ""), "");
    for (const first of graph.first) {
      const words = shortestPath(first).map((p) => (p.kind === "kw" ? p.word : sampleValue(p.param!)));
      const line = words.join(" ");
      if (seenLines.has(line)) continue;
      seenLines.add(line);
      out.push(`## ${first.command.id}${first.command.negated ? " (no)" : ""}: ${line}`);
      for (let i = 1; i <= words.length; i++) {
        const prefix = `${words.slice(0, i).join(" ")} `;
        out.push(`${prefix}? ->`, ...help(graph, prefix));
      }
      out.push("");
    }
  }
  await expect(`${out.join("\n")}\n`).toMatchFileSnapshot("../golden/help.txt");
});

function help(graph: Parameters<typeof helpFor>[0], text: string): string[] {
  const r = helpFor(graph, text, 15);
  if (r.kind === "rows") return renderHelpRows(r.rows, 100);
  if (r.kind === "words") return [r.words.join("  ")];
  return [`% ${r.kind}`];
}

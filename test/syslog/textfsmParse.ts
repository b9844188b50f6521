/**
 * Parses show output with an ntc-templates TextFSM template (../shared/reference/textfsm) through
 * Debian's python3-textfsm, as automation does. Returns header names and rows.
 */
import { execFileSync } from "node:child_process";

const TEMPLATES = new URL("../../../shared/reference/textfsm/", import.meta.url).pathname;
const PYTHON = "/usr/bin/python3";

export interface TextFsmResult {
  readonly header: string[];
  readonly rows: (string | string[])[][];
}

export function parseWithTemplate(template: string, output: string): TextFsmResult {
  const script =
    "import json,sys,textfsm\n" +
    "t=textfsm.TextFSM(open(sys.argv[1]))\n" +
    "rows=t.ParseText(sys.stdin.read())\n" +
    "print(json.dumps({'header':t.header,'rows':rows}))\n";
  const json = execFileSync(PYTHON, ["-c", script, `${TEMPLATES}${template}`], {
    input: output,
    encoding: "utf8",
  });
  return JSON.parse(json) as TextFsmResult;
}

/** Rows as objects keyed by the template's value names. */
export function records(result: TextFsmResult): Record<string, string | string[]>[] {
  return result.rows.map((row) => Object.fromEntries(result.header.map((h, i) => [h, row[i] ?? ""])));
}

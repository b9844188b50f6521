/**
 * Automation reads IOS show output through ntc-templates (../shared/reference/textfsm); our
 * output must parse with them into the same fields. Uses Debian's python3-textfsm.
 */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { newSession, transcript } from "./transcript.js";

const TEMPLATES = new URL("../../../shared/reference/textfsm/", import.meta.url).pathname;
const PYTHON = "/usr/bin/python3";

function parseWithTemplate(template: string, output: string): string[][] {
  const script =
    "import json,sys,textfsm\n" +
    "t=textfsm.TextFSM(open(sys.argv[1]))\n" +
    "print(json.dumps(t.ParseText(sys.stdin.read())))\n";
  const json = execFileSync(PYTHON, ["-c", script, `${TEMPLATES}${template}`], {
    input: output,
    encoding: "utf8",
  });
  return JSON.parse(json) as string[][];
}

describe("show clock parses with cisco_ios_show_clock.textfsm", () => {
  it("after clock set, with a time zone", () => {
    const s = newSession();
    transcript(s, ["conf t", "clock timezone CET 1 0", "end", "clock set 21:49:07 23 feb 2026"]);
    const out = s.execute("show clock").join("\n");
    expect(out).toMatch(/^21:49:0\d\.\d{3} CET Mon Feb 23 2026$/);
    const rows = parseWithTemplate("cisco_ios_show_clock.textfsm", `${out}\n`);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.slice(1)).toEqual(["CET", "Mon", "Feb", "23", "2026"]);
  });

  it("not authoritative (the * flag) and show clock detail", () => {
    const s = newSession();
    const out = s.execute("show clock detail");
    expect(out[0]?.startsWith("*")).toBe(true);
    expect(out[1]).toBe("No time source");
    const rows = parseWithTemplate("cisco_ios_show_clock.textfsm", `${out.join("\n")}\n`);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.[1]).toBe("UTC");
  });
});

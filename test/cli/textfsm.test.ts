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

describe("other show commands parse with their ntc-templates", () => {
  it("show version", () => {
    const s = newSession();
    transcript(s, ["conf t", "hostname edge1", "end"]);
    const rows = parseWithTemplate(
      "cisco_ios_show_version.textfsm",
      `${s.execute("show version").join("\n")}\n`,
    );
    expect(rows).toHaveLength(1);
    const [image, version, release, , hostname] = rows[0] ?? [];
    expect([image, version, release, hostname]).toEqual(["MERIDIAN-NTP", "0.1", "mrd1", "edge1"]);
  });

  it("show users", () => {
    const out = newSession().execute("show users").join("\n");
    const rows = parseWithTemplate("cisco_ios_show_users.textfsm", `${out}\n`);
    expect(out.split("\n")[1]).toBe("*  0 con 0     console    idle                 00:00:00");
    expect(rows).toEqual([["*  0 con 0", "console", "idle", "00:00:00", ""]]);
  });

  it("show access-lists and show ip access-lists", () => {
    const s = newSession();
    transcript(s, [
      "conf t",
      "access-list 10 permit 10.1.10.6",
      "access-list 10 permit 10.0.0.0 0.255.255.255",
      "access-list 10 deny any log",
      "end",
    ]);
    const out = `${s.execute("show access-lists").join("\n")}\n`;
    const rows = parseWithTemplate("cisco_ios_show_access-list.textfsm", out);
    expect(rows.map((r) => [r[0], r[1], r[2], r[3], r[5]])).toEqual([
      ["10", "Standard", "10", "permit", "10.1.10.6"],
      ["10", "Standard", "20", "permit", "10.0.0.0, wildcard bits 0.255.255.255"],
      ["10", "Standard", "30", "deny", "any"],
    ]);
    const ip = parseWithTemplate(
      "cisco_ios_show_ip_access-lists.textfsm",
      `${s.execute("show ip access-lists").join("\n")}\n`,
    );
    // the template records the list header as a row of its own, for real IOS output too
    expect(ip.filter((r) => r[2] !== "").map((r) => [r[0], r[1], r[2], r[3]])).toEqual([
      ["Standard", "10", "10", "permit"],
      ["Standard", "10", "20", "permit"],
      ["Standard", "10", "30", "deny"],
    ]);
  });
});

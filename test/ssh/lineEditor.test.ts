/**
 * The VT100 line editor byte for byte: what a raw terminal receives for each keystroke.
 */
import { describe, expect, it } from "vitest";
import { OfflineAppliance } from "../../src/cli/appliance.js";
import { LineEditor } from "../../src/cli/lineEditor.js";
import { MORE_ERASE } from "../../src/cli/morePager.js";
import { CliSession } from "../../src/cli/session.js";
import { MemoryStartupStore } from "../../src/config/startupStore.js";

function editor(config = "hostname R1\n", privilege = 15, origin = { line: "vty0", address: "192.0.2.7" }) {
  const appliance = new OfflineAppliance(new MemoryStartupStore(config));
  appliance.boot();
  const session = new CliSession(appliance, { name: "admin", privilege }, origin);
  let out = "";
  let closed = false;
  const e = new LineEditor(session, { write: (t) => (out += t), close: () => (closed = true) });
  e.start();
  return {
    e,
    session,
    appliance,
    /** Type keys; returns what the terminal received for them. */
    type(keys: string): string {
      out = "";
      e.input(keys);
      return out;
    },
    get closed() {
      return closed;
    },
  };
}

describe("line editor: echo and editing", () => {
  it("echoes, ends lines with CRLF, prints output then the prompt", () => {
    const t = editor();
    expect(t.type("show privilege")).toBe("show privilege");
    expect(t.type("\r")).toBe("\r\nCurrent privilege level is 15\r\nR1#");
  });

  it("CR LF and a lone LF are one Enter each (netmiko sends \\n)", () => {
    const t = editor();
    expect(t.type("\r\n")).toBe("\r\nR1#");
    expect(t.type("\n")).toBe("\r\nR1#");
    expect(t.type("show privilege\n")).toBe("show privilege\r\nCurrent privilege level is 15\r\nR1#");
  });

  it("inserts at the cursor after left arrow, redrawing the tail", () => {
    const t = editor();
    t.type("shw");
    expect(t.type("\x1b[D")).toBe("\b");
    expect(t.type("o")).toBe("ow\b");
    expect(t.type("\x05 privilege\r")).toBe("w privilege\r\nCurrent privilege level is 15\r\nR1#");
  });

  it("backspace in the middle redraws the tail and blanks the last column", () => {
    const t = editor();
    t.type("shoow");
    t.type("\x1b[D");
    expect(t.type("\x7f")).toBe("\bw \b\b");
    expect(t.type("\x05 privilege\r")).toContain("Current privilege level is 15");
  });

  it("Ctrl-A, Ctrl-E, Ctrl-B, Ctrl-F move the cursor", () => {
    const t = editor();
    t.type("abc");
    expect(t.type("\x01")).toBe("\b\b\b");
    expect(t.type("\x06")).toBe("a");
    expect(t.type("\x05")).toBe("bc");
    expect(t.type("\x02")).toBe("\b");
  });

  it("Ctrl-U deletes to the start, Ctrl-W the word before the cursor, Ctrl-K to the end", () => {
    const t = editor();
    t.type("show ntp");
    expect(t.type("\x17")).toBe("\b\b\b   \b\b\b");
    expect(t.type("privilege extra")).toBe("privilege extra");
    t.type("\x1b[D".repeat(6));
    expect(t.type("\x0b")).toBe("      \b\b\b\b\b\b");
    expect(t.type("\r")).toContain("Current privilege level is 15");
    t.type("garbage");
    expect(t.type("\x15")).toBe(`${"\b".repeat(7)}${" ".repeat(7)}${"\b".repeat(7)}`);
    expect(t.type("\r")).toBe("\r\nR1#");
  });

  it("up and down walk the history and restore the draft", () => {
    const t = editor();
    t.type("show privilege\r");
    t.type("show clock\r");
    t.type("sh");
    expect(t.type("\x1b[A")).toBe("\b\bshow clock");
    expect(t.type("\x1b[A")).toBe(`${"\b".repeat(10)}show privilege`);
    expect(t.type("\x1bOB")).toBe(`${"\b".repeat(14)}show clock    \b\b\b\b`);
    expect(t.type("\x1b[B")).toBe(`${"\b".repeat(10)}sh        ${"\b".repeat(8)}`);
  });

  it("TAB completes a unique prefix", () => {
    const t = editor();
    expect(t.type("sh\t")).toBe("show ");
    expect(t.type("priv\t")).toBe("privilege ");
    expect(t.type("\t")).toBe("");
  });
});

describe("line editor: ? help", () => {
  it("answers at once, redisplays the prompt and the line, and keeps it", () => {
    const t = editor();
    t.type("show ntp ");
    expect(t.type("?")).toBe(
      "?\r\n  associations  NTP associations\r\n  config        NTP config\r\n  status        NTP status\r\n\r\nR1#show ntp ",
    );
    expect(t.session.history).toEqual([]);
  });

  it("an unrecognized word prints IOS's message without a blank line", () => {
    const t = editor();
    t.type("show xyz ");
    expect(t.type("?")).toBe("?\r\n% Unrecognized command\r\nR1#show xyz ");
  });

  it("is an ordinary character inside a question's answer", () => {
    const t = editor("hostname R1\nenable secret 0 s3cret?\n", 1);
    expect(t.type("enable\r")).toBe("enable\r\nPassword: ");
    expect(t.type("s3cret?")).toBe("");
    expect(t.type("\r")).toBe("\r\nR1#");
  });
});

describe("line editor: control keys", () => {
  it("Ctrl-Z leaves config mode with ^Z and announces the change", () => {
    const t = editor();
    t.type("conf t\r");
    expect(t.type("\x1a")).toBe("^Z\r\nR1#");
    expect(
      t.appliance.events.some(
        (e) => e.startsWith("%SYS-5-CONFIG_I:") && e.endsWith("admin on vty0 (192.0.2.7)"),
      ),
    ).toBe(true);
  });

  it("Ctrl-Z runs the line typed before it", () => {
    const t = editor();
    t.type("conf t\r");
    t.type("hostname R9\x1a");
    expect(t.session.config).toBeUndefined();
    expect(t.appliance.config.hostname).toBe("R9");
  });

  it("Ctrl-C abandons the line in EXEC and leaves config mode", () => {
    const t = editor();
    t.type("show cl");
    expect(t.type("\x03")).toBe("^C\r\nR1#");
    t.type("conf t\r");
    expect(t.type("ntp mas\x03")).toBe("ntp mas^C\r\nR1#");
    expect(t.appliance.config.ntp.master).toBeUndefined();
  });

  it("Ctrl-C drops a pending question", () => {
    const t = editor("hostname R1\nenable secret 0 pw\n", 1);
    t.type("enable\r");
    expect(t.type("abc\x03")).toBe("^C\r\nR1>");
    expect(t.session.questionPending).toBeUndefined();
  });

  it("exit closes the session", () => {
    const t = editor();
    t.type("exit\r");
    expect(t.closed).toBe(true);
  });

  it("monitor messages print above the line being typed", () => {
    const t = editor();
    t.type("show cl");
    let out = "";
    const e = new LineEditor(t.session, { write: (s) => (out += s), close: () => {} });
    e.input("show cl");
    out = "";
    e.notify("%SYS-5-CONFIG_I: Configured from console by console");
    expect(out).toBe("\r\n%SYS-5-CONFIG_I: Configured from console by console\r\nR1#show cl");
  });
});

describe("line editor: --More-- paging", () => {
  const config = `hostname R1\n${Array.from({ length: 30 }, (_, i) => `access-list 1 permit 10.0.${i}.0 0.0.0.255`).join("\n")}\n`;

  it("pages at terminal length - 1 rows; Space = next screen, Return = one line, q stops", () => {
    const t = editor(config);
    t.type("terminal length 6\r");
    const first = t.type("show access-lists\r");
    expect(first.split("\r\n")).toHaveLength(1 + 5 + 1);
    expect(first.endsWith(" --More-- ")).toBe(true);
    const line = t.type("\r");
    expect(line).toBe(`${MORE_ERASE}    50 permit 10.0.4.0, wildcard bits 0.0.0.255\r\n --More-- `);
    const page = t.type(" ");
    expect(page.startsWith(MORE_ERASE)).toBe(true);
    expect(page.split("\r\n")).toHaveLength(6);
    expect(t.type("q")).toBe(`${MORE_ERASE}R1#`);
    expect(t.type("show privilege\r")).toContain("Current privilege level is 15");
  });

  it("an arrow key at --More-- stops paging without reaching the next line", () => {
    const t = editor(config);
    t.type("terminal length 6\rshow access-lists\r");
    expect(t.type("\x1b[A")).toBe(`${MORE_ERASE}R1#`);
    expect(t.type("x")).toBe("x");
  });

  it("terminal length 0 never pages; the window size sets the length until the user does", () => {
    const t = editor(config);
    t.e.resize(100, 10);
    expect(t.session.terminal).toMatchObject({ length: 10, width: 100 });
    t.type("terminal length 0\r");
    t.e.resize(120, 40);
    expect(t.session.terminal).toMatchObject({ length: 0, width: 120 });
    expect(t.type("show access-lists\r")).not.toContain("--More--");
  });

  it("a line wider than the terminal counts as the rows it wraps to", () => {
    const t = editor(config);
    t.type("terminal length 4\rterminal width 20\r");
    const first = t.type("show access-lists\r");
    // Header (25 chars = 2 rows) + one 46-char entry (3 rows) would overflow 3 rows: header only.
    expect(first).toBe("show access-lists\r\nStandard IP access list 1\r\n --More-- ");
  });
});

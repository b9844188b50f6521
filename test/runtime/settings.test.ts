import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PRODUCTION_DEFAULTS, parseSettings } from "../../src/runtime/settings.js";

const FILE = "/etc/meridian/settings.yaml";

function errors(text: string): string[] {
  const r = parseSettings(text, FILE);
  return r.ok ? [] : r.errors;
}

describe("settings", () => {
  it("takes the issue's example and anchors a relative dataDir at the file's directory", () => {
    const r = parseSettings(
      [
        "dataDir: ./var",
        "listen:",
        "  ssh: { address: 127.0.0.1, port: 2222 }",
        '  ntp: { addresses: [127.0.0.1, "::1"], port: 11123 }',
        "  ntsKe: { address: 127.0.0.1, port: 4460 }",
        "console: false",
        "log: { level: info }",
      ].join("\n"),
      FILE,
    );
    expect(r).toEqual({
      ok: true,
      settings: {
        dataDir: join("/etc/meridian", "var"),
        listen: {
          ssh: { address: "127.0.0.1", port: 2222 },
          ntp: { addresses: ["127.0.0.1", "::1"], port: 11123 },
          ntsKe: { address: "127.0.0.1", port: 4460 },
        },
        console: false,
        log: { level: "info" },
      },
    });
  });

  it("an empty file means the production defaults (ports 22 and 123)", () => {
    const r = parseSettings("", FILE);
    expect(r).toEqual({ ok: true, settings: PRODUCTION_DEFAULTS });
    expect(PRODUCTION_DEFAULTS.listen.ssh?.port).toBe(22);
    expect(PRODUCTION_DEFAULTS.listen.ntp?.port).toBe(123);
  });

  it("missing fields of a listener keep their defaults; false turns a listener off", () => {
    const r = parseSettings("listen:\n  ssh: { port: 2022 }\n  ntp: false\n", FILE);
    expect(r.ok && r.settings.listen).toEqual({
      ssh: { address: "0.0.0.0", port: 2022 },
      ntp: null,
      ntsKe: PRODUCTION_DEFAULTS.listen.ntsKe,
    });
  });

  it("names every bad key and says what it wants", () => {
    expect(
      errors(
        [
          "dataDir: 5",
          "listen:",
          "  ssh: { address: localhost, port: 70000 }",
          "  ntp: { addresses: [], port: -1 }",
          "  telnet: { port: 23 }",
          "console: yes",
          "log: { level: loud }",
          "colour: blue",
        ].join("\n"),
      ),
    ).toEqual([
      `${FILE}: colour: unknown setting (expected one of: dataDir, listen, console, log)`,
      `${FILE}: dataDir: must be a directory path (got 5)`,
      `${FILE}: listen.telnet: unknown setting (expected one of: ssh, ntp, ntsKe)`,
      `${FILE}: listen.ssh.address: must be an IPv4 or IPv6 address literal (got "localhost")`,
      `${FILE}: listen.ssh.port: must be a port number 0-65535 (got 70000)`,
      `${FILE}: listen.ntp.addresses: must be a non-empty list of addresses (got a list)`,
      `${FILE}: console: must be true or false (got "yes")`,
      `${FILE}: log.level: must be one of fatal, error, warn, info, debug, trace, silent (got "loud")`,
    ]);
  });

  it("YAML syntax errors carry line and column", () => {
    const e = errors("listen:\n  ssh: { address: 127.0.0.1, port: 2222\n");
    expect(e).toHaveLength(1);
    expect(e[0]).toMatch(new RegExp(`^${FILE}:\\d+:\\d+: `));
  });

  it("a top level that is not a mapping is reported", () => {
    expect(errors("- a\n- b\n")).toEqual([`${FILE}: (top level): must be a mapping (got a list)`]);
  });

  it("the shipped lab settings are valid, on loopback and unprivileged", () => {
    const file = new URL("../../settings/lab.yaml", import.meta.url).pathname;
    const r = parseSettings(readFileSync(file, "utf8"), file);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const { ssh, ntp, ntsKe } = r.settings.listen;
    for (const l of [ssh, ntsKe]) expect(l?.address).toBe("127.0.0.1");
    expect(ntp?.addresses.every((a) => a === "127.0.0.1" || a === "::1")).toBe(true);
    for (const port of [ssh?.port, ntp?.port, ntsKe?.port]) expect(port).toBeGreaterThan(1023);
  });
});

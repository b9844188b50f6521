import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { execHandlers } from "../../src/cli/execCommands.js";
import { configHandlers } from "../../src/config/handlers.js";
import { formatDiagnostic, loadConfigText } from "../../src/config/loadConfig.js";
import { renderStartupConfig } from "../../src/config/render.js";
import { FileStartupStore } from "../../src/config/startupStore.js";
import { defaultGrammar } from "../../src/parser/grammar.js";

const sample = readFileSync(new URL("../fixtures/ios-sample.cfg", import.meta.url), "utf8");

describe("a configuration copied from a real router", () => {
  const { config, diagnostics } = loadConfigText(sample);

  it("loads every supported line without error", () => {
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(config.hostname).toBe("rtr01");
    expect([...config.ntp.associations.keys()]).toHaveLength(8);
    expect(config.ntp.keys.get(1)?.secret).toBe("NTPKEY1");
    expect(config.ntp.master).toBe(3);
  });

  it("reports each unsupported feature once, as a warning with its position", () => {
    const warnings = diagnostics.map((d) => formatDiagnostic("sample.cfg", d));
    expect(warnings).toContain(
      'sample.cfg:25:1: warning: unsupported feature "ip cef" not implemented by Meridian (1 line skipped)',
    );
    expect(warnings.some((w) => w.includes('"router" not implemented by Meridian (3 lines skipped)'))).toBe(
      true,
    );
    expect(warnings).toContain(
      'sample.cfg:51:2: warning: unsupported feature "duplex" not implemented by Meridian (1 line skipped)',
    );
    expect(warnings).toContain(
      'sample.cfg:21:1: warning: unsupported feature "aaa" not implemented by Meridian (1 line skipped)',
    );
    expect(warnings.some((w) => w.includes('"snmp-server"'))).toBe(true);
    expect(diagnostics.every((d) => d.severity === "warning")).toBe(true);
  });

  it("render -> parse -> render is byte-identical", () => {
    const first = renderStartupConfig(config);
    const again = loadConfigText(first);
    expect(again.diagnostics).toEqual([]);
    expect(renderStartupConfig(again.config)).toBe(first);
  });
});

describe("bad lines", () => {
  it("are reported with line and column and lose nothing else", () => {
    const text = [
      "hostname R9",
      "ntp server 10.0.0.1 prefr",
      "ntp master 99",
      "ntp authe",
      "logging",
      "ntp master 4",
    ].join("\n");
    const { config, diagnostics } = loadConfigText(text);
    expect(diagnostics.map((d) => formatDiagnostic("f.cfg", d))).toEqual([
      "f.cfg:2:25: Invalid input detected",
      "f.cfg:3:12: Invalid input detected",
      'f.cfg:4:1: Ambiguous command: "ntp authe"',
      "f.cfg:5:1: Incomplete command",
    ]);
    expect(diagnostics.find((d) => d.line === 2)).toMatchObject({ severity: "error", column: 25 });
    expect(diagnostics.find((d) => d.line === 3)).toMatchObject({ severity: "error", column: 12 });
    expect(diagnostics.find((d) => d.line === 4)).toMatchObject({
      severity: "error",
      message: 'Ambiguous command: "ntp authe"',
    });
    expect(diagnostics.find((d) => d.line === 5)).toMatchObject({
      severity: "error",
      message: "Incomplete command",
    });
    expect(config.hostname).toBe("R9");
    expect(config.ntp.master).toBe(4);
  });

  it("the loader never throws and every diagnostic has a position inside the text", () => {
    const words = [
      "ntp",
      "server",
      "10.0.0.1",
      "line",
      "vty",
      "0",
      "4",
      " login",
      "crypto",
      "pki",
      "certificate",
      "chain",
      "x",
      " certificate",
      "ca",
      "01",
      "  3082",
      "quit",
      "!",
      "interface",
      "Loopback0",
      "no",
      "end",
      "exit",
      "key-string",
      "username",
      "ip",
      "ssh",
      "pubkey-chain",
    ];
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.constantFrom(...words), { maxLength: 6 }), { maxLength: 30 }),
        (lines) => {
          const text = lines.map((l) => l.join(" ")).join("\n");
          const { diagnostics } = loadConfigText(text);
          for (const d of diagnostics) {
            expect(d.line).toBeGreaterThanOrEqual(1);
            expect(d.line).toBeLessThanOrEqual(lines.length);
            expect(d.column).toBeGreaterThanOrEqual(1);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("every command has an implementation", () => {
  it("config command ids have handlers; exec ids have handlers", () => {
    const special = new Set(["config.do", "config.end", "config.exit"]);
    for (const c of defaultGrammar().commands) {
      if (c.mode === "pipe") continue;
      if (c.mode === "exec") expect(execHandlers[c.id], c.id).toBeDefined();
      else if (!special.has(c.id)) expect(configHandlers[c.id], c.id).toBeDefined();
    }
  });
});

describe("startup-config persistence", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("writes atomically and keeps the previous file as a backup", () => {
    const dir = mkdtempSync(join(tmpdir(), "meridian-store-"));
    dirs.push(dir);
    const store = new FileStartupStore(join(dir, "startup-config"));
    store.write("hostname A\n");
    store.write("hostname B\n");
    expect(store.read()).toBe("hostname B\n");
    expect(readFileSync(join(dir, "startup-config.bak"), "utf8")).toBe("hostname A\n");
  });

  it("a failed write leaves the old startup-config intact", () => {
    if (process.getuid?.() === 0) {
      // root ignores directory permissions; make the path un-writable another way
      const dir = mkdtempSync(join(tmpdir(), "meridian-store-"));
      dirs.push(dir);
      const path = join(dir, "startup-config");
      writeFileSync(path, "hostname OLD\n");
      const store = new FileStartupStore(join(dir, "missing-dir", "startup-config"));
      expect(() => store.write("hostname NEW\n")).toThrow();
      expect(readFileSync(path, "utf8")).toBe("hostname OLD\n");
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), "meridian-store-"));
    dirs.push(dir);
    const path = join(dir, "startup-config");
    writeFileSync(path, "hostname OLD\n");
    chmodSync(dir, 0o500);
    try {
      expect(() => new FileStartupStore(path).write("hostname NEW\n")).toThrow();
    } finally {
      chmodSync(dir, 0o700);
    }
    expect(readFileSync(path, "utf8")).toBe("hostname OLD\n");
    expect(existsSync(`${path}.bak`)).toBe(false);
  });
});

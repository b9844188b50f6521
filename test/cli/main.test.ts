import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/main.js";

const dir = mkdtempSync(join(tmpdir(), "meridian-main-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe("meridian check", () => {
  it("prints FILE:LINE:COL per error and exits 1", async () => {
    const file = join(dir, "bad.cfg");
    writeFileSync(file, "hostname R1\nntp mastr 3\nntp master 5\n");
    const r = await run(["check", file]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`${file}:2:9: Invalid input detected\n`);
  });
  it("exits 0 with only warnings, and --render prints the canonical config", async () => {
    const file = join(dir, "ok.cfg");
    writeFileSync(file, "hostname R1\nrouter ospf 1\n network 10.0.0.0 0.0.0.255 area 0\nntp master 5\n");
    const r = await run(["check", file, "--render"]);
    expect(r.code).toBe(0);
    expect(r.err).toContain('warning: unsupported feature "router"');
    expect(r.out).toContain("hostname R1\n");
    expect(r.out).toContain("ntp master 5\n");
    expect(r.out.endsWith("end\n")).toBe(true);
  });
});

describe("meridian exec", () => {
  it("shows prompts, echoed lines and output", async () => {
    const r = await run([
      "exec",
      "conf t",
      "ntp server 10.0.0.1 iburst",
      "end",
      "show running-config | include ntp",
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        "Router#conf t",
        "Enter configuration commands, one per line.  End with CNTL/Z.",
        "Router(config)#ntp server 10.0.0.1 iburst",
        "Router(config)#end",
        "Router#show running-config | include ntp",
        "ntp server 10.0.0.1 iburst",
        "Router#",
        "",
      ].join("\n"),
    );
  });
  it("exits 1 after a CLI error", async () => {
    const r = await run(["exec", "show ntp"]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("% Incomplete command.");
  });
  it("-c loads a startup-config and write memory saves to it", async () => {
    const file = join(dir, "startup.cfg");
    writeFileSync(file, "hostname R7\n");
    const r = await run(["exec", "-c", file, "conf t", "ntp master 4", "end", "write memory"]);
    expect(r.out).toContain("R7#write memory\nBuilding configuration...\n[OK]\n");
    expect(readFileSync(file, "utf8")).toContain("ntp master 4\n");
    expect(existsSync(`${file}.bak`)).toBe(true);
  });
});

describe("the installed command", () => {
  const bin = new URL("../../bin/meridian.js", import.meta.url).pathname;
  it("runs from bin/ after the build (npm test builds first)", () => {
    expect(
      existsSync(new URL("../../dist/src/main.js", import.meta.url)),
      "dist/ missing: run npm run build",
    ).toBe(true);
    const out = execFileSync(process.execPath, [bin, "exec", "show privilege"], { encoding: "utf8" });
    expect(out).toBe("Router#show privilege\nCurrent privilege level is 15\nRouter#\n");
    const usage = spawnSync(process.execPath, [bin], { encoding: "utf8" });
    expect(usage.status).toBe(2);
  });
});

/**
 * `console: true`: an IOS console on the daemon's stdin/stdout, with the JSON log moved to
 * stderr so that the console stays readable.
 */
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, tempDir, writeTestSettings } from "../ssh/daemonProcess.js";

const dir = tempDir("meridian-console-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the console line", () => {
  it("runs commands typed on stdin and logs JSON on stderr", async () => {
    const settings = writeTestSettings(dir, "console: true\n");
    const child = spawn(process.execPath, [BIN, "run", "-s", settings], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    const waitFor = async (pattern: RegExp, text: () => string) => {
      const deadline = Date.now() + 10_000;
      while (!pattern.test(text())) {
        if (Date.now() > deadline) throw new Error(`no ${pattern} in ${JSON.stringify(text())}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await waitFor(/Meridian#$/, () => out);
    child.stdin.write("show privilege\nconf t\nhostname Con1\nend\n");
    await waitFor(/Con1#$/, () => out);
    expect(out).toContain("Current privilege level is 15\r\n");
    // `logging console` shows the configuration event on the console itself.
    await waitFor(/%SYS-5-CONFIG_I: Configured from console by console/, () => out);
    expect(err).toMatch(/^\{"level":30,.*"msg":"meridian starting"\}$/m);
    expect(out).not.toContain('"level"');
    child.kill("SIGTERM");
    expect(await new Promise((r) => child.on("exit", r))).toBe(0);
  });
});

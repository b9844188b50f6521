import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Agent } from "../../src/agent.js";
import { CliSession } from "../../src/cli/session.js";
import { MemoryStartupStore } from "../../src/config/startupStore.js";

const dirs: string[] = [];
const agents: Agent[] = [];
afterEach(async () => {
  for (const a of agents.splice(0)) await a.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function boot(config: string, calendarFile: string): Promise<{ agent: Agent; cli: CliSession }> {
  const agent = await Agent.start({ startup: new MemoryStartupStore(config), calendarFile });
  agents.push(agent);
  return { agent, cli: new CliSession(agent, { name: "console", privilege: 15 }) };
}

describe("hardware calendar emulation (ios-cli.md §1.6, §2.5)", () => {
  it("boots from the persisted calendar, not authoritative, and keeps the calendar across restarts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "meridian-cal-"));
    dirs.push(dir);
    const file = join(dir, "calendar");
    const first = await boot("hostname R1\n", file);
    first.cli.execute("calendar set 10:00:00 1 Jan 2030");
    expect(first.cli.execute("show calendar")[0]).toMatch(/^10:00:0\d UTC Tue Jan 1 2030$/);
    await first.agent.close();
    agents.splice(0);

    const second = await boot("hostname R1\n", file);
    const clock = second.cli.execute("show clock detail");
    expect(clock[0]).toMatch(/^\*10:00:0\d\.\d{3} UTC Tue Jan 1 2030$/);
    expect(clock[1]).toBe("Time source is hardware calendar");
  });

  it("clock calendar-valid makes the calendar-set clock authoritative; removing it undoes that", async () => {
    const dir = mkdtempSync(join(tmpdir(), "meridian-cal-"));
    dirs.push(dir);
    const { cli } = await boot("clock calendar-valid\n", join(dir, "calendar"));
    expect(cli.execute("show clock")[0]?.startsWith("*")).toBe(false);
    for (const l of ["conf t", "no clock calendar-valid", "end"]) cli.execute(l);
    expect(cli.execute("show clock")[0]?.startsWith("*")).toBe(true);
  });

  it("clock update-calendar and clock read-calendar move time between the two", async () => {
    const dir = mkdtempSync(join(tmpdir(), "meridian-cal-"));
    dirs.push(dir);
    const { cli } = await boot("hostname R1\n", join(dir, "calendar"));
    cli.execute("clock set 08:30:00 15 Jun 2031");
    cli.execute("clock update-calendar");
    expect(cli.execute("show calendar")[0]).toMatch(/^08:30:0\d UTC Sun Jun 15 2031$/);
    cli.execute("calendar set 01:00:00 1 Feb 2029");
    cli.execute("clock read-calendar");
    expect(cli.execute("show clock")[0]).toMatch(/^\*01:00:0\d\.\d{3} UTC Thu Feb 1 2029$/);
  });
});

/**
 * Our NTP client against chronyd (Debian package, `chronyd -x`, `local stratum 3`) on loopback:
 * it must synchronize, plain and with each key type, and report what it measured the IOS way.
 * Client and server share the host clock, so the true offset is zero.
 */
import { afterEach, describe, expect, it } from "vitest";
import { Agent } from "../../src/agent.js";
import { CliSession } from "../../src/cli/session.js";
import { MemoryStartupStore } from "../../src/config/startupStore.js";
import { ChronyServer, freeUdpPort } from "./chronyd.js";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !check()) await new Promise((r) => setTimeout(r, 200));
}

async function chrony(key?: { id: number; type: string; value: string }): Promise<number> {
  const port = await freeUdpPort();
  const server = new ChronyServer(port, key);
  server.start();
  cleanup.push(() => server.stop());
  return port;
}

async function appliance(config: string): Promise<{ agent: Agent; cli: CliSession }> {
  const agent = await Agent.start({
    startup: new MemoryStartupStore(config),
    ntp: { addresses: ["127.0.0.1"], port: 0 },
  });
  cleanup.push(() => agent.close());
  expect(agent.bootDiagnostics).toEqual([]);
  return { agent, cli: new CliSession(agent, { name: "console", privilege: 15 }) };
}

describe("Meridian as a client of chronyd", () => {
  it.each([
    ["plain", undefined, ""],
    [
      "md5",
      { id: 5, type: "MD5", value: "ASCII:NTPKEY1" },
      "ntp authentication-key 5 md5 NTPKEY1\nntp trusted-key 5\nntp authenticate\n",
    ],
    [
      "sha1",
      { id: 6, type: "SHA1", value: "ASCII:Sha1Secret" },
      "ntp authentication-key 6 sha1 Sha1Secret\nntp trusted-key 6\nntp authenticate\n",
    ],
    [
      "cmac-aes-128",
      { id: 7, type: "AES128", value: "HEX:000102030405060708090A0B0C0D0E0F" },
      "ntp authentication-key 7 cmac-aes-128 000102030405060708090A0B0C0D0E0F\nntp trusted-key 7\nntp authenticate\n",
    ],
  ])("synchronizes (%s) and shows it in show ntp associations / status", async (_name, key, keyLines) => {
    const port = await chrony(key);
    const keyOption = key ? ` key ${key.id}` : "";
    const { agent, cli } = await appliance(
      `${keyLines}ntp server 127.0.0.1 port ${port} iburst${keyOption}\n`,
    );
    await waitFor(() => agent.clock.synchronized, 25_000);
    expect(agent.clock.synchronized).toBe(true);
    const rows = cli.execute("show ntp associations");
    const row = rows.find((r) => r.includes("127.0.0.1"));
    expect(row, rows.join("\n")).toMatch(/^\*~127\.0\.0\.1\s+127\.127\.1\.1\s+3\s/);
    const status = cli.execute("show ntp status");
    expect(status[0]).toBe("Clock is synchronized, stratum 4, reference is 127.0.0.1      ");
    // one host clock: what our client measured is its own error against chronyd
    const offsetMs = Number.parseFloat(row?.trim().split(/\s+/)[7] ?? "NaN");
    expect(Math.abs(offsetMs)).toBeLessThan(2);
    if (key) expect(cli.execute("show ntp associations detail")[0]).toContain("authenticated");
  });

  it("a wrong key never synchronizes", async () => {
    const port = await chrony({ id: 5, type: "MD5", value: "ASCII:RIGHTKEY" });
    const { agent } = await appliance(
      `ntp authentication-key 5 md5 WRONGKEY\nntp trusted-key 5\nntp authenticate\nntp server 127.0.0.1 port ${port} iburst key 5\n`,
    );
    await new Promise((r) => setTimeout(r, 6000));
    expect(agent.clock.synchronized).toBe(false);
  });
});

describe("two Meridian instances as symmetric peers", () => {
  it("a peer without a source syncs to its peer that has ntp master", async () => {
    const a = await appliance("ntp master 3\n");
    const portA = a.agent.ntp!.ports[0]!;
    const b = await appliance(`ntp peer 127.0.0.1 port ${portA} iburst\n`);
    const portB = b.agent.ntp!.ports[0]!;
    a.cli.execute("configure terminal");
    a.cli.execute(`ntp peer 127.0.0.1 port ${portB}`);
    a.cli.execute("end");
    await waitFor(() => b.agent.clock.synchronized && b.agent.clock.ntp().stratum === 4, 25_000);
    expect(b.agent.clock.ntp().stratum).toBe(4);
    const detail = b.cli.execute("show ntp associations detail").join("\n");
    expect(detail).toContain("our mode active, peer mode passive");
  });
});

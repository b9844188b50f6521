/**
 * chronyd from the Debian package as a client of our NTP server (issue: serve time that chrony
 * trusts): it must accept our answers and report in `chronyc ntpdata` the stratum, refid, leap
 * and precision we serve, with and without symmetric keys; wrong keys, access-group denial and
 * rate limiting must show on the client.
 */
import { existsSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { Agent } from "../../src/agent.js";
import { CliSession } from "../../src/cli/session.js";
import { MemoryStartupStore } from "../../src/config/startupStore.js";
import { CHRONYD, ChronyClient } from "./chronyd.js";

const running: { agent?: Agent; chrony?: ChronyClient }[] = [];

afterEach(async () => {
  for (const r of running.splice(0)) {
    await r.chrony?.stop();
    await r.agent?.close();
  }
});

async function serve(config: string, address = "127.0.0.1"): Promise<{ agent: Agent; port: number }> {
  const agent = await Agent.start({
    startup: new MemoryStartupStore(config),
    ntp: { addresses: [address], port: 0 },
  });
  running.push({ agent });
  expect(agent.bootDiagnostics).toEqual([]);
  return { agent, port: agent.ntp!.ports[0]! };
}

function client(
  port: number,
  key?: { id: number; type: string; value: string },
  serverAddress?: string,
): ChronyClient {
  const chrony = new ChronyClient({
    serverPort: port,
    ...(key ? { key } : {}),
    ...(serverAddress ? { serverAddress } : {}),
  });
  running.push({ chrony });
  chrony.start();
  return chrony;
}

/** chrony counts a response "good" when it passed every test and could be used for sync. */
const validRx = (f: Map<string, string>) => Number(f.get("Total good RX") ?? 0);

describe("chronyd as a client of Meridian", () => {
  it("chronyd is installed (.ci/run installs the Debian package)", () => {
    expect(existsSync(CHRONYD)).toBe(true);
  });

  it("syncs to `ntp master 3` and reports our stratum, refid, leap and precision", async () => {
    const { agent, port } = await serve("ntp master 3\n");
    const chrony = client(port);
    const data = await chrony.waitFor((f) => validRx(f) >= 3);
    expect(validRx(data), chrony.log).toBeGreaterThanOrEqual(3);
    expect(data.get("Stratum")).toBe("3");
    expect(data.get("Reference ID")).toMatch(/^7F7F0101/);
    expect(data.get("Leap status")).toBe("Normal");
    expect(data.get("Mode")).toBe("Server");
    expect(data.get("Precision")).toMatch(new RegExp(`^${agent.clock.precisionLog2} `));
    expect(data.get("Authenticated")).toBe("No");
    // one clock on loopback: the offset chrony measures is the server's timestamp error
    expect(Math.abs(Number.parseFloat(data.get("Offset") ?? "1"))).toBeLessThan(0.002);
  });

  it("serves over IPv6", async () => {
    const { port } = await serve("ntp master 2\n", "::1");
    const chrony = client(port, undefined, "::1");
    const data = await chrony.waitFor((f) => validRx(f) >= 2);
    expect(validRx(data), chrony.log).toBeGreaterThanOrEqual(2);
    expect(data.get("Remote address")).toMatch(/^::1 /);
    expect(data.get("Stratum")).toBe("2");
  });

  it("unsynchronized server: chrony sees leap alarm and does not count it as valid", async () => {
    const { port } = await serve("ntp server 192.0.2.1\n");
    const chrony = client(port);
    const data = await chrony.waitFor((f) => Number(f.get("Total RX") ?? 0) >= 2);
    expect(Number(data.get("Total RX"))).toBeGreaterThanOrEqual(2);
    expect(data.get("Leap status")).toBe("Not synchronised");
    expect(validRx(data)).toBe(0);
  });

  it.each([
    ["md5", "MD5", "NTPKEY1", "ASCII:NTPKEY1"],
    ["sha1", "SHA1", "Sha1Secret", "ASCII:Sha1Secret"],
    ["cmac-aes-128", "AES128", "000102030405060708090A0B0C0D0E0F", "HEX:000102030405060708090A0B0C0D0E0F"],
  ])("authenticated with %s: our signed answers verify", async (iosAlgo, chronyType, secret, chronyValue) => {
    const { agent, port } = await serve(
      `ntp authentication-key 7 ${iosAlgo} ${secret}\nntp trusted-key 7\nntp authenticate\nntp master 4\n`,
    );
    const chrony = client(port, { id: 7, type: chronyType, value: chronyValue });
    const data = await chrony.waitFor((f) => validRx(f) >= 2);
    expect(validRx(data), chrony.log).toBeGreaterThanOrEqual(2);
    expect(data.get("Authenticated")).toBe("Yes");
    expect(data.get("Stratum")).toBe("4");
    expect(agent.ntp!.stats.authenticated).toBeGreaterThanOrEqual(2);
  });

  it("a wrong key gets no usable answer", async () => {
    const { agent, port } = await serve(
      "ntp authentication-key 7 md5 RIGHTKEY\nntp trusted-key 7\nntp authenticate\nntp master 4\n",
    );
    const chrony = client(port, { id: 7, type: "MD5", value: "ASCII:WRONGKEY" });
    const data = await chrony.waitFor((f) => Number(f.get("Total RX") ?? 0) >= 2, 8000);
    expect(validRx(data)).toBe(0);
    const stats = agent.ntp!.stats;
    expect(stats.badMac + stats.unknownKey).toBeGreaterThanOrEqual(1);
    expect(stats.authenticated).toBe(0);
  });

  it("an access-group denial with kod reaches the client as DENY", async () => {
    const { agent, port } = await serve(
      "access-list 5 permit 10.0.0.0 0.255.255.255\nntp access-group serve-only 5 kod\nntp master 3\n",
    );
    const chrony = client(port);
    const data = await chrony.waitFor((f) => Number(f.get("Total RX") ?? 0) >= 1, 8000);
    expect(data.get("Reference ID")).toMatch(/^44454E59/); // "DENY"
    expect(validRx(data)).toBe(0);
    expect(agent.ntp!.stats.kodSent.DENY).toBeGreaterThanOrEqual(1);
  });

  it("rate limiting answers with RATE KoD, which chronyd reports", async () => {
    const { agent, port } = await serve("ntp rate-limit interval 4 burst 1 leak 0\nntp master 3\n");
    const chrony = client(port);
    await chrony.waitFor(() => /KoD RATE/.test(chrony.log) || agent.ntp!.stats.kodSent.RATE >= 2, 10000);
    expect(agent.ntp!.stats.kodSent.RATE).toBeGreaterThanOrEqual(1);
    expect(chrony.log).toMatch(/Received KoD RATE from 127\.0\.0\.1/);
  });

  it("a configuration change applies without restart", async () => {
    const { agent, port } = await serve("ntp master 3\n");
    const session = new CliSession(agent, { name: "console", privilege: 15 });
    for (const l of ["conf t", "ntp master 6", "end"]) session.execute(l);
    const chrony = client(port);
    const data = await chrony.waitFor((f) => f.get("Stratum") === "6" && validRx(f) >= 1);
    expect(data.get("Stratum")).toBe("6");
  });
});

/**
 * The appliance end to end with the real OpenSSH client (openssh-client and sshpass, installed
 * by .ci/run): a `meridian run` daemon spawned from bin/ on loopback port 0, logged into with
 * passwords and keys, typed at keystroke by keystroke, driven as automation tools drive IOS,
 * reconfigured while an NTP client watches, saved and restarted, and guessed at.
 */
import { spawnSync } from "node:child_process";
import { createSocket } from "node:dgram";
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MORE_ERASE } from "../../src/cli/morePager.js";
import {
  Daemon,
  SSH,
  SSH_KEYGEN,
  SSHPASS,
  sshOptions,
  sshPassword,
  sshPasswordAsync,
  tempDir,
  writeTestSettings,
} from "./daemonProcess.js";
import { PtyClient } from "./ptyClient.js";

const PROMPT = /Meridian#$/;
const dirs: string[] = [];
const daemons: Daemon[] = [];
const clients: PtyClient[] = [];

async function startDaemon(dir = tempDir()): Promise<{ daemon: Daemon; dir: string; settings: string }> {
  dirs.push(dir);
  const settings = writeTestSettings(dir);
  const daemon = await Daemon.start(settings);
  daemons.push(daemon);
  return { daemon, dir, settings };
}

async function login(
  daemon: Daemon,
  user = "admin",
  password = daemon.password!,
  prompt = PROMPT,
): Promise<PtyClient> {
  const client = await PtyClient.open(daemon.sshPort, user, password, prompt);
  clients.push(client);
  return client;
}

/** One NTP client request (RFC 5905 mode 3); resolves with the stratum of the answer. */
function ntpStratum(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket("udp4");
    const request = Buffer.alloc(48);
    request[0] = (4 << 3) | 3; // LI 0, VN 4, mode 3 (client)
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error("no NTP answer"));
    }, 3000);
    socket.on("message", (msg) => {
      clearTimeout(timer);
      socket.close();
      resolve(msg[1]!);
    });
    socket.send(request, port, "127.0.0.1");
  });
}

/** `show running-config` from `version` on (the header names the last change, which a restart resets). */
function configBody(output: string): string {
  const text = output.replaceAll("\r\n", "\n");
  return text.slice(text.indexOf("\nversion "), text.indexOf("\nend\n") + 5);
}

afterEach(async () => {
  const closing = clients.splice(0);
  for (const c of closing) c.kill();
  await Promise.all(closing.map((c) => c.exited));
  await new Promise((r) => setTimeout(r, 100)); // the daemon frees their vtys
});

afterAll(async () => {
  for (const d of daemons.splice(0)) await d.stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("prerequisites", () => {
  it("OpenSSH client, sshpass and the build are installed (.ci/run installs the packages)", () => {
    for (const tool of [SSH, SSHPASS, SSH_KEYGEN]) expect(existsSync(tool), tool).toBe(true);
    expect(existsSync(new URL("../../dist/src/main.js", import.meta.url)), "run npm run build").toBe(true);
  });
});

describe("a running appliance", () => {
  let daemon: Daemon;
  let dir: string;

  beforeAll(async () => {
    ({ daemon, dir } = await startDaemon());
  });

  it("first start prints how to log in, and the printed command works", () => {
    const command = daemon.loginCommand!;
    expect(command).toBe(`ssh -p ${daemon.sshPort} admin@127.0.0.1`);
    const [, ...args] = command.split(" ");
    const r = spawnSync(
      SSHPASS,
      ["-p", daemon.password!, SSH, ...sshOptions(daemon.sshPort).slice(0, -2), ...args, "show privilege"],
      { encoding: "utf8" },
    );
    expect(r.stdout).toBe("Current privilege level is 15\n");
    expect(r.status).toBe(0);
  });

  it("stores the password only hashed, and the host key with mode 0600", () => {
    const startup = readFileSync(join(dir, "data", "startup-config"), "utf8");
    expect(startup).not.toContain(daemon.password!);
    expect(startup).toMatch(/^username admin privilege 15 secret 9 \$9\$/m);
    expect(statSync(join(dir, "data", "ssh_host_ed25519_key")).mode & 0o777).toBe(0o600);
  });

  it("show ip ssh prints the host key fingerprint the daemon logged; no SHA-1 ssh-rsa", () => {
    const fingerprint = daemon.records.find((r) => r.msg === "generated ssh host key")?.fingerprint as string;
    const r = sshPassword(daemon.sshPort, "admin", daemon.password!, "show ip ssh");
    expect(r.stdout).toContain(`Hostkey fingerprint: ${fingerprint}\n`);
    expect(r.stdout).toContain("Hostkey Algorithms:ssh-ed25519\n");
    const forced = spawnSync(
      SSHPASS,
      [
        "-p",
        daemon.password!,
        SSH,
        ...sshOptions(daemon.sshPort).map((o) => (o === "LogLevel=ERROR" ? "LogLevel=INFO" : o)),
        "-o",
        "HostKeyAlgorithms=ssh-rsa",
        "admin@127.0.0.1",
        "show clock",
      ],
      { encoding: "utf8" },
    );
    expect(forced.status).toBe(255);
    expect(forced.stderr).toMatch(/no matching host key type found\. Their offer: ssh-ed25519/);
  });

  it("exec: prints the output and exits 0; a CLI error exits non-zero", () => {
    const ok = sshPassword(daemon.sshPort, "admin", daemon.password!, "show clock");
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^[*.]?\d\d:\d\d:\d\d\.\d{3} UTC \w{3} \w{3} \d{1,2} \d{4}\n$/);
    const incomplete = sshPassword(daemon.sshPort, "admin", daemon.password!, "show ntp");
    expect(incomplete.stdout).toBe("% Incomplete command.\n\n");
    expect(incomplete.status).toBe(1);
    const invalid = sshPassword(daemon.sshPort, "admin", daemon.password!, "show clok");
    expect(invalid.stdout).toContain("% Invalid input detected at '^' marker.");
    expect(invalid.status).toBe(1);
  });

  it("a wrong password is refused and logged", async () => {
    const r = sshPassword(daemon.sshPort, "admin", "not-the-password", "show clock");
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe("");
    const failed = await daemon.waitForLog("ssh login failed");
    expect(failed).toMatchObject({ user: "admin", source: "127.0.0.1", level: 40 });
  });

  it("public-key login with a key entered as `ip ssh pubkey-chain` key-string", async () => {
    const key = join(dir, "id_ed25519");
    spawnSync(SSH_KEYGEN, ["-q", "-t", "ed25519", "-N", "", "-C", "admin@laptop", "-f", key]);
    const publicKey = readFileSync(`${key}.pub`, "utf8").trim();
    const withKey = (file: string) =>
      spawnSync(
        SSH,
        [
          ...sshOptions(daemon.sshPort),
          "-i",
          file,
          "-o",
          "IdentitiesOnly=yes",
          "-o",
          "BatchMode=yes",
          "-o",
          "PreferredAuthentications=publickey",
          "admin@127.0.0.1",
          "show privilege",
        ],
        { encoding: "utf8" },
      );
    expect(withKey(key).status).toBe(255);

    const cli = await login(daemon);
    await cli.send("configure terminal\r", /\(config\)#$/);
    await cli.send("ip ssh pubkey-chain\r", /\(conf-ssh-pubkey\)#$/);
    await cli.send("username admin\r", /\(conf-ssh-pubkey-user\)#$/);
    await cli.send("key-string\r", /\(conf-ssh-pubkey-data\)#$/);
    await cli.send(`${publicKey}\r`, /\(conf-ssh-pubkey-data\)#$/);
    await cli.send("exit\r", /\(conf-ssh-pubkey-user\)#$/);
    await cli.send("end\r", PROMPT);

    const r = withKey(key);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("Current privilege level is 15\n");
    expect(r.status).toBe(0);

    const other = join(dir, "other_key");
    spawnSync(SSH_KEYGEN, ["-q", "-t", "ed25519", "-N", "", "-f", other]);
    expect(withKey(other).status).toBe(255);
  });

  it("a pty session typed keystroke by keystroke: editing, ?, TAB, history, paging, Ctrl-C/Ctrl-Z", async () => {
    const cli = await login(daemon);
    // Insert a missed letter after moving left; Ctrl-E back to the end.
    expect(await cli.send("shw\x1b[Do\x05 privilege\r", PROMPT)).toBe(
      "shw\bow\bw privilege\r\nCurrent privilege level is 15\r\nMeridian#",
    );
    // Backspace, Ctrl-W, Ctrl-U, Ctrl-K.
    expect(await cli.send("show clockk\x7f\x17privilege\r", PROMPT)).toContain(
      "Current privilege level is 15",
    );
    expect(await cli.send("garbage\x15show privilege xyz\x1b[D\x1b[D\x1b[D\x0b\r", PROMPT)).toContain(
      "\r\nCurrent privilege level is 15\r\n",
    );
    // History: up recalls the last line.
    expect(await cli.send("\x1b[A", /show privilege $/)).toMatch(/show privilege $/);
    await cli.send("\r", PROMPT);
    // `?` answers at once and gives the line back.
    expect(await cli.send("show ntp ?", /Meridian#show ntp $/)).toBe(
      "show ntp ?\r\n  associations  NTP associations\r\n  config        NTP config\r\n  status        NTP status\r\n\r\nMeridian#show ntp ",
    );
    // Ctrl-U clears it; TAB completes.
    const erase = `${"\b".repeat(9)}${" ".repeat(9)}${"\b".repeat(9)}`;
    expect(await cli.send("\x15sh\tpriv\t", /privilege $/)).toBe(`${erase}show privilege `);
    expect(await cli.send("\r", PROMPT)).toContain("Current privilege level is 15");
    // --More--: terminal length 5 shows 4 rows a screen; Return = 1 line, Space = a screen, q stops.
    await cli.send("terminal length 5\r", PROMPT);
    const first = await cli.send("show running-config\r", / --More-- $/);
    expect(first.split("\r\n")).toEqual([
      "show running-config",
      "Building configuration...",
      "",
      expect.stringMatching(/^Current configuration : \d+ bytes$/),
      "!",
      " --More-- ",
    ]);
    const line = await cli.send("\r", / --More-- $/);
    expect(line.startsWith(MORE_ERASE)).toBe(true);
    expect(line.slice(MORE_ERASE.length)).toMatch(/^! Last configuration change at .*\r\n --More-- $/);
    expect((await cli.send(" ", / --More-- $/)).split("\r\n")).toHaveLength(5);
    expect(await cli.send("q", PROMPT)).toBe(`${MORE_ERASE}Meridian#`);
    await cli.send("terminal length 0\r", PROMPT);
    // Ctrl-C leaves config mode as on IOS; Ctrl-Z too, echoing ^Z.
    await cli.send("conf t\r", /\(config\)#$/);
    expect(await cli.send("ntp mas\x03", PROMPT)).toBe("ntp mas^C\r\nMeridian#");
    await cli.send("conf t\r", /\(config\)#$/);
    expect(await cli.send("\x1a", PROMPT)).toBe("^Z\r\nMeridian#");
    cli.type("exit\r");
    expect(await cli.exited).toBe(0);
  });

  it("automation (netmiko style): prompt by regex, terminal settings, show, config lines, end, write memory", async () => {
    const cli = await login(daemon);
    // netmiko finds the prompt by sending a bare return and reading the last line.
    expect(await cli.send("\n", /\r\n(\S+)#$/)).toBe("\r\nMeridian#");
    expect(await cli.send("terminal width 511\n", PROMPT)).toBe("terminal width 511\r\nMeridian#");
    expect(await cli.send("terminal length 0\n", PROMPT)).toBe("terminal length 0\r\nMeridian#");
    expect(await cli.send("show ip ssh\n", PROMPT)).toMatch(
      /^show ip ssh\r\nSSH Enabled - version 2\.0\r\n(.*\r\n)+Meridian#$/,
    );
    expect(await cli.send("configure terminal\n", /\(config\)#$/)).toBe(
      "configure terminal\r\nEnter configuration commands, one per line.  End with CNTL/Z.\r\nMeridian(config)#",
    );
    // Lines sent back to back, as send_config_set writes them.
    cli.type("ntp server 192.0.2.10\nlogging buffered 32768\nend\n");
    expect(await cli.expect(/\r\nMeridian#$/)).toBe(
      "ntp server 192.0.2.10\r\nMeridian(config)#logging buffered 32768\r\nMeridian(config)#end\r\nMeridian#",
    );
    expect(await cli.send("write memory\n", PROMPT)).toBe(
      "write memory\r\nBuilding configuration...\r\n[OK]\r\nMeridian#",
    );
    expect(await cli.send("show running-config | include ntp server\n", PROMPT)).toBe(
      "show running-config | include ntp server\r\nntp server 192.0.2.10\r\nMeridian#",
    );
  });

  it("a configuration change takes effect at once: an NTP client sees the new stratum; terminal monitor shows CONFIG_I", async () => {
    expect(await ntpStratum(daemon.ntpPort)).toBe(8); // default `ntp master`
    const watcher = await login(daemon);
    await watcher.send("terminal monitor\r", PROMPT);
    const cli = await login(daemon);
    await cli.send("conf t\r", /\(config\)#$/);
    await cli.send("ntp master 5\r", /\(config\)#$/);
    expect(await ntpStratum(daemon.ntpPort)).toBe(5);
    await cli.send("end\r", PROMPT);
    const seen = await watcher.expect(/%SYS-5-CONFIG_I: .*\r\nMeridian#$/);
    expect(seen).toMatch(
      /\r\n[*.]?\w{3} [ \d]\d \d\d:\d\d:\d\d\.\d{3}: %SYS-5-CONFIG_I: Configured from console by admin on vty\d \(127\.0\.0\.1\)\r\nMeridian#$/,
    );
  });

  it("enable with the enable secret lifts a privilege-1 user to #", async () => {
    const cli = await login(daemon);
    await cli.send("conf t\r", /\(config\)#$/);
    await cli.send("username oper secret 0 oper-pw\r", /\(config\)#$/);
    await cli.send("enable secret 0 enable-pw\r", /\(config\)#$/);
    await cli.send("end\r", PROMPT);
    const oper = await login(daemon, "oper", "oper-pw", /Meridian>$/);
    expect(await oper.send("enable\r", /Password: $/)).toBe("enable\r\nPassword: ");
    expect(await oper.send("enable-pw\r", PROMPT)).toBe("\r\nMeridian#");
    expect(await oper.send("show privilege\r", PROMPT)).toContain("Current privilege level is 15");
  });

  it("line vty 0 4 bounds concurrent sessions", async () => {
    const open = await Promise.all([1, 2, 3, 4, 5].map(() => login(daemon)));
    expect(open).toHaveLength(5);
    const sixth = await sshPasswordAsync(daemon.sshPort, "admin", daemon.password!, "show clock");
    expect(sixth.status).toBe(255);
    await daemon.waitForRecords((r) => r.msg === "ssh connection refused" && r.reason === "no free vty");
    open[0]!.type("exit\r");
    await open[0]!.exited;
    await new Promise((r) => setTimeout(r, 100));
    expect(sshPassword(daemon.sshPort, "admin", daemon.password!, "show clock").status).toBe(0);
  });

  it("exec-timeout disconnects an idle session; access-class refuses other sources", async () => {
    // Several lines in one exec request (a Meridian extension), so no session of ours idles out.
    const configure = (...lines: string[]) =>
      sshPassword(
        daemon.sshPort,
        "admin",
        daemon.password!,
        ["configure terminal", ...lines, "end"].join("\n"),
      );
    expect(configure("line vty 0 4", "exec-timeout 0 2").status).toBe(0);
    const idle = await login(daemon);
    const started = Date.now();
    expect(await idle.exited).toBe(0);
    expect(Date.now() - started).toBeGreaterThan(1500);
    expect(configure("line vty 0 4", "exec-timeout 10 0").status).toBe(0);

    const cli = await login(daemon);
    await cli.send("conf t\r", /\(config\)#$/);
    await cli.send("access-list 10 permit 192.0.2.0 0.0.0.255\r", /\(config\)#$/);
    await cli.send("line vty 0 4\r", /\(config-line\)#$/);
    await cli.send("access-class 10 in\r", /\(config-line\)#$/);
    await cli.send("end\r", PROMPT);
    expect(sshPassword(daemon.sshPort, "admin", daemon.password!, "show clock").status).toBe(255);
    await daemon.waitForRecords((r) => r.msg === "ssh connection refused" && r.reason === "access-class 10");
    await cli.send("conf t\r", /\(config\)#$/);
    await cli.send("access-list 10 permit 127.0.0.1\r", /\(config\)#$/);
    await cli.send("end\r", PROMPT);
    expect(sshPassword(daemon.sshPort, "admin", daemon.password!, "show clock").status).toBe(0);
  });
});

describe("saving and restarting", () => {
  it("write memory, SIGTERM, start again: the same running-config, no new password", async () => {
    const { daemon, settings } = await startDaemon();
    const password = daemon.password!;
    const cli = await login(daemon);
    await cli.send("terminal length 0\r", PROMPT);
    await cli.send("conf t\r", /\(config\)#$/);
    for (const line of [
      "hostname Lab7",
      "ntp server 192.0.2.1 iburst",
      "ntp master 4",
      "clock timezone CET 1 0",
    ])
      await cli.send(`${line}\r`, /\(config\)#$/);
    await cli.send("end\r", /Lab7#$/);
    await cli.send("write memory\r", /\[OK\]\r\nLab7#$/);
    const before = configBody(await cli.send("show running-config\r", /\nend\r\nLab7#$/));
    expect(before).toContain("\nhostname Lab7\n");

    expect(await daemon.signal("SIGTERM")).toBe(0);
    expect(daemon.records.map((r) => r.msg)).toEqual(expect.arrayContaining(["shutting down", "stopped"]));

    const again = await Daemon.start(settings);
    daemons.push(again);
    expect(again.password).toBeUndefined();
    expect(again.records.find((r) => r.msg === "startup-config loaded")?.diagnostics).toBe(0);
    const cli2 = await login(again, "admin", password, /Lab7#$/);
    await cli2.send("terminal length 0\r", /Lab7#$/);
    const after = configBody(await cli2.send("show running-config\r", /\nend\r\nLab7#$/));
    expect(after).toBe(before);
    expect(await ntpStratum(again.ntpPort)).toBe(4);
  });

  it("a startup-config with bad lines loads the good ones and logs the bad", async () => {
    const dir = tempDir();
    const { daemon } = await startDaemon(dir);
    const password = daemon.password!;
    await daemon.stop();
    const file = join(dir, "data", "startup-config");
    const text = readFileSync(file, "utf8").replace("ntp master\n", "ntp mastr 3\nntp master 6\n");
    writeFileSync(file, text);
    const again = await Daemon.start(join(dir, "settings.yaml"));
    daemons.push(again);
    const bad = again.records.find((r) => r.level === 40 && String(r.msg).startsWith("startup-config:"));
    expect(bad?.msg).toBe("startup-config:18:9: Invalid input detected");
    expect(await ntpStratum(again.ntpPort)).toBe(6);
    expect(sshPassword(again.sshPort, "admin", password, "show clock").status).toBe(0);
  });

  it("SIGHUP re-reads the settings: a broken file is reported and changes nothing; a new log level applies", async () => {
    const { daemon, settings } = await startDaemon();
    writeFileSync(settings, `${readFileSync(settings, "utf8")}\nbogus: 1\n`);
    daemon.child.kill("SIGHUP");
    const error = await daemon.waitForLog(
      `settings not reloaded: ${settings}: bogus: unknown setting (expected one of: dataDir, listen, console, log)`,
    );
    expect(error.level).toBe(50);
    expect(sshPassword(daemon.sshPort, "admin", daemon.password!, "show clock").status).toBe(0);
    await daemon.waitForLog("ssh login");

    writeFileSync(
      settings,
      readFileSync(settings, "utf8").replace("bogus: 1", "").replace("level: info", "level: warn"),
    );
    daemon.child.kill("SIGHUP");
    expect((await daemon.waitForLog("settings reloaded")).level).toBe(30);
    const logins = daemon.records.filter((r) => r.msg === "ssh login").length;
    expect(sshPassword(daemon.sshPort, "admin", daemon.password!, "show clock").status).toBe(0);
    expect(sshPassword(daemon.sshPort, "admin", "wrong", "show clock").status).not.toBe(0);
    await daemon.waitForLog("ssh login failed");
    expect(daemon.records.filter((r) => r.msg === "ssh login")).toHaveLength(logins);
  });
});

describe("password guessing", () => {
  it("login block-for: quiet mode refuses even the right password", async () => {
    const { daemon } = await startDaemon();
    const cli = await login(daemon);
    await cli.send("terminal monitor\r", PROMPT);
    await cli.send("conf t\r", /\(config\)#$/);
    await cli.send("login block-for 30 attempts 3 within 60\r", /\(config\)#$/);
    await cli.send("end\r", PROMPT);
    for (let i = 0; i < 3; i++)
      expect(sshPassword(daemon.sshPort, "admin", `guess${i}`, "show clock").status).not.toBe(0);
    await cli.expect(/%SEC_LOGIN-1-QUIET_MODE_ON: .*\[user: admin\] \[Source: 127\.0\.0\.1\]/);
    expect(sshPassword(daemon.sshPort, "admin", daemon.password!, "show clock").status).toBe(255);
    await daemon.waitForRecords((r) => r.msg === "ssh login failed", 3);
    await daemon.waitForRecords((r) => r.msg === "ssh connection refused" && r.reason === "login blocked");
  });

  it("without login block-for, a default blocks a source after 10 failures", async () => {
    const { daemon } = await startDaemon();
    for (let i = 0; i < 10; i++)
      expect(sshPassword(daemon.sshPort, "admin", `guess${i}`, "show clock").status).not.toBe(0);
    expect(sshPassword(daemon.sshPort, "admin", daemon.password!, "show clock").status).toBe(255);
  });
});

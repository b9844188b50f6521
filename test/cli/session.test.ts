import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OfflineAppliance } from "../../src/cli/appliance.js";
import { MemoryStartupStore } from "../../src/config/startupStore.js";
import { decodeType7 } from "../../src/config/type7.js";
import { newSession, transcript } from "./transcript.js";

describe("modes and prompts (ios-cli.md §3.1)", () => {
  it("configure terminal, submodes, exit, end, hostname changes the prompt at once", () => {
    const s = newSession();
    expect(
      transcript(s, [
        "conf t",
        "hostname R3",
        "line vty 0 4",
        "exit",
        "crypto pki trustpoint TP",
        "end",
        "disable",
        "enable",
      ]),
    ).toBe(
      [
        "Router#conf t",
        "Enter configuration commands, one per line.  End with CNTL/Z.",
        "Router(config)#hostname R3",
        "R3(config)#line vty 0 4",
        "R3(config-line)#exit",
        "R3(config)#crypto pki trustpoint TP",
        "R3(ca-trustpoint)#end",
        "R3#disable",
        "R3>enable",
      ].join("\n"),
    );
    expect(s.prompt()).toBe("R3#");
  });

  it("a global command in a submode falls through to global config", () => {
    const s = newSession();
    transcript(s, ["conf t", "line vty 0 4", "ntp master 3"]);
    expect(s.prompt()).toBe("Router(config)#");
    expect(s.appliance.config.ntp.master).toBe(3);
  });

  it("do runs EXEC commands from config modes", () => {
    const s = newSession();
    const t = transcript(s, ["conf t", "ntp server 10.0.0.1", "do show ntp config"]);
    expect(t.split("\n").at(-1)).toBe("ntp server 10.0.0.1");
  });

  it("leaving config mode announces the change", () => {
    const a = new OfflineAppliance();
    const s = newSession(15, a);
    transcript(s, ["conf t", "end"]);
    expect(a.events).toContain("%SYS-5-CONFIG_I: Configured from console by console");
  });
});

describe("IOS errors with the caret under the right column (§3.2)", () => {
  it("invalid input counts the prompt", () => {
    const s = newSession();
    transcript(s, ["conf t", "hostname R3", "end"]);
    expect(transcript(s, ["conft t"])).toBe(
      ["R3#conft t", "       ^", "% Invalid input detected at '^' marker.", ""].join("\n"),
    );
  });
  it("config-mode caret", () => {
    const s = newSession();
    transcript(s, ["conf t"]);
    expect(transcript(s, ["ntp mastr 3"])).toBe(
      [
        "Router(config)#ntp mastr 3",
        "                       ^",
        "% Invalid input detected at '^' marker.",
        "",
      ].join("\n"),
    );
  });
  it("incomplete, ambiguous, unknown EXEC word", () => {
    const s = newSession();
    expect(transcript(s, ["show ntp"])).toBe("Router#show ntp\n% Incomplete command.\n");
    expect(transcript(s, ["c"])).toBe('Router#c\n% Ambiguous command:  "c"');
    expect(transcript(s, ["lkqjsd"])).toBe(
      'Router#lkqjsd\nTranslating "lkqjsd"\n% Unknown command or computer name, or unable to find computer address',
    );
  });
  it("show in config mode without do is invalid", () => {
    const s = newSession();
    transcript(s, ["conf t"]);
    expect(transcript(s, ["show clock"])[0]).toBeDefined();
    expect(s.execute("show clock")).toContain("% Invalid input detected at '^' marker.");
  });
});

describe("pipes (§3.3)", () => {
  it("include, exclude, begin, count, section", () => {
    const s = newSession();
    transcript(s, ["conf t", "ntp master 3", "ntp server 10.0.0.1", "line vty 0 4", "login local", "end"]);
    expect(s.execute("show running-config | include ntp")).toEqual(["ntp master 3", "ntp server 10.0.0.1"]);
    expect(s.execute("sh run | count ^ntp")).toEqual(["Number of lines which match regexp = 2"]);
    expect(s.execute("sh run | section line vty")).toEqual(["line vty 0 4", " login local"]);
    expect(s.execute("sh run | begin ^ntp")).toEqual(["ntp master 3", "ntp server 10.0.0.1", "!", "end"]);
    expect(s.execute("sh run | exclude .")).toEqual([""]);
  });
  it("a bare pipe is incomplete; a pipe after a non-show command is invalid", () => {
    const s = newSession();
    expect(s.execute("show clock |")).toEqual(["% Incomplete command.", ""]);
    expect(s.execute("disable | include x")).toContain("% Invalid input detected at '^' marker.");
  });
});

describe("privilege", () => {
  it("level 1 cannot configure; enable with enable secret", () => {
    const a = new OfflineAppliance();
    const admin = newSession(15, a);
    transcript(admin, ["conf t", "enable secret s3cret", "end"]);
    const user = newSession(1, a);
    expect(user.prompt()).toBe("Router>");
    expect(user.execute("configure terminal")).toContain("% Invalid input detected at '^' marker.");
    expect(transcript(user, ["enable", "wrong", "s3cret"])).toBe(
      ["Router>enable", "Password: ", "Password: "].join("\n"),
    );
    expect(user.prompt()).toBe("Router#");
  });
  it("three bad enable secrets", () => {
    const a = new OfflineAppliance();
    transcript(newSession(15, a), ["conf t", "enable secret s3cret", "end"]);
    const user = newSession(1, a);
    expect(transcript(user, ["enable", "a", "b", "c"])).toContain("% Bad secrets");
    expect(user.prompt()).toBe("Router>");
  });
});

describe("write memory and startup-config", () => {
  it("write memory stores what show startup-config prints", () => {
    const store = new MemoryStartupStore();
    const s = newSession(15, new OfflineAppliance(store));
    expect(transcript(s, ["conf t", "hostname R1", "ntp master", "end", "write memory"])).toContain(
      "R1#write memory\nBuilding configuration...\n[OK]",
    );
    const startup = s.execute("show startup-config");
    expect(startup[0]).toMatch(/^Using \d+ out of 33554432 bytes$/);
    expect(startup).toContain("hostname R1");
    expect(startup).toContain("ntp master");
  });
  it("copy running-config startup-config asks for the destination", () => {
    const store = new MemoryStartupStore();
    const s = newSession(15, new OfflineAppliance(store));
    expect(transcript(s, ["copy running-config startup-config", ""])).toBe(
      [
        "Router#copy running-config startup-config",
        "Destination filename [startup-config]? ",
        "Building configuration...",
        "[OK]",
      ].join("\n"),
    );
    expect(store.read()).toContain("hostname Router");
  });
});

describe("passwords held in clear, printed as type 7", () => {
  it("service password-encryption prints a line password as the type-7 of its clear text", () => {
    const s = newSession();
    transcript(s, [
      "conf t",
      "line vty 0 4",
      "password letmein",
      "exit",
      "service password-encryption",
      "end",
    ]);
    const line = s.execute("show running-config | include password 7")[0] ?? "";
    const encoded = line.trim().split(" ")[2] ?? "";
    expect(decodeType7(encoded)).toEqual({ ok: true, value: "letmein" });
  });
  it("enable checks a type-7 enable password", () => {
    const a = new OfflineAppliance();
    transcript(newSession(15, a), ["conf t", "enable password 7 0822455D0A16", "end"]);
    const user = newSession(1, a);
    transcript(user, ["enable", "cisco"]);
    expect(user.prompt()).toBe("Router#");
  });
});

describe("crypto pki authenticate (interactive dialog, ios-cli.md §2.11)", () => {
  it("pastes a CA certificate, shows its fingerprints, stores it on yes", () => {
    const pem = readFileSync(new URL("../fixtures/pki/root.pem", import.meta.url), "utf8")
      .trim()
      .split("\n");
    const a = new OfflineAppliance();
    const s = newSession(15, a);
    transcript(s, ["conf t", "crypto pki trustpoint CA1", "enrollment terminal", "exit"]);
    const out = transcript(s, ["crypto pki authenticate CA1", ...pem, "", "yes"]);
    expect(out).toContain("Enter the base 64 encoded CA certificate.");
    expect(out).toMatch(/Fingerprint MD5: [0-9A-F]{8} /);
    expect(out).toContain("% Do you accept this certificate? [yes/no]: yes");
    expect(out).toContain("Trustpoint CA certificate accepted.\n% Certificate successfully imported");
    expect(s.prompt()).toBe("Router(config)#");
    expect(s.execute("do show running-config | include certificate ca")).toHaveLength(1);
    expect(a.syslog.status().buffer.lines.some((l) => l.includes("%PKI-4-NOCONFIGAUTOSAVE"))).toBe(true);
  });
});

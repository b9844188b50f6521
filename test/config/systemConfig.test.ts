import { describe, expect, it } from "vitest";
import {
  renderClock,
  renderDomain,
  renderEnable,
  renderHostname,
  renderServiceLines,
  renderUsers,
} from "../../src/config/areas/systemConfig.js";
import { emptyConfig, type RunningConfig } from "../../src/config/model.js";
import { hashSecret, verifySecret } from "../../src/config/secretHash.js";
import { encodeType7 } from "../../src/config/type7.js";
import { US_SUMMER_RULE } from "../../src/services/clock/timeZone.js";
import { applyLine, configOf } from "../fixtures/handlerHarness.js";

const apply = applyLine;

function renderSystem(c: RunningConfig): string[] {
  return [
    ...renderServiceLines(c),
    ...renderHostname(c),
    ...renderEnable(c),
    ...renderClock(c),
    ...renderDomain(c),
    ...renderUsers(c),
  ];
}

describe("hostname and domain name", () => {
  it("sets, renders and resets the hostname", () => {
    const c = configOf("hostname rtr01");
    expect(renderHostname(c)).toEqual(["hostname rtr01"]);
    apply(c, "no hostname");
    expect(renderHostname(c)).toEqual(["hostname Router"]);
  });

  it("rejects characters a hostname cannot hold", () => {
    const c = emptyConfig();
    expect(apply(c, "hostname bad!name").error).toBe("% Hostname contains one or more illegal characters.");
    expect(c.hostname).toBe("Router");
  });

  it("accepts both domain forms and prints the IOS XE one", () => {
    expect(renderDomain(configOf("ip domain-name lab.example"))).toEqual(["ip domain name lab.example"]);
    const c = configOf("ip domain name corp.example");
    expect(renderDomain(c)).toEqual(["ip domain name corp.example"]);
    apply(c, "no ip domain name");
    expect(renderDomain(c)).toEqual([]);
  });
});

describe("service lines", () => {
  it("prints the factory timestamps and no password-encryption by default", () => {
    expect(renderServiceLines(emptyConfig())).toEqual([
      "service timestamps debug datetime msec",
      "service timestamps log datetime msec",
      "no service password-encryption",
    ]);
  });

  it("reads bare `service timestamps` as debug uptime and a bare target as uptime", () => {
    expect(renderServiceLines(configOf("service timestamps")).slice(0, 2)).toEqual([
      "service timestamps debug uptime",
      "service timestamps log datetime msec",
    ]);
    expect(renderServiceLines(configOf("service timestamps log"))[1]).toBe("service timestamps log uptime");
  });

  it("accepts the datetime keywords in any order and prints them in nvgen order", () => {
    const c = configOf("service timestamps log datetime year show-timezone localtime msec");
    expect(renderServiceLines(c)[1]).toBe(
      "service timestamps log datetime msec localtime show-timezone year",
    );
    expect(configOf("serv timest log dat ms loc").timestampsLog).toEqual({
      kind: "datetime",
      msec: true,
      localtime: true,
      showTimezone: false,
      year: false,
    });
  });

  it("replaces the setting on re-entry", () => {
    const c = configOf(
      "service timestamps log datetime msec localtime",
      "service timestamps log datetime year",
    );
    expect(renderServiceLines(c)[1]).toBe("service timestamps log datetime year");
  });

  it("prints a disabled target explicitly", () => {
    const c = configOf("no service timestamps log", "no service timestamps");
    expect(c.timestampsLog).toBeNull();
    expect(renderServiceLines(c).slice(0, 2)).toEqual([
      "no service timestamps debug",
      "no service timestamps log",
    ]);
  });

  it("puts sequence-numbers after password-encryption", () => {
    const c = configOf("service sequence-numbers", "service password-encryption");
    expect(renderServiceLines(c).slice(2)).toEqual([
      "service password-encryption",
      "service sequence-numbers",
    ]);
    apply(c, "no service sequence-numbers");
    apply(c, "no service password-encryption");
    expect(renderServiceLines(c).slice(2)).toEqual(["no service password-encryption"]);
  });
});

describe("clock timezone", () => {
  it("always prints the minutes (IOS 15.x / XE)", () => {
    expect(renderClock(configOf("clock timezone PST -8"))).toEqual(["clock timezone PST -8 0"]);
    expect(renderClock(configOf("clock timezone IST 5 30"))).toEqual(["clock timezone IST 5 30"]);
  });

  it("keeps the sign of a negative zero hour", () => {
    const c = configOf("clock timezone NST -0 30");
    expect(renderClock(c)).toEqual(["clock timezone NST -0 30"]);
    expect(renderClock(configOf(...renderClock(c)))).toEqual(["clock timezone NST -0 30"]);
  });

  it("replaces on re-entry and goes back to UTC with `no`", () => {
    const c = configOf("clock timezone CET 1", "clock timezone JST 9 0");
    expect(c.timezone).toEqual({ name: "JST", hoursOffset: 9, minutesOffset: 0 });
    apply(c, "no clock timezone");
    expect(c.timezone).toBeUndefined();
    expect(renderClock(c)).toEqual([]);
  });
});

describe("clock summer-time", () => {
  it("uses the US rule for bare `recurring` and prints it bare", () => {
    const c = configOf("clock summer-time EDT recurring");
    expect(c.summerTime).toEqual({ kind: "recurring", name: "EDT", ...US_SUMMER_RULE, offsetMinutes: 60 });
    expect(renderClock(c)).toEqual(["clock summer-time EDT recurring"]);
  });

  it("reproduces the CEST sample lines of ios-cli.md §1.6", () => {
    const rule = "clock summer-time CEST recurring last Sun Mar 2:00 last Sun Oct 3:00";
    const c = configOf("clock timezone CET 1 0", rule);
    expect(c.summerTime).toEqual({
      kind: "recurring",
      name: "CEST",
      start: { week: "last", weekday: 0, month: 2, hour: 2, minute: 0 },
      end: { week: "last", weekday: 0, month: 9, hour: 3, minute: 0 },
      offsetMinutes: 60,
    });
    expect(renderClock(c)).toEqual(["clock timezone CET 1 0", rule]);
    expect(renderClock(configOf("clock summer-time CEST recurring"))).toEqual([
      "clock summer-time CEST recurring",
    ]);
  });

  it("keeps a spelled-out US rule spelled out (the CDT sample)", () => {
    const line = "clock summer-time CDT recurring 2 Sun Mar 2:00 1 Sun Nov 2:00";
    expect(renderClock(configOf(line))).toEqual([line]);
  });

  it("normalises names, week keywords and times", () => {
    const c = configOf("clock summer-time AEDT recurring fir sunday october 02:00 first SUN apr 03:00 30");
    expect(renderClock(c)).toEqual(["clock summer-time AEDT recurring 1 Sun Oct 2:00 1 Sun Apr 3:00 30"]);
  });

  it("accepts the date form day-first or month-first and prints it month-first", () => {
    const expected = ["clock summer-time X date Mar 8 2026 2:00 Nov 1 2026 2:00"];
    expect(renderClock(configOf("clock summer-time X date 8 March 2026 2:00 1 nov 2026 2:00"))).toEqual(
      expected,
    );
    expect(renderClock(configOf("clock summer-time X date Mar 8 2026 2:00 Nov 1 2026 2:00"))).toEqual(
      expected,
    );
    expect(renderClock(configOf("clock summer-time X date Mar 8 2026 2:00 1 Nov 2026 2:00 90"))).toEqual([
      "clock summer-time X date Mar 8 2026 2:00 Nov 1 2026 2:00 90",
    ]);
  });

  it("rejects a day the month does not have", () => {
    const c = emptyConfig();
    expect(apply(c, "clock summer-time X date 30 Feb 2026 2:00 1 Nov 2026 2:00").error).toBe(
      "% Invalid start date: Feb 30 2026",
    );
    expect(apply(c, "clock summer-time X date 1 Mar 2026 2:00 31 Nov 2026 2:00").error).toBe(
      "% Invalid end date: Nov 31 2026",
    );
    expect(c.summerTime).toBeUndefined();
    expect(apply(c, "clock summer-time X date 29 Feb 2028 2:00 1 Nov 2028 2:00").error).toBeUndefined();
  });

  it("is replaced on re-entry and removed with `no`", () => {
    const c = configOf(
      "clock summer-time EDT recurring",
      "clock summer-time CEST recurring last Sun Mar 2:00 last Sun Oct 3:00",
    );
    expect(renderClock(c)).toEqual(["clock summer-time CEST recurring last Sun Mar 2:00 last Sun Oct 3:00"]);
    apply(c, "no clock summer-time");
    expect(c.summerTime).toBeUndefined();
    expect(c.summerTimeBareRecurring).toBeUndefined();
  });

  it("prints clock calendar-valid", () => {
    const c = configOf("clock calendar-valid");
    expect(renderClock(c)).toEqual(["clock calendar-valid"]);
    apply(c, "no clock calendar-valid");
    expect(renderClock(c)).toEqual([]);
  });
});

describe("enable secret and password", () => {
  it("hashes a plaintext secret to type 9", () => {
    const c = configOf("enable secret s3cr3t pass");
    expect(c.enableSecret?.type).toBe(9);
    expect(verifySecret({ type: 9, value: c.enableSecret!.value }, "s3cr3t pass")).toBe(true);
    expect(renderEnable(c)).toEqual([`enable secret 9 ${c.enableSecret!.value}`]);
    expect(configOf("enable secret 0 cisco").enableSecret?.type).toBe(9);
  });

  it("stores a well-formed hash as typed and rejects a malformed one", () => {
    const hash5 = hashSecret(5, "cisco", "Q3r2");
    expect(renderEnable(configOf(`enable secret 5 ${hash5}`))).toEqual([`enable secret 5 ${hash5}`]);
    const c = emptyConfig();
    const { error } = apply(c, "enable secret 9 $9$tooshort$abc");
    expect(error).toMatch(/^% Invalid encrypted secret: not a type 9 string/);
    expect(c.enableSecret).toBeUndefined();
    expect(apply(c, "enable secret 7 0822455D0A16").error).toBe("% Invalid encryption type: 7");
  });

  it("keeps an enable password beside the secret", () => {
    const c = configOf("enable password cisco", "enable secret 5 $1$Q3r2$4mjNFABeL9Jsej1xOhanS/");
    expect(renderEnable(c)).toEqual([
      "enable secret 5 $1$Q3r2$4mjNFABeL9Jsej1xOhanS/",
      "enable password 0 cisco",
    ]);
    apply(c, "no enable secret");
    expect(renderEnable(c)).toEqual(["enable password 0 cisco"]);
    apply(c, "no enable password");
    expect(renderEnable(c)).toEqual([]);
  });

  it("decodes a type 7 enable password and keeps it type 7", () => {
    const c = configOf("enable password 7 0822455D0A16");
    expect(c.enablePassword).toEqual({ type: 7, value: "cisco", encoded: "0822455D0A16" });
    // a pasted type-7 text is printed back as it was entered
    expect(renderEnable(c)).toEqual(["enable password 7 0822455D0A16"]);
  });

  it("supports level 15 only", () => {
    expect(configOf("enable secret level 15 x").enableSecret?.type).toBe(9);
    expect(apply(emptyConfig(), "enable secret level 5 x").error).toBe(
      "% Enable secret for level 5 is not supported",
    );
  });
});

describe("username", () => {
  it("hashes a plaintext secret to type 9 and omits privilege 1", () => {
    const c = configOf("username admin secret cisco 123");
    const user = c.users.get("admin")!;
    expect(user.privilege).toBe(1);
    expect(user.secret?.type).toBe(9);
    expect(verifySecret({ type: 9, value: user.secret!.value }, "cisco 123")).toBe(true);
    expect(renderUsers(c)).toEqual([`username admin secret 9 ${user.secret!.value}`]);
  });

  it("hashes with the algorithm named by algorithm-type", () => {
    const c = configOf(
      "username a algorithm-type md5 secret pw",
      "username b algorithm-type sha256 secret pw",
    );
    const a = c.users.get("a")!.secret!;
    const b = c.users.get("b")!.secret!;
    expect([a.type, b.type]).toEqual([5, 8]);
    expect(verifySecret({ type: 5, value: a.value }, "pw")).toBe(true);
    expect(verifySecret({ type: 8, value: b.value }, "pw")).toBe(true);
  });

  it("takes a typed hash after checking its shape", () => {
    const hash9 = hashSecret(9, "pw", "abcdefghijklmn");
    const c = configOf(`username admin privilege 15 secret 9 ${hash9}`);
    expect(renderUsers(c)).toEqual([`username admin privilege 15 secret 9 ${hash9}`]);
    const bad = emptyConfig();
    const { error } = apply(bad, `username admin secret 9 ${hash9.slice(0, -1)}`);
    expect(error).toMatch(/^% Invalid encrypted secret: /);
    expect(bad.users.size).toBe(0);
  });

  it("prints passwords in clear until password-encryption is on, then type 7 for good", () => {
    const c = configOf("username cisco privilege 15 password 0 cisco", "username bob password hunter2");
    expect(renderUsers(c)).toEqual([
      "username cisco privilege 15 password 0 cisco",
      "username bob password 0 hunter2",
    ]);
    apply(c, "service password-encryption");
    const encrypted = [
      `username cisco privilege 15 password 7 ${encodeType7("cisco")}`,
      `username bob password 7 ${encodeType7("hunter2")}`,
    ];
    expect(renderUsers(c)).toEqual(encrypted);
    apply(c, "no service password-encryption");
    expect(renderUsers(c)).toEqual(encrypted);
    apply(c, "username carol password pw");
    expect(renderUsers(c)[2]).toBe("username carol password 0 pw");
  });

  it("encrypts passwords typed while password-encryption is on", () => {
    const c = configOf(
      "service password-encryption",
      "username bob password hunter2",
      "enable password cisco",
    );
    expect(c.users.get("bob")!.password).toEqual({ type: 7, value: "hunter2" });
    expect(c.enablePassword).toEqual({ type: 7, value: "cisco" });
  });

  it("decodes type 7 passwords and rejects bad ones", () => {
    const c = configOf("username cisco password 7 0822455D0A16");
    expect(c.users.get("cisco")!.password).toEqual({ type: 7, value: "cisco", encoded: "0822455D0A16" });
    expect(apply(c, "username x password 7 1X22").error).toMatch(/^% Invalid encrypted password: /);
    expect(apply(c, "username x password 5 abc").error).toBe("% Invalid encryption type: 5");
    expect(c.users.has("x")).toBe(false);
  });

  it("supports nopassword", () => {
    expect(renderUsers(configOf("username x nopassword", "username y privilege 15 nopassword"))).toEqual([
      "username x nopassword",
      "username y privilege 15 nopassword",
    ]);
  });

  it("replaces an entry on re-entry, keeping its place, and removes it with `no`", () => {
    const c = configOf(
      "username a privilege 15 password 0 one",
      "username b nopassword",
      "username a password 0 two",
    );
    expect(renderUsers(c)).toEqual(["username a password 0 two", "username b nopassword"]);
    apply(c, "no username a");
    expect(renderUsers(c)).toEqual(["username b nopassword"]);
    expect(apply(c, "no username nobody").error).toBeUndefined();
  });
});

describe("render -> parse -> render", () => {
  it("gives the same text and the same configuration for a rich config", () => {
    const original = configOf(
      "service timestamps debug uptime",
      "service timestamps log datetime msec localtime show-timezone year",
      "service sequence-numbers",
      "hostname edge-01",
      "enable secret 0 topsecret",
      "enable password 7 0822455D0A16",
      "clock timezone CET 1",
      "clock summer-time CEST recurring last Sun Mar 2:00 last Sun Oct 3:00 30",
      "clock calendar-valid",
      "ip domain-name lab.example",
      "username admin privilege 15 secret pw",
      "username md5user algorithm-type md5 secret pw",
      "username cisco privilege 15 password 0 cisco",
      "username ops privilege 0 password 7 0822455D0A16",
      "username guest nopassword",
    );
    const text = renderSystem(original);
    const reparsed = configOf(...text);
    expect(renderSystem(reparsed)).toEqual(text);
    expect(reparsed).toEqual(original);
  });

  it("round-trips the date form and the bare recurring form", () => {
    for (const lines of [
      ["clock summer-time X date 8 Mar 2026 2:00 1 Nov 2026 3:30 45"],
      ["clock timezone EST -5", "clock summer-time EDT recurring"],
      ["service password-encryption", "username u password pw", "no service timestamps log"],
    ]) {
      const original = configOf(...lines);
      const reparsed = configOf(...renderSystem(original));
      expect(renderSystem(reparsed)).toEqual(renderSystem(original));
      // the re-parsed model also remembers the type-7 texts it read; the meaning is the same
      expect(
        JSON.parse(
          JSON.stringify(reparsed, (k, v) => (k === "encoded" ? undefined : v instanceof Map ? [...v] : v)),
        ),
      ).toEqual(JSON.parse(JSON.stringify(original, (_k, v) => (v instanceof Map ? [...v] : v))));
    }
  });
});

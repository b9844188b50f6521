import { describe, expect, it } from "vitest";
import {
  aclPermits,
  canonicalInterfaceName,
  parsePublicKeyText,
  renderInterfaces,
  renderIpSsh,
  renderLines,
  renderLoginBlock,
  renderNamedAcls,
  renderNumberedAcls,
} from "../../src/config/areas/accessConfig.js";
import { emptyConfig, type RunningConfig } from "../../src/config/model.js";
import { decodeType7 } from "../../src/config/type7.js";
import { HandlerHarness } from "../fixtures/handlerHarness.js";
import {
  ECDSA_P256_KEY,
  ECDSA_P384_KEY,
  ED25519_KEY,
  RSA_KEY,
  type SshKeyFixture,
} from "../fixtures/sshKeys.js";

function access(config: RunningConfig = emptyConfig()): HandlerHarness {
  return new HandlerHarness(config);
}

function configured(lines: string): HandlerHarness {
  const h = access();
  h.applyAll(lines.trim().split("\n"));
  return h;
}

function vty(h: HandlerHarness, first = 0, last = 4) {
  return h.config.lines.find((l) => l.kind === "vty" && l.first === first && l.last === last);
}

/** The MD5 `ssh-keygen -E md5 -l` prints, as IOS writes it in `key-hash`. */
function iosHash(key: SshKeyFixture): string {
  return key.md5Fingerprint.replaceAll(":", "").toUpperCase();
}

function base64Of(key: SshKeyFixture): string {
  return key.openssh.split(" ")[1] ?? "";
}

/** IOS-style paste: bare base64 cut into lines of `width` characters. */
function wrapped(text: string, width: number): string[] {
  return text.match(new RegExp(`.{1,${width}}`, "g")) ?? [];
}

/** Everything this area prints, in running-config order. */
function renderAccess(c: RunningConfig): string[] {
  return [
    ...renderIpSsh(c),
    ...renderLoginBlock(c),
    ...renderInterfaces(c),
    ...renderNamedAcls(c),
    ...renderNumberedAcls(c),
    ...renderLines(c),
  ];
}

describe("line", () => {
  it("line vty 0 4 edits the factory range; con 0 and console 0 are the same line", () => {
    const h = access();
    h.applyAll(["line vty 0 4"]);
    expect(h.frame).toEqual({ mode: "config-line", line: vty(h) });
    h.applyAll(["line con 0", "exec-timeout 0 0", "line console 0", "logging synchronous"]);
    expect(h.config.lines).toHaveLength(2);
    expect(renderLines(h.config)).toEqual([
      "line con 0",
      " exec-timeout 0 0",
      " logging synchronous",
      "line vty 0 4",
      " login",
    ]);
  });

  it("another range is a line block of its own", () => {
    const h = configured("line vty 5 15\ntransport input none\nline vty 16");
    expect(renderLines(h.config)).toEqual([
      "line con 0",
      "line vty 0 4",
      " login",
      "line vty 5 15",
      " transport input none",
      "line vty 16",
    ]);
  });

  it("refuses a reversed range", () => {
    expect(access().apply("line vty 4 2")).toBe("% Invalid line range");
  });

  it("transport input: canonical order, all, none, no", () => {
    const h = configured("line vty 0 4\ntransport input ssh telnet");
    expect(vty(h)?.transportInput).toEqual(["telnet", "ssh"]);
    h.applyAll(["transport input ssh"]);
    expect(vty(h)?.transportInput).toEqual(["ssh"]);
    h.applyAll(["transport input all"]);
    expect(vty(h)?.transportInput).toEqual(["all"]);
    h.applyAll(["transport input none"]);
    expect(vty(h)?.transportInput).toEqual(["none"]);
    h.applyAll(["no transport input"]);
    expect(vty(h)?.transportInput).toBeUndefined();
  });

  it("login without a password warns once per line (ios-cli.md §1.10)", () => {
    const h = configured("line vty 0 4\nno login\nlogin");
    expect(vty(h)?.login).toBe("line");
    expect(h.said).toEqual(
      [2, 3, 4, 5, 6].map((n) => `% Login disabled on line ${n}, until 'password' is set`),
    );
    const con = configured("line con 0\nlogin");
    expect(con.said).toEqual(["% Login disabled on line 0, until 'password' is set"]);
  });

  it("login with a password or login local does not warn; no login clears", () => {
    const h = configured("line vty 0 4\npassword cisco\nlogin\nlogin local");
    expect(h.said).toEqual([]);
    expect(vty(h)?.login).toBe("local");
    h.applyAll(["no login local"]);
    expect(vty(h)?.login).toBeUndefined();
  });

  it("exec-timeout: seconds default to 0, 10 0 is the default, no restores it", () => {
    const h = configured("line vty 0 4\nexec-timeout 30");
    expect(vty(h)?.execTimeout).toEqual({ minutes: 30, seconds: 0 });
    h.applyAll(["exec-timeout 10 0"]);
    expect(vty(h)?.execTimeout).toBeUndefined();
    h.applyAll(["exec-timeout 0 30", "no exec-timeout"]);
    expect(vty(h)?.execTimeout).toBeUndefined();
  });

  it("access-class and privilege level", () => {
    const h = configured("line vty 0 4\naccess-class MGMT in\nprivilege level 15");
    expect(vty(h)).toMatchObject({ accessClass: "MGMT", privilegeLevel: 15 });
    h.applyAll(["privilege level 1", "no access-class MGMT in"]);
    expect(vty(h)?.privilegeLevel).toBeUndefined();
    expect(vty(h)?.accessClass).toBeUndefined();
    h.applyAll(["privilege level 7", "no privilege level"]);
    expect(vty(h)?.privilegeLevel).toBeUndefined();
  });

  it("password: clear text printed as typed, type 7 kept verbatim", () => {
    const h = configured("line vty 0 4\npassword cisco 123");
    expect(vty(h)?.password).toEqual({ type: 0, value: "cisco 123" });
    expect(renderLines(h.config)).toContain(" password cisco 123");
    h.applyAll(["password 7 1321471C1F2C17210677"]);
    expect(vty(h)?.password).toEqual({ type: 7, value: "D0nt@skM3", encoded: "1321471C1F2C17210677" });
    expect(renderLines(h.config)).toContain(" password 7 1321471C1F2C17210677");
    h.applyAll(["password 0 plain"]);
    expect(vty(h)?.password).toEqual({ type: 0, value: "plain" });
    h.applyAll(["no password"]);
    expect(vty(h)?.password).toBeUndefined();
  });

  it("password: service password-encryption prints type 7 of the clear text", () => {
    const h = configured("line con 0\npassword D0nt@skM3");
    h.config.passwordEncryption = true;
    const printed = renderLines(h.config).find((l) => l.startsWith(" password 7 "));
    expect(printed).toBeDefined();
    expect(decodeType7(printed!.slice(" password 7 ".length))).toEqual({ ok: true, value: "D0nt@skM3" });
  });

  it("password: refuses bad type 7 and other types", () => {
    const h = configured("line vty 0 4");
    expect(h.apply("password 7 XYZ")).toMatch(/^% Invalid encrypted password: /);
    expect(h.apply("password 5 $1$abc")).toBe("% Invalid encryption type");
    expect(vty(h)?.password).toBeUndefined();
  });

  it("logging synchronous and its no form", () => {
    const h = configured("line con 0\nlogging synchronous");
    expect(h.config.lines[0]?.loggingSynchronous).toBe(true);
    h.applyAll(["no logging synchronous"]);
    expect(h.config.lines[0]?.loggingSynchronous).toBe(false);
  });

  it("prints the vty block of ios-cli.md §1.10 [R] byte for byte", () => {
    const h = configured(`
line vty 0 4
 transport input ssh
 login local
 logging synchronous
 password 7 1321471C1F2C17210677
 exec-timeout 30 0`);
    expect(renderLines(h.config).slice(1)).toEqual([
      "line vty 0 4",
      " exec-timeout 30 0",
      " password 7 1321471C1F2C17210677",
      " logging synchronous",
      " login local",
      " transport input ssh",
    ]);
  });

  it("places access-class and privilege level in IOS order", () => {
    const h = configured(`
line vty 0 4
 transport input telnet ssh
 login
 logging synchronous
 password secret
 privilege level 15
 exec-timeout 5 30
 access-class 23 in`);
    expect(renderLines(h.config).slice(1)).toEqual([
      "line vty 0 4",
      " access-class 23 in",
      " exec-timeout 5 30",
      " privilege level 15",
      " password secret",
      " logging synchronous",
      " login",
      " transport input telnet ssh",
    ]);
  });
});

describe("login block-for", () => {
  it("sets, prints and clears", () => {
    const h = configured("login block-for 120 attempts 3 within 60");
    expect(h.config.loginBlock).toEqual({ seconds: 120, attempts: 3, within: 60 });
    expect(renderLoginBlock(h.config)).toEqual(["login block-for 120 attempts 3 within 60"]);
    h.applyAll(["no login block-for"]);
    expect(renderLoginBlock(h.config)).toEqual([]);
  });
});

describe("ip ssh", () => {
  it("version 2, time-out and retries print in IOS order; defaults do not print", () => {
    const h = configured("ip ssh version 2\nip ssh authentication-retries 2\nip ssh time-out 60");
    expect(renderIpSsh(h.config)).toEqual([
      "ip ssh time-out 60",
      "ip ssh authentication-retries 2",
      "ip ssh version 2",
    ]);
    h.applyAll(["ip ssh time-out 120", "ip ssh authentication-retries 3", "no ip ssh version"]);
    expect(renderIpSsh(h.config)).toEqual([]);
    h.applyAll([
      "ip ssh time-out 30",
      "ip ssh authentication-retries 0",
      "no ip ssh time-out",
      "no ip ssh authentication-retries 0",
    ]);
    expect(renderIpSsh(h.config)).toEqual([]);
  });

  it("ip ssh version 1 is invalid input (XE 17.15 speaks only SSH 2)", () => {
    expect(access().apply("ip ssh version 1")).toMatch(/^% invalid input/);
  });

  it("pubkey chain: username and key-hash, with IOS's 2/3-space indentation", () => {
    const h = configured(`
ip ssh pubkey-chain
 username admin
  key-hash ssh-rsa 7fb6ec05eaad562e290308dd538dea02 ansible-worker@error1.local
  key-hash ssh-ed25519 ${iosHash(ED25519_KEY)}
  exit
 username ops`);
    expect(h.frame).toEqual({ mode: "conf-ssh-pubkey-user", user: "ops" });
    expect(renderIpSsh(h.config)).toEqual([
      "ip ssh pubkey-chain",
      "  username admin",
      "   key-hash ssh-rsa 7FB6EC05EAAD562E290308DD538DEA02 ansible-worker@error1.local",
      `   key-hash ssh-ed25519 ${iosHash(ED25519_KEY)}`,
      "  username ops",
    ]);
  });

  it("key-hash: re-entry replaces, wrong length is refused, no forms remove", () => {
    const h = configured(`ip ssh pubkey-chain\nusername admin\nkey-hash ssh-rsa ${iosHash(RSA_KEY)}`);
    h.applyAll([
      `key-hash ssh-rsa ${iosHash(RSA_KEY)} renamed`,
      `key-hash ssh-ed25519 ${iosHash(ED25519_KEY)}`,
    ]);
    const user = h.config.sshPubkeyUsers.get("admin")!;
    expect(user.keys).toEqual([
      { algorithm: "ssh-rsa", hash: iosHash(RSA_KEY), name: "renamed" },
      { algorithm: "ssh-ed25519", hash: iosHash(ED25519_KEY) },
    ]);
    expect(h.apply("key-hash ssh-rsa ABCDEF")).toBe("% Invalid key hash: expected 32 hex digits (MD5)");
    h.applyAll([`no key-hash ssh-rsa ${iosHash(RSA_KEY).toLowerCase()}`]);
    expect(user.keys.map((k) => k.algorithm)).toEqual(["ssh-ed25519"]);
    h.applyAll(["no key-hash"]);
    expect(user.keys).toEqual([]);
  });

  it("no username and no ip ssh pubkey-chain", () => {
    const h = configured("ip ssh pubkey-chain\nusername a\nexit\nusername b\nexit\nno username a");
    expect([...h.config.sshPubkeyUsers.keys()]).toEqual(["b"]);
    h.applyAll(["exit", "no ip ssh pubkey-chain"]);
    expect(h.config.sshPubkeyUsers.size).toBe(0);
    expect(renderIpSsh(h.config)).toEqual([]);
  });
});

describe("key-string", () => {
  function keyString(lines: readonly string[]): HandlerHarness {
    const h = configured("ip ssh pubkey-chain\nusername admin\nkey-string");
    expect(h.frame).toEqual({ mode: "key-data", user: "admin", data: [] });
    h.applyAll([...lines, "exit"]);
    expect(h.frame).toEqual({ mode: "conf-ssh-pubkey-user", user: "admin" });
    return h;
  }

  for (const key of [RSA_KEY, ED25519_KEY, ECDSA_P256_KEY]) {
    it(`bare base64 (IOS paste) of ${key.algorithm} becomes its MD5 key-hash`, () => {
      const h = keyString(wrapped(base64Of(key), 72));
      expect(h.config.sshPubkeyUsers.get("admin")?.keys).toEqual([
        { algorithm: key.algorithm, hash: iosHash(key) },
      ]);
    });

    it(`OpenSSH line of ${key.algorithm} keeps the comment as key name`, () => {
      const h = keyString([key.openssh]);
      expect(h.config.sshPubkeyUsers.get("admin")?.keys).toEqual([
        { algorithm: key.algorithm, hash: iosHash(key), name: "admin@laptop" },
      ]);
    });
  }

  it("an OpenSSH line wrapped over several lines", () => {
    const h = keyString(wrapped(RSA_KEY.openssh, 64));
    expect(h.config.sshPubkeyUsers.get("admin")?.keys).toEqual([
      { algorithm: "ssh-rsa", hash: iosHash(RSA_KEY), name: "admin@laptop" },
    ]);
    expect(renderIpSsh(h.config)).toEqual([
      "ip ssh pubkey-chain",
      "  username admin",
      `   key-hash ssh-rsa ${iosHash(RSA_KEY)} admin@laptop`,
    ]);
  });

  it("narrow wraps: RSA name+e alone is not a whole key", () => {
    const h = keyString(wrapped(base64Of(RSA_KEY), 24));
    expect(h.config.sshPubkeyUsers.get("admin")?.keys).toEqual([
      { algorithm: "ssh-rsa", hash: iosHash(RSA_KEY) },
    ]);
  });

  it("a wrap right before the comment (the session trims the blank away)", () => {
    const [type, base64] = ECDSA_P256_KEY.openssh.split(" ");
    const h = keyString([`${type} ${base64}`, "admin@laptop"]);
    expect(h.config.sshPubkeyUsers.get("admin")?.keys).toEqual([
      { algorithm: "ecdsa-sha2-nistp256", hash: iosHash(ECDSA_P256_KEY), name: "admin@laptop" },
    ]);
  });

  it("a wrap that swallowed the space after the key type", () => {
    const h = keyString([ED25519_KEY.openssh.replace(" ", "")]);
    expect(h.config.sshPubkeyUsers.get("admin")?.keys).toEqual([
      { algorithm: "ssh-ed25519", hash: iosHash(ED25519_KEY), name: "admin@laptop" },
    ]);
  });

  it("nvgen is key-hash, which parses back to the same configuration", () => {
    const h = keyString([ED25519_KEY.openssh]);
    const again = access();
    again.applyAll(renderIpSsh(h.config));
    expect(again.config.sshPubkeyUsers).toEqual(h.config.sshPubkeyUsers);
  });

  it.each([
    [[], "no key data"],
    [["ssh-rsa"], "no key data"],
    [[base64Of(ED25519_KEY).slice(0, 40)], "truncated key blob"],
    [["AAAA!!!!"], "invalid character '!' in key data"],
    [["ssh-rsa !"], "invalid character '!' in key data"],
    [[`${base64Of(RSA_KEY).slice(0, 24)}`], "truncated key blob"],
    [[`${base64Of(RSA_KEY).slice(0, 23)}`], "truncated key blob"],
    [[`ssh-rsa ${base64Of(ED25519_KEY)}`], "key type ssh-rsa does not match the key blob (ssh-ed25519)"],
  ])("%j is refused: %s", (lines, reason) => {
    expect(parsePublicKeyText(lines)).toEqual({ ok: false, reason });
  });

  it("a refused key leaves the user's keys alone", () => {
    const h = configured("ip ssh pubkey-chain\nusername admin\nkey-string\nAAAAC3NzaC1lZDI1");
    expect(h.apply("exit")).toBe("% Invalid public key: truncated key blob");
    expect(h.config.sshPubkeyUsers.get("admin")?.keys).toEqual([]);
  });

  it("refuses key types key-hash cannot print", () => {
    const h = configured("ip ssh pubkey-chain\nusername admin\nkey-string");
    h.applyAll([ECDSA_P384_KEY.openssh]);
    expect(h.apply("exit")).toBe("% Unsupported key type ecdsa-sha2-nistp384");
    // A type nobody knows: name + two fields, taken whole because its length is unknown.
    const field = (bytes: number[]) => [0, 0, 0, bytes.length, ...bytes];
    const blob = Buffer.from([...field([...Buffer.from("ssh-foo")]), ...field([1, 2]), ...field([3])]);
    h.applyAll(["key-string", blob.toString("base64")]);
    expect(h.apply("exit")).toBe("% Unsupported key type ssh-foo");
    expect(h.config.sshPubkeyUsers.get("admin")?.keys).toEqual([]);
  });
});

describe("numbered access lists", () => {
  it("drops host and pads deny to the width of permit (ios-cli.md §1.11 [R])", () => {
    const h = configured(`
access-list 12 permit host 172.16.1.5
access-list 1 permit 10.0.0.0 0.0.0.255
access-list 1 deny any log`);
    expect(renderNumberedAcls(h.config)).toEqual([
      "access-list 1 permit 10.0.0.0 0.0.0.255",
      "access-list 1 deny   any log",
      "access-list 12 permit 172.16.1.5",
    ]);
  });

  it("masks the address by the wildcard; 0.0.0.0 is a host, 255.255.255.255 is any", () => {
    const h = configured(`
access-list 5 permit 10.1.1.77 0.0.0.255
access-list 5 permit 192.0.2.9 0.0.0.0
access-list 5 deny 1.2.3.4 255.255.255.255`);
    expect(renderNumberedAcls(h.config)).toEqual([
      "access-list 5 permit 10.1.1.0 0.0.0.255",
      "access-list 5 permit 192.0.2.9",
      "access-list 5 deny   any",
    ]);
  });

  it("appends in order, ignores duplicates, keeps remarks", () => {
    const h = configured(`
access-list 1300 remark NTP clients
access-list 1300 permit 10.0.0.1
access-list 1300 permit host 10.0.0.1
access-list 1300 permit 10.0.0.1 0.0.0.0
access-list 1300 deny 10.0.0.0 0.255.255.255 log`);
    expect(renderNumberedAcls(h.config)).toEqual([
      "access-list 1300 remark NTP clients",
      "access-list 1300 permit 10.0.0.1",
      "access-list 1300 deny   10.0.0.0 0.255.255.255 log",
    ]);
    expect(h.config.accessLists.get("1300")?.entries.map((e) => e.sequence)).toEqual([10, 20, 30]);
  });

  it("no access-list N deletes the whole list, even with a full ACE typed", () => {
    const h = configured(
      "access-list 1 permit 10.0.0.1\naccess-list 1 permit 10.0.0.2\naccess-list 2 permit any",
    );
    h.applyAll(["no access-list 1 permit 10.0.0.1"]);
    expect(h.config.accessLists.has("1")).toBe(false);
    h.applyAll(["no access-list 2"]);
    expect(h.config.accessLists.size).toBe(0);
  });

  it("refuses numbers outside the standard ranges", () => {
    expect(access().apply("access-list 100 permit any")).toBe(
      "% Access list 100 is not a standard IP access list (1-99, 1300-1999)",
    );
  });
});

describe("named access lists", () => {
  it("IOS XE nvgen with sequence numbers, lists sorted by name", () => {
    const h = configured(`
ip access-list standard NTP-PEERS
 permit 10.1.10.6
 remark the backup
 permit host 10.1.10.99
 deny any log
ip access-list standard MGMT
 permit 192.168.99.0 0.0.0.255`);
    expect(h.frame).toEqual({ mode: "config-std-nacl", acl: "MGMT" });
    expect(renderNamedAcls(h.config)).toEqual([
      "ip access-list standard MGMT",
      " 10 permit 192.168.99.0 0.0.0.255",
      "ip access-list standard NTP-PEERS",
      " 10 permit 10.1.10.6",
      " 20 remark the backup",
      " 30 permit 10.1.10.99",
      " 40 deny   any log",
    ]);
  });

  it("explicit sequence numbers insert in order; duplicates are refused", () => {
    const h = configured(
      "ip access-list standard A\npermit 10.0.0.1\npermit 10.0.0.2\n15 deny 10.0.0.3\n5 permit 10.0.0.4",
    );
    expect(renderNamedAcls(h.config).slice(1)).toEqual([
      " 5 permit 10.0.0.4",
      " 10 permit 10.0.0.1",
      " 15 deny   10.0.0.3",
      " 20 permit 10.0.0.2",
    ]);
    expect(h.apply("15 permit 10.0.0.9")).toBe("% Duplicate sequence number");
    h.applyAll(["permit 10.0.0.9"]);
    expect(h.config.accessLists.get("A")?.entries.at(-1)?.sequence).toBe(30);
  });

  it("remarks take sequence numbers too (IOS XE nvgen)", () => {
    const h = configured("ip access-list standard A\npermit any\n5 remark first\nremark last");
    expect(renderNamedAcls(h.config).slice(1)).toEqual([
      " 5 remark first",
      " 10 permit any",
      " 20 remark last",
    ]);
    expect(h.apply("10 remark clash")).toBe("% Duplicate sequence number");
  });

  it("no SEQ, no permit ..., no remark", () => {
    const h = configured(
      "ip access-list standard A\npermit 10.0.0.1\nremark one\npermit 10.0.0.0 0.0.0.255\nremark two\ndeny any",
    );
    h.applyAll(["no 10", "no permit 10.0.0.7 0.0.0.255", "no remark one"]);
    expect(renderNamedAcls(h.config).slice(1)).toEqual([" 40 remark two", " 50 deny   any"]);
    h.applyAll(["no remark", "no deny any"]);
    expect(h.config.accessLists.get("A")?.entries).toEqual([]);
  });

  it("a number edits the numbered list, which still prints as access-list N", () => {
    const h = configured("access-list 10 permit 10.0.0.1\nip access-list standard 10\n5 deny 10.0.0.2");
    expect(renderNamedAcls(h.config)).toEqual([]);
    expect(renderNumberedAcls(h.config)).toEqual([
      "access-list 10 deny   10.0.0.2",
      "access-list 10 permit 10.0.0.1",
    ]);
    expect(access().apply("ip access-list standard 150")).toBe("% Invalid access list name.");
  });

  it("no ip access-list standard NAME deletes it", () => {
    const h = configured("ip access-list standard A\npermit any\nexit\nno ip access-list standard A");
    expect(h.config.accessLists.size).toBe(0);
  });
});

describe("aclPermits", () => {
  const h = configured(`
access-list 1 deny 10.1.1.1
access-list 1 permit 10.1.1.0 0.0.0.255
access-list 1 permit 172.16.0.0 0.0.255.255
access-list 2 remark nothing else
access-list 3 permit any
ip access-list standard ODD
 permit 10.0.0.1 255.255.255.0`);
  const c = h.config;

  it("undefined for an unknown or empty list", () => {
    expect(aclPermits(c, "99", "10.1.1.1")).toBeUndefined();
    expect(aclPermits(c, "2", "10.1.1.1")).toBeUndefined();
  });

  it("first match wins, implicit deny at the end", () => {
    expect(aclPermits(c, "1", "10.1.1.1")).toBe(false);
    expect(aclPermits(c, "1", "10.1.1.2")).toBe(true);
    expect(aclPermits(c, "1", "172.16.200.9")).toBe(true);
    expect(aclPermits(c, "1", "172.17.0.1")).toBe(false);
    expect(aclPermits(c, "3", "203.0.113.50")).toBe(true);
  });

  it("wildcards need not be contiguous", () => {
    expect(aclPermits(c, "ODD", "10.0.0.1")).toBe(true);
    expect(aclPermits(c, "ODD", "10.255.7.1")).toBe(true);
    expect(aclPermits(c, "ODD", "10.0.0.2")).toBe(false);
  });

  it("IPv4-mapped IPv6 is the IPv4 address; other IPv6 never matches", () => {
    expect(aclPermits(c, "1", "::ffff:10.1.1.2")).toBe(true);
    expect(aclPermits(c, "3", "2001:db8::1")).toBe(false);
  });
});

describe("interfaces", () => {
  it.each([
    ["loopback0", "Loopback0"],
    ["Lo0", "Loopback0"],
    ["gi0/0", "GigabitEthernet0/0"],
    ["GigabitEthernet0/0/1", "GigabitEthernet0/0/1"],
    ["gig0/0.100", "GigabitEthernet0/0.100"],
    ["fa0/1", "FastEthernet0/1"],
    ["e0", "Ethernet0"],
    ["eth1/0", "Ethernet1/0"],
    ["te1/1", "TenGigabitEthernet1/1"],
    ["vlan10", "Vlan10"],
    ["po1", "Port-channel1"],
    ["port-channel2", "Port-channel2"],
    ["tu0", "Tunnel0"],
  ])("%s -> %s", (typed, canonical) => {
    expect(canonicalInterfaceName(typed)).toBe(canonical);
  });

  it.each(["t0", "foo0", "Loopback", "0/0", "gi0/"])("%s is not an interface name", (typed) => {
    expect(canonicalInterfaceName(typed)).toBeUndefined();
  });

  it("enters config-if with the canonical name; unknown types are refused", () => {
    const h = configured("interface loopback0");
    expect(h.frame).toEqual({ mode: "config-if", iface: "Loopback0" });
    expect(h.apply("interface foo0")).toBe("% Invalid interface type and number");
  });

  it("prints description, addresses and shutdown; `no ip address` when none", () => {
    const h = configured(`
interface GigabitEthernet0/1
 shutdown
 description uplink to core
interface loopback0
 ip address 192.0.2.1 255.255.255.255
 ip address 198.51.100.1 255.255.255.0 secondary`);
    expect(renderInterfaces(h.config)).toEqual([
      "interface Loopback0",
      " ip address 198.51.100.1 255.255.255.0 secondary",
      " ip address 192.0.2.1 255.255.255.255",
      "!",
      "interface GigabitEthernet0/1",
      " description uplink to core",
      " no ip address",
      " shutdown",
      "!",
    ]);
  });

  it("no forms", () => {
    const h = configured(`
interface Loopback1
 description x
 shutdown
 ip address 10.0.0.1 255.255.255.0
 ip address 10.0.1.1 255.255.255.0 secondary`);
    expect(h.apply("no ip address 10.0.0.1 255.255.255.0")).toBe(
      "% Must delete secondary before deleting primary",
    );
    h.applyAll(["no ip address 10.0.1.1 255.255.255.0 secondary", "no ip address 10.0.0.1 255.255.255.0"]);
    h.applyAll(["ip address 10.0.2.1 255.255.255.0", "no ip address", "no description", "no shutdown"]);
    expect(renderInterfaces(h.config)).toEqual(["interface Loopback1", " no ip address", "!"]);
    h.applyAll(["no interface lo1"]);
    expect(h.config.interfaces.size).toBe(0);
  });

  it("refuses a non-contiguous mask", () => {
    const h = configured("interface Loopback0");
    expect(h.apply("ip address 10.0.0.1 255.0.255.0")).toBe("% Bad mask 0xFF00FF00 for address 10.0.0.1");
  });

  it("sorts by type, then numerically", () => {
    const h = configured(
      "interface vlan1\ninterface gi0/10\ninterface gi0/2\ninterface lo10\ninterface lo2\ninterface tu0",
    );
    expect(renderInterfaces(h.config).filter((l) => l.startsWith("interface"))).toEqual([
      "interface Loopback2",
      "interface Loopback10",
      "interface Tunnel0",
      "interface GigabitEthernet0/2",
      "interface GigabitEthernet0/10",
      "interface Vlan1",
    ]);
  });
});

describe("round trip", () => {
  it("render -> parse -> render is byte-identical", () => {
    const h = configured(`
ip ssh time-out 60
ip ssh authentication-retries 2
ip ssh version 2
ip ssh pubkey-chain
 username admin
  key-hash ssh-rsa 7FB6EC05EAAD562E290308DD538DEA02 ansible-worker@error1.local
login block-for 120 attempts 3 within 60
interface Loopback0
 description NTP service address
 ip address 192.0.2.1 255.255.255.255
 ip address 192.0.2.2 255.255.255.255 secondary
interface gi0/0
 shutdown
ip access-list standard NTP-CLIENTS
 remark lab
 permit 10.0.0.0 0.255.255.255
 deny any log
access-list 1 permit 10.0.0.0 0.0.0.255
access-list 1 remark and the rest
access-list 1 deny any log
access-list 12 permit host 172.16.1.5
line con 0
 exec-timeout 0 0
 password cisco
 logging synchronous
line vty 0 4
 access-class 1 in
 exec-timeout 30 0
 privilege level 15
 password 7 1321471C1F2C17210677
 logging synchronous
 login local
 transport input ssh
line vty 5 15
 transport input none`);
    const first = renderAccess(h.config);
    const again = access();
    again.applyAll(first);
    expect(renderAccess(again.config).join("\n")).toBe(first.join("\n"));
  });
});

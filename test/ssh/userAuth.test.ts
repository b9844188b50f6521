import { describe, expect, it } from "vitest";
import { keyHash, knowsPublicKey, passwordLogin, publicKeyLogin } from "../../src/cli/ssh/userAuth.js";
import { VtyPool, vtyLine } from "../../src/cli/ssh/vtyPool.js";
import { loadConfigText } from "../../src/config/loadConfig.js";
import { hashSecret } from "../../src/config/secretHash.js";
import { encodeType7 } from "../../src/config/type7.js";
import { ED25519_KEY } from "../fixtures/sshKeys.js";

function load(text: string) {
  const { config, diagnostics } = loadConfigText(text);
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return config;
}

describe("user authentication", () => {
  const config = load(
    [
      `username t0 privilege 15 secret 0 zero`,
      `username t5 secret 5 ${hashSecret(5, "five")}`,
      `username t8 privilege 7 secret 8 ${hashSecret(8, "eight")}`,
      `username t9 privilege 15 secret 9 ${hashSecret(9, "nine")}`,
      `username p0 password 0 plain`,
      `username p7 password 7 ${encodeType7("seven")}`,
      "line vty 0 4",
      " login local",
      "line vty 5 9",
      ` password 7 ${encodeType7("linepw")}`,
      " login",
      " privilege level 15",
    ].join("\n"),
  );

  it.each([
    ["t0", "zero", 15],
    ["t5", "five", 1],
    ["t8", "eight", 7],
    ["t9", "nine", 15],
    ["p0", "plain", 1],
    ["p7", "seven", 1],
  ])("login local: %s with the right password at privilege %i", (name, password, privilege) => {
    expect(passwordLogin(config, vtyLine(config, 0), name, password)).toEqual({ name, privilege });
    expect(passwordLogin(config, vtyLine(config, 0), name, `${password}x`)).toBeUndefined();
  });

  it("unknown users are refused", () => {
    expect(passwordLogin(config, vtyLine(config, 0), "nobody", "zero")).toBeUndefined();
  });

  it("login (line password) takes any name and the line's privilege level", () => {
    expect(passwordLogin(config, vtyLine(config, 7), "whoever", "linepw")).toEqual({
      name: "whoever",
      privilege: 15,
    });
    expect(passwordLogin(config, vtyLine(config, 7), "t0", "zero")).toBeUndefined();
  });

  it("public keys are found by the MD5 key-hash of their blob", () => {
    const withKey = load(
      `username admin privilege 15 secret 0 x\nip ssh pubkey-chain\n username admin\n  key-string\n   ${ED25519_KEY.openssh}\n  exit\n`,
    );
    const blob = Buffer.from(ED25519_KEY.openssh.split(" ")[1]!, "base64");
    expect(keyHash(blob)).toBe(ED25519_KEY.md5Fingerprint.replaceAll(":", "").toUpperCase());
    expect(knowsPublicKey(withKey, "admin", blob)).toBe(true);
    expect(knowsPublicKey(withKey, "other", blob)).toBe(false);
    expect(publicKeyLogin(withKey, vtyLine(withKey, 0), "admin")).toEqual({ name: "admin", privilege: 15 });
  });
});

describe("vty pool", () => {
  it("hands out the lowest free vty admitting SSH, and no more than configured", () => {
    const config = load("line vty 0 4\n transport input none\nline vty 0 1\n transport input ssh\n");
    const pool = new VtyPool();
    expect(pool.allocate(config)).toBe(0);
    expect(pool.allocate(config)).toBe(1);
    expect(pool.allocate(config)).toBeUndefined();
    pool.release(0);
    expect(pool.allocate(config)).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import { passwordLogin } from "../../src/cli/ssh/userAuth.js";
import { vtyLine } from "../../src/cli/ssh/vtyPool.js";
import { loadConfigText } from "../../src/config/loadConfig.js";
import { verifySecret } from "../../src/config/secretHash.js";
import { MemoryStartupStore } from "../../src/config/startupStore.js";
import { defaultStartupConfig, ensureStartupConfig, randomPassword } from "../../src/runtime/firstBoot.js";

describe("first start", () => {
  it("writes a default startup-config once, with the password only hashed (type 9)", () => {
    const store = new MemoryStartupStore();
    const first = ensureStartupConfig(store);
    expect(first?.user).toBe("admin");
    const text = store.read()!;
    expect(text).not.toContain(first!.password);
    expect(ensureStartupConfig(store)).toBeUndefined();
    expect(store.read()).toBe(text);

    const { config, diagnostics } = loadConfigText(text);
    expect(diagnostics).toEqual([]);
    const admin = config.users.get("admin")!;
    expect(admin.privilege).toBe(15);
    expect(admin.secret?.type).toBe(9);
    expect(verifySecret({ type: 9, value: admin.secret!.value }, first!.password)).toBe(true);
    expect(passwordLogin(config, vtyLine(config, 0), "admin", first!.password)).toEqual({
      name: "admin",
      privilege: 15,
    });
  });

  it("contains the hostname, ntp master, buffered logging and SSH-only vty lines", () => {
    const text = defaultStartupConfig("secret-pw");
    expect(text).toContain("hostname Meridian\n");
    expect(text).toContain("\nntp master\n");
    expect(text).toContain("\nlogging buffered 16384 informational\n");
    expect(text).toContain("\nline vty 0 4\n login local\n transport input ssh\n");
    expect(text).toMatch(/\nusername admin privilege 15 secret 9 \$9\$\S+\n/);
  });

  it("random passwords are long and avoid look-alike characters", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const p = randomPassword();
      expect(p).toMatch(/^[2-9a-km-zA-HJ-NP-Z]{16}$/);
      seen.add(p);
    }
    expect(seen.size).toBe(50);
  });
});

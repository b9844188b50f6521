import { describe, expect, it } from "vitest";
import { blockPolicyOf, DEFAULT_BLOCK_POLICY, LoginGuard } from "../../src/cli/ssh/loginGuard.js";
import { loadConfigText } from "../../src/config/loadConfig.js";

function guardAt(start = 0) {
  const clock = { ms: start };
  return { clock, guard: new LoginGuard(() => clock.ms) };
}

describe("login guard", () => {
  it("login block-for: N failures within T put the whole device in quiet mode for S seconds", () => {
    const policy = blockPolicyOf(loadConfigText("login block-for 30 attempts 3 within 60\n").config);
    expect(policy).toEqual({ seconds: 30, attempts: 3, within: 60, scope: "device" });
    const { clock, guard } = guardAt();
    expect(guard.recordFailure("10.0.0.1", policy)).toEqual({});
    clock.ms += 10_000;
    expect(guard.recordFailure("10.0.0.2", policy)).toEqual({});
    clock.ms += 10_000;
    expect(guard.recordFailure("10.0.0.1", policy)).toEqual({ blockedSeconds: 30, scope: "device" });
    expect(guard.admits("192.0.2.9")).toBe(false);
    expect(guard.quietRemainingMs()).toBe(30_000);
    clock.ms += 30_000;
    expect(guard.admits("192.0.2.9")).toBe(true);
  });

  it("failures older than the window do not count", () => {
    const policy = blockPolicyOf(loadConfigText("login block-for 30 attempts 2 within 5\n").config);
    const { clock, guard } = guardAt();
    guard.recordFailure("10.0.0.1", policy);
    clock.ms += 6_000;
    expect(guard.recordFailure("10.0.0.1", policy)).toEqual({});
    expect(guard.admits("10.0.0.1")).toBe(true);
  });

  it("the default blocks only the guessing source", () => {
    const policy = blockPolicyOf(loadConfigText("hostname R1\n").config);
    expect(policy).toBe(DEFAULT_BLOCK_POLICY);
    const { clock, guard } = guardAt();
    for (let i = 1; i < policy.attempts; i++) expect(guard.recordFailure("10.0.0.1", policy)).toEqual({});
    expect(guard.recordFailure("10.0.0.1", policy).blockedSeconds).toBe(policy.seconds);
    expect(guard.admits("10.0.0.1")).toBe(false);
    expect(guard.admits("10.0.0.2")).toBe(true);
    clock.ms += policy.seconds * 1000;
    expect(guard.admits("10.0.0.1")).toBe(true);
  });

  it("a success forgets the source's earlier failures", () => {
    const { guard } = guardAt();
    for (let i = 1; i < DEFAULT_BLOCK_POLICY.attempts; i++)
      guard.recordFailure("10.0.0.1", DEFAULT_BLOCK_POLICY);
    guard.recordSuccess("10.0.0.1");
    expect(guard.recordFailure("10.0.0.1", DEFAULT_BLOCK_POLICY)).toEqual({});
  });
});

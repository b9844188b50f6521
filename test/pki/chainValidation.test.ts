/**
 * Chain verdicts with pkijs at chosen instants (node-notes §5): leaf-now / leaf-future /
 * leaf-expired across their validity periods, a broken path, an impostor root, a CA:FALSE
 * issuer, and the trust-anchor rules of trustpoints (`chain-validation stop | continue PARENT`).
 */
import { describe, expect, it } from "vitest";
import { CertificateCache } from "../../src/services/pki/certificateCache.js";
import { parseCertificate } from "../../src/services/pki/certificateInfo.js";
import { validateChain } from "../../src/services/pki/chainValidation.js";
import { evaluateTrustpoint } from "../../src/services/pki/trustpointEvaluation.js";
import { AT, type FixtureName, fixtureDer } from "../fixtures/pki/pkiFixtures.js";
import { configWith } from "./trustpointFixture.js";

function info(name: FixtureName) {
  const parsed = parseCertificate(fixtureDer(name));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.info;
}

const root = info("root");
const intermediate = info("intermediate");

async function verdict(leaf: FixtureName, atMs: number, anchors = [root], intermediates = [intermediate]) {
  const target = info(leaf);
  const r = await validateChain({ target, intermediates, anchors, atMs });
  const v = r.verdict;
  if (v.kind === "expired" || v.kind === "not-yet-valid") return `${v.kind} ${v.certificate.serial}`;
  if (v.kind === "non-ca-issuer") return `${v.kind} ${v.issuer?.serial ?? "?"}`;
  return v.kind;
}

describe("validateChain at the chosen time, not the host's", () => {
  it("node-notes §5 verdicts at 2026-11-22", async () => {
    expect(await verdict("leaf-now", AT.nov2026)).toBe("valid");
    expect(await verdict("leaf-future", AT.nov2026)).toBe("not-yet-valid 3E");
    expect(await verdict("leaf-expired", AT.nov2026)).toBe("expired 6A6967B3000000000003");
  });

  it("leaf-future becomes valid in July 2027; leaf-expired was valid in March 2026", async () => {
    expect(await verdict("leaf-future", AT.jul2027)).toBe("valid");
    expect(await verdict("leaf-expired", AT.mar2026)).toBe("valid");
  });

  it("in 2040 the first expired certificate on the path is named, leaf first", async () => {
    expect(await verdict("leaf-now", AT.jan2040)).toBe("expired 1DF9761C0000001C9621");
  });

  it("an expired intermediate is named when the leaf itself is fine", async () => {
    // 2031-06-01: the intermediate (..2031-01-01) has expired; make the leaf's dates irrelevant
    // by validating the intermediate as the target.
    const at = Date.UTC(2031, 5, 1);
    const r = await validateChain({ target: intermediate, intermediates: [], anchors: [root], atMs: at });
    expect(r.verdict.kind === "expired" && r.verdict.certificate.serial).toBe("02");
  });

  it("broken path: no intermediate, or an impostor root with the same name", async () => {
    expect(await verdict("leaf-now", AT.nov2026, [root], [])).toBe("no-path");
    expect(await verdict("leaf-now", AT.nov2026, [info("evil-root")])).toBe("no-path");
  });

  it("a CA:FALSE certificate as issuer", async () => {
    expect(await verdict("leaf-under-leaf", AT.nov2026, [root], [intermediate, info("leaf-now")])).toBe(
      "non-ca-issuer 1DF9761C0000001C9621",
    );
  });

  it("the validated path runs from the target to the anchor", async () => {
    const r = await validateChain({
      target: info("leaf-now"),
      intermediates: [intermediate],
      anchors: [root],
      atMs: AT.nov2026,
    });
    expect(r.path.map((c) => c.serial)).toEqual(["1DF9761C0000001C9621", "02", "01"]);
  });

  it("an anchor validated on its own: only its dates", async () => {
    const r1 = await validateChain({ target: root, intermediates: [], anchors: [root], atMs: AT.nov2026 });
    expect(r1.verdict.kind).toBe("valid");
    const r2 = await validateChain({
      target: root,
      intermediates: [],
      anchors: [root],
      atMs: Date.UTC(2025, 0, 1),
    });
    expect(r2.verdict.kind).toBe("not-yet-valid");
  });
});

describe("evaluateTrustpoint", () => {
  const cache = new CertificateCache();
  const summary = async (config: ReturnType<typeof configWith>, name: string, atMs = AT.nov2026) => {
    const e = await evaluateTrustpoint(config, name, atMs, true, cache.parse);
    return {
      verdict: e.verdict.kind,
      certificates: e.certificates.map((c) => `${c.entry.kind} ${c.verdict.kind}`),
    };
  };

  it("root and issuing CA pasted into one chain: the self-issued one is the anchor", async () => {
    const config = configWith([
      {
        name: "VPN",
        chain: [
          ["certificate", "leaf-now"],
          ["ca", "root"],
          ["ca", "intermediate"],
        ],
      },
    ]);
    expect(await summary(config, "VPN")).toEqual({
      verdict: "valid",
      certificates: ["certificate valid", "ca valid", "ca valid"],
    });
  });

  it("chain-validation stop (default): an authenticated subordinate CA is trusted as it is", async () => {
    const config = configWith([
      {
        name: "SUB",
        chain: [
          ["certificate", "leaf-future"],
          ["ca", "intermediate"],
        ],
      },
    ]);
    expect(await summary(config, "SUB")).toEqual({
      verdict: "not-yet-valid",
      certificates: ["certificate not-yet-valid", "ca valid"],
    });
    expect((await summary(config, "SUB", AT.jul2027)).verdict).toBe("valid");
  });

  it("chain-validation continue PARENT: the CA must chain to the parent's anchor", async () => {
    const good = configWith([
      { name: "ROOT", chain: [["ca", "root"]] },
      {
        name: "SUB",
        lines: ["chain-validation continue ROOT"],
        chain: [
          ["certificate", "leaf-now"],
          ["ca", "intermediate"],
        ],
      },
    ]);
    expect((await summary(good, "SUB")).verdict).toBe("valid");
    const impostor = configWith([
      { name: "ROOT", chain: [["ca", "evil-root"]] },
      {
        name: "SUB",
        lines: ["chain-validation continue ROOT"],
        chain: [
          ["certificate", "leaf-now"],
          ["ca", "intermediate"],
        ],
      },
    ]);
    expect(await summary(impostor, "SUB")).toEqual({
      verdict: "no-path",
      certificates: ["certificate no-path", "ca no-path"],
    });
  });

  it("a CA:FALSE certificate authenticated as the CA", async () => {
    const config = configWith([
      {
        name: "ROGUE",
        chain: [
          ["certificate", "leaf-under-leaf"],
          ["ca", "leaf-now"],
        ],
      },
    ]);
    expect((await summary(config, "ROGUE")).verdict).toBe("non-ca-issuer");
  });

  it("a self-signed router certificate anchors itself; no chain at all is said so", async () => {
    const config = configWith([
      { name: "TP-self-signed-1982400059", chain: [["self-signed", "router-self-signed"]] },
      { name: "EMPTY", chain: [] },
    ]);
    expect((await summary(config, "TP-self-signed-1982400059")).verdict).toBe("valid");
    expect((await summary(config, "EMPTY")).verdict).toBe("no-certificate");
  });
});

/**
 * Certificate chain validations per second at a chosen time (pkijs, P-256, root -> issuing CA
 * -> leaf from test/fixtures/pki), against a baseline in the same process: node:crypto's
 * X509Certificate doing the same signature checks and a manual date check, which validates no
 * path rules (node-notes §5 measured 0.47 ms vs ~1.5 ms per chain).
 */
import { X509Certificate } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { emptyConfig } from "../src/config/model.js";
import { CertificateCache } from "../src/services/pki/certificateCache.js";
import { type CertificateInfo, parseCertificate } from "../src/services/pki/certificateInfo.js";
import { validateChain } from "../src/services/pki/chainValidation.js";
import { evaluateTrustpoint } from "../src/services/pki/trustpointEvaluation.js";

export type PkiBenchRow = Record<string, string | number>;

/** 2026-11-22: every certificate of the fixture chain is valid. */
const CHECK_AT = Date.UTC(2026, 10, 22);

/** test/fixtures/pki, found from this module (bench/ under tsx, dist/bench/ when built). */
function fixtureDirectory(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, "test", "fixtures", "pki");
    if (existsSync(join(candidate, "root.der"))) return candidate;
    dir = dirname(dir);
  }
  throw new Error("test/fixtures/pki not found");
}

async function timed(iterations: number, run: () => Promise<unknown> | unknown): Promise<number> {
  for (let i = 0; i < Math.min(50, iterations); i++) await run();
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) await run();
  return ((performance.now() - t0) / iterations) * 1000;
}

export async function runPkiBench(iterations = 2000): Promise<PkiBenchRow[]> {
  const dir = fixtureDirectory();
  const der = (name: string) => Uint8Array.from(readFileSync(join(dir, `${name}.der`)));
  const info = (name: string): CertificateInfo => {
    const parsed = parseCertificate(der(name));
    if (!parsed.ok) throw new Error(parsed.reason);
    return parsed.info;
  };
  const [root, intermediate, leaf] = [info("root"), info("intermediate"), info("leaf-now")];

  const nodeCerts = ["leaf-now", "intermediate", "root"].map((n) => new X509Certificate(der(n)));
  const nodeChain = () => {
    const checkDate = new Date(CHECK_AT);
    for (let i = 0; i < nodeCerts.length; i++) {
      const cert = nodeCerts[i] as X509Certificate;
      const issuer = nodeCerts[Math.min(i + 1, nodeCerts.length - 1)] as X509Certificate;
      if (!cert.checkIssued(issuer) || !cert.verify(issuer.publicKey)) return false;
      if (new Date(cert.validFrom) > checkDate || new Date(cert.validTo) < checkDate) return false;
    }
    return true;
  };

  const config = emptyConfig();
  config.trustpoints.set("VPN", { name: "VPN" });
  config.certificateChains.set("VPN", [
    { kind: "certificate", serial: leaf.serial, der: leaf.der },
    { kind: "ca", serial: root.serial, der: root.der },
    { kind: "ca", serial: intermediate.serial, der: intermediate.der },
  ]);
  const cache = new CertificateCache();

  const microsBaseline = await timed(iterations, nodeChain);
  const microsChain = await timed(iterations, () =>
    validateChain({ target: leaf, intermediates: [intermediate], anchors: [root], atMs: CHECK_AT }),
  );
  const microsTrustpoint = await timed(Math.ceil(iterations / 3), () =>
    evaluateTrustpoint(config, "VPN", CHECK_AT, true, cache.parse),
  );
  const microsParse = await timed(iterations, () => parseCertificate(leaf.der));

  const row = (measure: string, micros: number, unit = "validations/s"): PkiBenchRow => ({
    measure,
    value: Math.round(1e6 / micros),
    unit,
    "µs each": micros.toFixed(0),
    "x baseline": (microsBaseline / micros).toFixed(2),
  });
  return [
    row("node:crypto X509Certificate signatures + dates, no path rules (baseline)", microsBaseline),
    row("validateChain (pkijs, 3-certificate path at the appliance time)", microsChain),
    row("evaluateTrustpoint (leaf, issuing CA, root: every certificate)", microsTrustpoint, "trustpoints/s"),
    row("parseCertificate (DER -> names, dates, usage, fingerprints)", microsParse, "certificates/s"),
  ];
}

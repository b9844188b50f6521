/**
 * Running-configs with trustpoints and chains built from the fixtures, typed as an operator
 * would paste them (hex blocks ended by `quit`) through the real configuration handlers.
 */
import { emptyConfig, type RunningConfig } from "../../src/config/model.js";
import { parseCertificate } from "../../src/services/pki/certificateInfo.js";
import { HandlerHarness } from "../fixtures/handlerHarness.js";
import { type FixtureName, fixtureDer, hexLines } from "../fixtures/pki/pkiFixtures.js";

export type EntryKind = "ca" | "self-signed" | "certificate";

export interface TrustpointSpec {
  readonly name: string;
  /** Extra trustpoint sub-commands, e.g. `chain-validation continue ROOT`. */
  readonly lines?: readonly string[];
  readonly chain: readonly (readonly [EntryKind, FixtureName])[];
}

export function serialOf(name: FixtureName): string {
  const parsed = parseCertificate(fixtureDer(name));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.info.serial;
}

/** The configuration lines for `specs`: all trustpoints, then all chains (nvgen order). */
export function trustpointLines(specs: readonly TrustpointSpec[]): string[] {
  const lines: string[] = [];
  for (const tp of specs)
    lines.push(
      `crypto pki trustpoint ${tp.name}`,
      " enrollment terminal",
      ...(tp.lines ?? []).map((l) => ` ${l}`),
      "exit",
    );
  for (const tp of specs) {
    if (tp.chain.length === 0) continue;
    lines.push(`crypto pki certificate chain ${tp.name}`);
    for (const [kind, fixture] of tp.chain) {
      const header =
        kind === "certificate"
          ? ` certificate ${serialOf(fixture)}`
          : ` certificate ${kind} ${serialOf(fixture)}`;
      lines.push(header, ...hexLines(fixtureDer(fixture)), "  quit");
    }
    lines.push("exit");
  }
  return lines;
}

export function configWith(specs: readonly TrustpointSpec[], extra: readonly string[] = []): RunningConfig {
  const config = emptyConfig();
  new HandlerHarness(config).applyAll([...extra, ...trustpointLines(specs)]);
  return config;
}

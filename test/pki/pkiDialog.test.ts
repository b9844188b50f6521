/**
 * The `crypto pki authenticate NAME` and `crypto pki import NAME certificate` paste dialogs
 * (ios-cli.md §2.11 [R]) driven answer by answer, as a terminal session drives them; the stored
 * certificate renders in the running-config.
 */
import { describe, expect, it } from "vitest";
import type { ExecResult } from "../../src/cli/execCommands.js";
import { authenticateTrustpointDialog, importCertificateDialog } from "../../src/cli/pkiDialog.js";
import { renderPki } from "../../src/config/areas/pkiConfig.js";
import { emptyConfig, type RunningConfig } from "../../src/config/model.js";
import { HandlerHarness } from "../fixtures/handlerHarness.js";
import { fixtureDer, fixturePem, hexLines, opensslFingerprints } from "../fixtures/pki/pkiFixtures.js";

/** Feed `answers` to the question chain; returns everything printed, prompts included. */
function drive(first: ExecResult, answers: readonly string[]): { printed: string[]; last: ExecResult } {
  const printed = [...first.lines];
  let current = first;
  for (const answer of answers) {
    const q = current.question;
    if (!q) throw new Error(`no question pending for '${answer}'`);
    printed.push(`${q.prompt}${answer}`);
    current = q.answer(answer);
    printed.push(...current.lines);
  }
  return { printed, last: current };
}

function withTrustpoint(): RunningConfig {
  const config = emptyConfig();
  new HandlerHarness(config).applyAll([
    "crypto pki trustpoint MY_TP",
    " enrollment terminal",
    " revocation-check none",
  ]);
  return config;
}

const groups = (hex: string) => `${hex.match(/.{8}/g)?.join(" ")} `;

describe("crypto pki authenticate", () => {
  it("the [R] transcript: paste, fingerprints, accept; stored as certificate ca SERIAL", () => {
    const config = withTrustpoint();
    const stored: string[] = [];
    const pem = fixturePem("root").trimEnd().split("\n");
    const fp = opensslFingerprints("root");
    const { printed, last } = drive(
      authenticateTrustpointDialog(config, "MY_TP", {
        onStored: (name, entry) => stored.push(`${name} ${entry.serial}`),
      }),
      [...pem, "", "yes"],
    );
    expect(printed).toEqual([
      "",
      "Enter the base 64 encoded CA certificate.",
      'End with a blank line or the word "quit" on a line by itself',
      "",
      ...pem,
      "",
      "",
      "Certificate has the following attributes:",
      `       Fingerprint MD5: ${groups(fp.md5)}`,
      `      Fingerprint SHA1: ${groups(fp.sha1)}`,
      "% Do you accept this certificate? [yes/no]: yes",
      "Trustpoint CA certificate accepted.",
      "% Certificate successfully imported",
    ]);
    expect(last.question).toBeUndefined();
    expect(stored).toEqual(["MY_TP 01"]);
    expect(renderPki(config)).toEqual([
      "crypto pki trustpoint MY_TP",
      " enrollment terminal",
      " revocation-check none",
      "!",
      "!",
      "crypto pki certificate chain MY_TP",
      " certificate ca 01",
      ...hexLines(fixtureDer("root")).map((l, i, all) => (i < all.length - 1 ? `${l} ` : l)),
      "  \tquit",
    ]);
  });

  it("`quit` ends the paste; `no` stores nothing; other answers ask again", () => {
    const config = withTrustpoint();
    const pem = fixturePem("intermediate").trimEnd().split("\n");
    const { printed } = drive(authenticateTrustpointDialog(config, "MY_TP"), [...pem, "quit", "maybe", "no"]);
    expect(printed.slice(-3)).toEqual([
      "% Please answer 'yes' or 'no'.",
      "% Do you accept this certificate? [yes/no]: no",
      "% Certificate not accepted.",
    ]);
    expect(config.certificateChains.get("MY_TP")).toBeUndefined();
  });

  it("rejects garbage, a non-CA certificate and an unknown trustpoint", () => {
    const config = withTrustpoint();
    expect(drive(authenticateTrustpointDialog(config, "MY_TP"), ["not base64!", ""]).printed.at(-1)).toBe(
      "% Invalid certificate: 'not base64!' is not base64",
    );
    const leaf = fixturePem("leaf-now").trimEnd().split("\n");
    expect(drive(authenticateTrustpointDialog(config, "MY_TP"), [...leaf, ""]).printed.at(-1)).toBe(
      "% The certificate is not a CA certificate",
    );
    expect(authenticateTrustpointDialog(config, "NOPE").lines).toEqual(["% Trustpoint NOPE does not exist"]);
    expect(config.certificateChains.get("MY_TP")).toBeUndefined();
  });

  it("authenticating the same CA again replaces it", () => {
    const config = withTrustpoint();
    const pem = fixturePem("root").trimEnd().split("\n");
    drive(authenticateTrustpointDialog(config, "MY_TP"), [...pem, "", "y"]);
    drive(authenticateTrustpointDialog(config, "MY_TP"), [...pem, "", "y"]);
    expect(config.certificateChains.get("MY_TP")?.map((c) => `${c.kind} ${c.serial}`)).toEqual(["ca 01"]);
  });
});

describe("crypto pki import NAME certificate", () => {
  it("needs the CA first; then stores the router certificate before the CA", () => {
    const config = withTrustpoint();
    expect(importCertificateDialog(config, "MY_TP").lines).toEqual([
      "% You must authenticate the Certificate Authority before you can import the router's certificate.",
    ]);
    drive(authenticateTrustpointDialog(config, "MY_TP"), [
      ...fixturePem("intermediate").trimEnd().split("\n"),
      "",
      "yes",
    ]);
    const leaf = fixturePem("leaf-now").trimEnd().split("\n");
    const { printed } = drive(importCertificateDialog(config, "MY_TP"), [...leaf, ""]);
    expect(printed.slice(0, 4)).toEqual([
      "",
      "Enter the base 64 encoded certificate.",
      'End with a blank line or the word "quit" on a line by itself',
      "",
    ]);
    expect(printed.slice(-2)).toEqual(["", "% Router Certificate successfully imported"]);
    expect(config.certificateChains.get("MY_TP")?.map((c) => `${c.kind} ${c.serial}`)).toEqual([
      "certificate 1DF9761C0000001C9621",
      "ca 02",
    ]);
  });
});

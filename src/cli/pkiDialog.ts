/**
 * The paste dialogs of `crypto pki authenticate NAME` and `crypto pki import NAME certificate`
 * (ios-cli.md §2.11 [R]), as chains of ExecResult questions: the operator pastes a base64 /
 * PEM certificate, ends with a blank line or `quit`, checks the fingerprints and accepts. The
 * certificate is stored in the running-config's chain (`certificate ca SERIAL` /
 * `certificate SERIAL`), so it renders in `show running-config` and the PKI service validates it.
 */
import type { CertificateConfig, RunningConfig } from "../config/model.js";
import {
  type CertificateInfo,
  fingerprintGroups,
  parseCertificate,
} from "../services/pki/certificateInfo.js";
import { decodePastedCertificate } from "../services/pki/pemCertificate.js";
import type { ExecResult } from "./execCommands.js";

export interface CertificateDialogOptions {
  /** Runs after the certificate is stored: re-validate, announce the configuration change. */
  readonly onStored?: (name: string, entry: CertificateConfig) => void;
}

const END_OF_PASTE = 'End with a blank line or the word "quit" on a line by itself';
const ACCEPT_PROMPT = "% Do you accept this certificate? [yes/no]: ";

/** Collect pasted lines until a blank line or `quit`, then hand them to `done`. */
function collectPaste(done: (lines: string[]) => ExecResult): ExecResult {
  const pasted: string[] = [];
  const next = (): ExecResult => ({
    lines: [],
    question: {
      prompt: "",
      answer: (text) => {
        const word = text.trim();
        if (word === "" || word.toLowerCase() === "quit") return done(pasted);
        pasted.push(text);
        return next();
      },
    },
  });
  return next();
}

/** The pasted text as a parsed certificate, or the error line to print. */
function pastedCertificate(lines: readonly string[]): { info: CertificateInfo } | { error: string } {
  const decoded = decodePastedCertificate(lines);
  if (!decoded.ok) return { error: `% Invalid certificate: ${decoded.reason}` };
  const parsed = parseCertificate(decoded.der);
  if (!parsed.ok) return { error: `% Invalid certificate: ${parsed.reason}` };
  return { info: parsed.info };
}

/** Store `entry` in the chain of `name`, replacing a certificate of the same kind and serial. */
function storeCertificate(config: RunningConfig, name: string, entry: CertificateConfig): void {
  const chain = config.certificateChains.get(name) ?? [];
  const same = chain.findIndex((c) => c.kind === entry.kind && c.serial === entry.serial);
  if (same >= 0) chain[same] = entry;
  else if (entry.kind === "ca") chain.push(entry);
  else {
    // The router's own certificate is listed before its CA's, as IOS nvgen prints a chain [I].
    const ca = chain.findIndex((c) => c.kind === "ca");
    chain.splice(ca >= 0 ? ca : chain.length, 0, entry);
  }
  config.certificateChains.set(name, chain);
}

function askAcceptance(onYes: () => ExecResult, lines: string[] = []): ExecResult {
  return {
    lines,
    question: {
      prompt: ACCEPT_PROMPT,
      answer: (text) => {
        const word = text.trim().toLowerCase();
        if (word === "yes" || word === "y") return onYes();
        if (word === "no" || word === "n") return { lines: ["% Certificate not accepted."] };
        return askAcceptance(onYes, ["% Please answer 'yes' or 'no'."]);
      },
    },
  };
}

function missingTrustpoint(name: string): ExecResult {
  return { lines: [`% Trustpoint ${name} does not exist`] };
}

/**
 * `crypto pki authenticate NAME`: paste the CA certificate, confirm its MD5/SHA1 fingerprints,
 * store it as `certificate ca SERIAL` of the trustpoint's chain.
 */
export function authenticateTrustpointDialog(
  config: RunningConfig,
  name: string,
  options: CertificateDialogOptions = {},
): ExecResult {
  if (!config.trustpoints.has(name)) return missingTrustpoint(name);
  const pasted = collectPaste((lines) => {
    const got = pastedCertificate(lines);
    if ("error" in got) return { lines: [got.error] };
    const { info } = got;
    if (!info.isCa) return { lines: ["% The certificate is not a CA certificate"] };
    return askAcceptance(() => {
      const entry: CertificateConfig = { kind: "ca", serial: info.serial, der: info.der };
      storeCertificate(config, name, entry);
      options.onStored?.(name, entry);
      return { lines: ["Trustpoint CA certificate accepted.", "% Certificate successfully imported"] };
    }, [
      "",
      "Certificate has the following attributes:",
      `       Fingerprint MD5: ${fingerprintGroups(info.md5)}`,
      `      Fingerprint SHA1: ${fingerprintGroups(info.sha1)}`,
    ]);
  });
  return { ...pasted, lines: ["", "Enter the base 64 encoded CA certificate.", END_OF_PASTE, ""] };
}

/**
 * `crypto pki import NAME certificate`: paste the router's certificate (issued for its key by
 * the trustpoint's CA) and store it as `certificate SERIAL`. The CA must be authenticated first.
 */
export function importCertificateDialog(
  config: RunningConfig,
  name: string,
  options: CertificateDialogOptions = {},
): ExecResult {
  if (!config.trustpoints.has(name)) return missingTrustpoint(name);
  const chain = config.certificateChains.get(name) ?? [];
  if (!chain.some((c) => c.kind === "ca")) {
    return {
      lines: [
        "% You must authenticate the Certificate Authority before you can import the router's certificate.",
      ],
    };
  }
  const pasted = collectPaste((lines) => {
    const got = pastedCertificate(lines);
    if ("error" in got) return { lines: [got.error] };
    const entry: CertificateConfig = { kind: "certificate", serial: got.info.serial, der: got.info.der };
    storeCertificate(config, name, entry);
    options.onStored?.(name, entry);
    return { lines: ["", "% Router Certificate successfully imported"] };
  });
  return { ...pasted, lines: ["", "Enter the base 64 encoded certificate.", END_OF_PASTE, ""] };
}

/**
 * The SSH host key: ed25519, generated with ssh2's own generator on first start (ssh2 cannot
 * parse node's PKCS#8 output, node-notes §3), kept in the data directory with mode 0600 and
 * written atomically so that an interrupted first start never leaves half a key.
 */
import { createHash } from "node:crypto";
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import ssh2 from "ssh2";

export const HOST_KEY_FILE = "ssh_host_ed25519_key";
const PRIVATE_KEY_MODE = 0o600;

export interface HostKey {
  /** OpenSSH private key text, as ssh2's server takes it. */
  readonly privateKey: string;
  /** `ssh-ed25519 BASE64`. */
  readonly publicKey: string;
  /** `SHA256:...` as `ssh-keygen -lf` and the ssh client print it. */
  readonly fingerprint: string;
  /** Whether this start generated it. */
  readonly created: boolean;
}

/** OpenSSH's fingerprint: unpadded base64 of the SHA-256 of the public key blob. */
export function sha256Fingerprint(blob: Buffer): string {
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

function describe(privateKey: string, created: boolean): HostKey {
  const parsed = ssh2.utils.parseKey(privateKey);
  if (parsed instanceof Error) throw new Error(`host key: ${parsed.message}`);
  const blob = parsed.getPublicSSH();
  return {
    privateKey,
    publicKey: `${parsed.type} ${blob.toString("base64")}`,
    fingerprint: sha256Fingerprint(blob),
    created,
  };
}

function writePrivate(file: string, text: string): void {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  const fd = openSync(temp, "w", PRIVATE_KEY_MODE);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
}

/** Load `file`, or generate and store a new ed25519 key there. Tightens a too-open mode to 0600. */
export function loadOrCreateHostKey(file: string): HostKey {
  if (existsSync(file)) {
    chmodSync(file, PRIVATE_KEY_MODE);
    return describe(readFileSync(file, "utf8"), false);
  }
  const pair = ssh2.utils.generateKeyPairSync("ed25519", { comment: "meridian host key" });
  writePrivate(file, pair.private);
  return describe(pair.private, true);
}

/**
 * What the SSH server offers. Nothing built on SHA-1 (no `ssh-rsa` signatures, no
 * `diffie-hellman-group14-sha1`, no `hmac-sha1`), no CBC ciphers; OpenSSH 9 negotiates
 * curve25519-sha256 + ssh-ed25519 + chacha20-poly1305 from these (node-notes §3).
 */
import type { Algorithms } from "ssh2";

/** Host key: one ed25519 key, generated on first start. */
export const HOST_KEY_ALGORITHM = "ssh-ed25519";

export const KEX_ALGORITHMS = [
  "curve25519-sha256",
  "curve25519-sha256@libssh.org",
  "ecdh-sha2-nistp256",
  "ecdh-sha2-nistp384",
  "ecdh-sha2-nistp521",
  "diffie-hellman-group-exchange-sha256",
  "diffie-hellman-group16-sha512",
  "diffie-hellman-group18-sha512",
  "diffie-hellman-group14-sha256",
] as const;

export const CIPHERS = [
  "chacha20-poly1305@openssh.com",
  "aes128-gcm@openssh.com",
  "aes256-gcm@openssh.com",
  "aes128-ctr",
  "aes192-ctr",
  "aes256-ctr",
] as const;

export const MACS = [
  "hmac-sha2-256-etm@openssh.com",
  "hmac-sha2-512-etm@openssh.com",
  "hmac-sha2-256",
  "hmac-sha2-512",
] as const;

/** User keys accepted for publickey authentication (signature algorithms; `ssh-rsa` = SHA-1, refused). */
export const PUBLIC_KEY_ALGORITHMS = [
  "ssh-ed25519",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "rsa-sha2-512",
  "rsa-sha2-256",
] as const;

export const SERVER_ALGORITHMS: Algorithms = {
  kex: [...KEX_ALGORITHMS],
  serverHostKey: [HOST_KEY_ALGORITHM],
  cipher: [...CIPHERS],
  hmac: [...MACS],
  compress: ["none"],
};

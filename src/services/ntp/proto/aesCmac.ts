/**
 * AES-CMAC (RFC 4493; NIST SP 800-38B for the 256-bit key variant) on node:crypto, which has AES
 * but no CMAC. Used for RFC 8573 NTP MACs, and reusable for the S2V step of AES-SIV (RFC 5297).
 *
 * Speed: each instance keeps one AES-CBC cipher object alive for its lifetime instead of creating
 * one per message (createCipheriv costs more than the MAC itself for a 48-octet packet). A CBC
 * cipher carries its last output block into the next update() as the chaining value, so each
 * message's first block is XORed with that previous block, cancelling it: the chain then
 * effectively starts from the zero IV that CBC-MAC requires, and one update() call computes the
 * whole MAC.
 */
import { type Cipher, createCipheriv } from "node:crypto";

/** CMAC block and tag length, octets (RFC 4493 §2.1). */
export const CMAC_BLOCK_LENGTH = 16;

/** The constant R_b for 128-bit blocks used in subkey generation (RFC 4493 §2.3). */
const RB = 0x87;

const ZERO_BLOCK = Buffer.alloc(CMAC_BLOCK_LENGTH);

/** An AES-CMAC instance bound to one key (16 octets: AES-128, 32 octets: AES-256). */
export class AesCmac {
  readonly #cbc: Cipher;
  readonly #k1: Buffer;
  readonly #k2: Buffer;
  /** Last ciphertext block the CBC cipher produced: its running chaining value. */
  readonly #chain = Buffer.alloc(CMAC_BLOCK_LENGTH);
  #scratch = Buffer.alloc(4 * CMAC_BLOCK_LENGTH);

  constructor(key: Uint8Array) {
    const cipherName = cipherForKeyLength(key.length);
    const ecb = createCipheriv(cipherName.replace("-cbc", "-ecb"), key, null).setAutoPadding(false);
    const l = ecb.update(ZERO_BLOCK);
    this.#k1 = doubleBlock(l);
    this.#k2 = doubleBlock(this.#k1);
    this.#cbc = createCipheriv(cipherName, key, ZERO_BLOCK).setAutoPadding(false);
  }

  /** The 16-octet tag of `message`, as a new Buffer. */
  compute(message: Uint8Array): Buffer {
    const tag = Buffer.allocUnsafe(CMAC_BLOCK_LENGTH);
    this.computeInto(message, tag, 0);
    return tag;
  }

  /** Writes the first `length` (default 16) octets of the tag of `message` into `out` at `offset`. */
  computeInto(message: Uint8Array, out: Uint8Array, offset: number, length = CMAC_BLOCK_LENGTH): void {
    const blocks = Math.max(1, Math.ceil(message.length / CMAC_BLOCK_LENGTH));
    const paddedLength = blocks * CMAC_BLOCK_LENGTH;
    const scratch = this.#scratchOf(paddedLength);
    scratch.set(message, 0);
    const lastStart = paddedLength - CMAC_BLOCK_LENGTH;
    // RFC 4493 §2.4 steps 3-4: a complete last block is XORed with K1; an incomplete (or empty)
    // one is padded with 10* and XORed with K2.
    const complete = message.length > 0 && message.length % CMAC_BLOCK_LENGTH === 0;
    if (!complete) {
      scratch[message.length] = 0x80;
      scratch.fill(0, message.length + 1, paddedLength);
    }
    xorInto(scratch, lastStart, complete ? this.#k1 : this.#k2);
    xorInto(scratch, 0, this.#chain);
    const ciphertext = this.#cbc.update(scratch.subarray(0, paddedLength));
    ciphertext.copy(this.#chain, 0, lastStart, paddedLength);
    out.set(this.#chain.subarray(0, length), offset);
  }

  #scratchOf(length: number): Buffer {
    if (this.#scratch.length < length)
      this.#scratch = Buffer.alloc(Math.max(length, 2 * this.#scratch.length));
    return this.#scratch;
  }
}

function cipherForKeyLength(length: number): "aes-128-cbc" | "aes-256-cbc" {
  if (length === 16) return "aes-128-cbc";
  if (length === 32) return "aes-256-cbc";
  throw new RangeError(`AES-CMAC key must be 16 or 32 octets, got ${length}`);
}

/** Multiplication by x in GF(2^128): shift left one bit, reduce with R_b (RFC 4493 §2.3). */
function doubleBlock(block: Buffer): Buffer {
  const doubled = Buffer.alloc(CMAC_BLOCK_LENGTH);
  for (let i = 0; i < CMAC_BLOCK_LENGTH; i++) {
    const next = i + 1 < CMAC_BLOCK_LENGTH ? (block[i + 1] ?? 0) : 0;
    doubled[i] = (((block[i] ?? 0) << 1) | (next >>> 7)) & 0xff;
  }
  if (((block[0] ?? 0) & 0x80) !== 0)
    doubled[CMAC_BLOCK_LENGTH - 1] = (doubled[CMAC_BLOCK_LENGTH - 1] ?? 0) ^ RB;
  return doubled;
}

function xorInto(target: Buffer, offset: number, mask: Buffer): void {
  for (let i = 0; i < CMAC_BLOCK_LENGTH; i++) {
    target[offset + i] = (target[offset + i] ?? 0) ^ (mask[i] ?? 0);
  }
}

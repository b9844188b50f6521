/**
 * Symmetric-key authentication of whole packets: append a MAC when encoding, check it after
 * decoding (RFC 5905 §7.3, RFC 8573). The MAC covers the header and extension fields as they are
 * on the wire, so verification reads the received bytes (`PacketLayout.macOffset`) and never
 * re-encodes.
 */
import { digestLengthForVersion, type SymmetricKey, verifyPrefixMac, writeMac } from "./mac.js";
import { encodePacket, KEY_ID_LENGTH, type NtpPacket, type PacketLayout, type PacketMac } from "./packet.js";

/** Zero digests by length, used as placeholders while the real digest is computed in place. */
const placeholderDigests = new Map<number, Buffer>();

function placeholderMac(keyId: number, digestLength: number): PacketMac {
  let digest = placeholderDigests.get(digestLength);
  if (digest === undefined) {
    digest = Buffer.alloc(digestLength);
    placeholderDigests.set(digestLength, digest);
  }
  return { keyId, digest };
}

/**
 * Encodes `packet` (its own `mac` is ignored) followed by a MAC under `key`, into `out` at
 * `offset`; returns the octets written. The digest is truncated as `digestLengthForVersion`
 * says for the packet's version.
 */
export function encodeAuthenticatedPacket(
  packet: NtpPacket,
  key: SymmetricKey,
  out: Buffer,
  offset = 0,
): number {
  const digestLength = digestLengthForVersion(key.algorithm, packet.version);
  const length = encodePacket({ ...packet, mac: placeholderMac(key.id, digestLength) }, out, offset);
  const macOffset = offset + length - KEY_ID_LENGTH - digestLength;
  writeMac(key, out.subarray(offset, macOffset), out, macOffset + KEY_ID_LENGTH, digestLength);
  return length;
}

/**
 * Whether a decoded packet carries a valid MAC under `key`: the key id matches and the digest
 * verifies over the received header and extension fields. False for a missing MAC or crypto-NAK.
 */
export function verifyPacketMac(
  decoded: { readonly packet: NtpPacket; readonly layout: PacketLayout },
  key: SymmetricKey,
): boolean {
  const mac = decoded.packet.mac;
  if (mac === undefined || mac.keyId !== key.id || mac.digest.length === 0) return false;
  return verifyPrefixMac(key, decoded.layout.bytes, decoded.layout.macOffset, mac.digest);
}

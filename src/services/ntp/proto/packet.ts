/**
 * NTP packet codec for versions 1-4 (RFC 5905 §7.3), with NTPv4 extension fields (RFC 7822) and
 * the legacy MAC trailer (RFC 5905 §7.3, RFC 8573).
 *
 * Decoding never throws: bad input is a `DecodeRejectReason`. Decoded byte fields (MAC digest,
 * extension field values, raw transmit timestamp) are views into the input, not copies — copy
 * them if the input buffer is reused after the packet is handled.
 *
 * Encoding writes into a caller-provided Buffer so the server can reuse one send buffer; it throws
 * RangeError only for programming errors (field out of range, buffer too small, a layout the wire
 * cannot express unambiguously).
 */
import {
  EXTENSION_FIELD_HEADER_LENGTH,
  type ExtensionField,
  encodeExtensionField,
  extensionFieldLength,
  MIN_EXTENSION_FIELD_LENGTH,
  MIN_LAST_EXTENSION_FIELD_LENGTH,
  peekExtensionFieldLength,
} from "./extensionField.js";
import { MAX_DIGEST_LENGTH, MAX_V4_DIGEST_LENGTH, MIN_DIGEST_LENGTH } from "./mac.js";
import { type NtpShort, type NtpTimestamp, readTimestamp, writeTimestamp } from "./ntpTimestamp.js";
import {
  HeaderOffset,
  type LeapIndicator,
  Mode,
  NTP_HEADER_LENGTH,
  NTP_MIN_COMPATIBLE_VERSION,
  NTP_VERSION,
  type NtpMode,
} from "./protocolConstants.js";

/** The MAC trailer: key id and digest. A crypto-NAK is key id 0 with an empty digest. */
export interface PacketMac {
  readonly keyId: number;
  readonly digest: Buffer;
}

/** A decoded (or to-be-encoded) NTP packet. */
export interface NtpPacket {
  readonly leap: LeapIndicator;
  /** 1..4. */
  readonly version: number;
  /** Any mode but Control (6) and Private (7), whose packets have a different layout. */
  readonly mode: NtpMode;
  /** u8; 0 = kiss-o'-death / unspecified, 16 = unsynchronized. */
  readonly stratum: number;
  /** Poll interval, log2 seconds, i8. */
  readonly pollLog2: number;
  /** Clock precision, log2 seconds, i8. */
  readonly precisionLog2: number;
  readonly rootDelay: NtpShort;
  readonly rootDispersion: NtpShort;
  /** u32: an IPv4 address, the first octets of an IPv6 address hash, or ASCII (see kissCode.ts). */
  readonly referenceId: number;
  readonly referenceTimestamp: NtpTimestamp;
  readonly originTimestamp: NtpTimestamp;
  readonly receiveTimestamp: NtpTimestamp;
  readonly transmitTimestamp: NtpTimestamp;
  /** NTPv4 only; empty otherwise. */
  readonly extensionFields: readonly ExtensionField[];
  readonly mac: PacketMac | undefined;
}

/** Where things are in a decoded datagram, for checks that work on the raw bytes. */
export interface PacketLayout {
  /** The datagram (the input itself when it was a Buffer). */
  readonly bytes: Buffer;
  /**
   * Offset of the MAC trailer; equals `bytes.length` when there is none. A MAC covers
   * `bytes[0, macOffset)`: header and extension fields (RFC 5905 §7.3).
   */
  readonly macOffset: number;
  /** Offset of each extension field, in order (NTS authenticates the packet up to its field). */
  readonly extensionFieldOffsets: readonly number[];
  /** The 8 transmit timestamp octets, for a server to echo bit for bit as the origin timestamp. */
  readonly transmitTimestampBytes: Buffer;
}

export type DecodeRejectReason =
  /** Fewer than 48 octets. */
  | "too-short"
  /** Length not a multiple of 4: every NTP field and trailer is word-aligned. */
  | "length-not-word-aligned"
  /** Version 0 or 5-7. */
  | "unsupported-version"
  /** Mode 6 (control) or 7 (private): a different packet layout, not handled by this codec. */
  | "unsupported-mode"
  /** Bytes after the header are neither valid extension fields nor a MAC. */
  | "malformed-extension-field"
  /** The trailer is not a crypto-NAK or a MAC of an acceptable length. */
  | "malformed-mac";

export type DecodeResult =
  | { readonly ok: true; readonly packet: NtpPacket; readonly layout: PacketLayout }
  | { readonly ok: false; readonly reason: DecodeRejectReason };

/** The crypto-NAK trailer: a MAC of just a zero key id (RFC 7822 §3; chrony and ntpd treat it so). */
export const CRYPTO_NAK: PacketMac = Object.freeze({ keyId: 0, digest: Buffer.alloc(0) });

/** Length of the key id that starts a MAC, octets (RFC 5905 §7.3). */
export const KEY_ID_LENGTH = 4;

/** Shortest MAC: key id and a 128-bit digest (RFC 7822 §3). */
const MIN_MAC_LENGTH = KEY_ID_LENGTH + MIN_DIGEST_LENGTH;
/** Longest MAC in an NTPv4 packet: key id and a 160-bit digest (RFC 7822 §3). */
const MAX_V4_MAC_LENGTH = KEY_ID_LENGTH + MAX_V4_DIGEST_LENGTH;
/** Longest MAC accepted at all (NTPv3 with SHA-512, chrony `NTP_MAX_MAC_LENGTH`). */
const MAX_MAC_LENGTH = KEY_ID_LENGTH + MAX_DIGEST_LENGTH;

const NO_FIELDS: readonly ExtensionField[] = Object.freeze([]);
const NO_OFFSETS: readonly number[] = Object.freeze([]);

export function isCryptoNak(mac: PacketMac | undefined): boolean {
  return mac !== undefined && mac.keyId === 0 && mac.digest.length === 0;
}

/** Decodes one datagram. Never throws, whatever the bytes. */
export function decodePacket(datagram: Uint8Array): DecodeResult {
  const bytes = Buffer.isBuffer(datagram)
    ? datagram
    : Buffer.from(datagram.buffer, datagram.byteOffset, datagram.byteLength);
  const length = bytes.length;
  if (length < NTP_HEADER_LENGTH) return reject("too-short");
  if (length % 4 !== 0) return reject("length-not-word-aligned");
  const first = bytes[0] ?? 0;
  const version = (first >>> 3) & 0x07;
  if (version < NTP_MIN_COMPATIBLE_VERSION || version > NTP_VERSION) return reject("unsupported-version");
  const mode = (first & 0x07) as NtpMode;
  if (mode === Mode.Control || mode === Mode.Private) return reject("unsupported-mode");

  const trailer = version === 4 ? splitV4Trailer(bytes) : splitLegacyTrailer(bytes);
  if (typeof trailer === "string") return reject(trailer);

  const packet: NtpPacket = {
    leap: (first >>> 6) as LeapIndicator,
    version,
    mode,
    stratum: bytes[HeaderOffset.Stratum] ?? 0,
    pollLog2: bytes.readInt8(HeaderOffset.Poll),
    precisionLog2: bytes.readInt8(HeaderOffset.Precision),
    rootDelay: bytes.readUInt32BE(HeaderOffset.RootDelay),
    rootDispersion: bytes.readUInt32BE(HeaderOffset.RootDispersion),
    referenceId: bytes.readUInt32BE(HeaderOffset.ReferenceId),
    referenceTimestamp: readTimestamp(bytes, HeaderOffset.ReferenceTimestamp),
    originTimestamp: readTimestamp(bytes, HeaderOffset.OriginTimestamp),
    receiveTimestamp: readTimestamp(bytes, HeaderOffset.ReceiveTimestamp),
    transmitTimestamp: readTimestamp(bytes, HeaderOffset.TransmitTimestamp),
    extensionFields: trailer.fields,
    mac: trailer.mac,
  };
  const layout: PacketLayout = {
    bytes,
    macOffset: trailer.macOffset,
    extensionFieldOffsets: trailer.fieldOffsets,
    transmitTimestampBytes: bytes.subarray(HeaderOffset.TransmitTimestamp, NTP_HEADER_LENGTH),
  };
  return { ok: true, packet, layout };
}

interface Trailer {
  readonly fields: readonly ExtensionField[];
  readonly fieldOffsets: readonly number[];
  readonly mac: PacketMac | undefined;
  readonly macOffset: number;
}

/** NTPv1-3 have no extension fields: anything after the header is a MAC. */
function splitLegacyTrailer(bytes: Buffer): Trailer | DecodeRejectReason {
  const remaining = bytes.length - NTP_HEADER_LENGTH;
  if (remaining === 0) return noTrailer(bytes);
  const mac = decodeMac(bytes, NTP_HEADER_LENGTH, MAX_MAC_LENGTH);
  if (mac === undefined) return "malformed-mac";
  return { fields: NO_FIELDS, fieldOffsets: NO_OFFSETS, mac, macOffset: NTP_HEADER_LENGTH };
}

/**
 * NTPv4: extension fields, then optionally a MAC. RFC 7822 §3 makes this deterministic: a
 * remainder of 20..24 octets is a MAC (no extension field is that short at the end of a packet),
 * a remainder of 4 zero octets is a crypto-NAK, and anything longer starts an extension field.
 * One leniency beyond chrony: a remainder that is not a valid field but has the shape of a longer
 * MAC (e.g. a full 32-octet SHA-256 digest from a sender that does not truncate) is taken as a
 * MAC; it still has to verify.
 */
function splitV4Trailer(bytes: Buffer): Trailer | DecodeRejectReason {
  const end = bytes.length;
  if (end === NTP_HEADER_LENGTH) return noTrailer(bytes);
  let fields: ExtensionField[] | undefined;
  let fieldOffsets: number[] | undefined;
  let offset = NTP_HEADER_LENGTH;
  let mac: PacketMac | undefined;
  while (offset < end) {
    const remaining = end - offset;
    if (remaining === KEY_ID_LENGTH || (remaining >= MIN_MAC_LENGTH && remaining <= MAX_V4_MAC_LENGTH)) {
      mac = decodeMac(bytes, offset, MAX_V4_MAC_LENGTH);
      if (mac === undefined) return "malformed-mac";
      break;
    }
    const fieldLength = peekExtensionFieldLength(bytes, offset, end, MIN_EXTENSION_FIELD_LENGTH);
    if (fieldLength < 0) {
      mac = decodeMac(bytes, offset, MAX_MAC_LENGTH);
      if (mac === undefined) return "malformed-extension-field";
      break;
    }
    fields ??= [];
    fieldOffsets ??= [];
    fields.push({
      type: bytes.readUInt16BE(offset),
      value: bytes.subarray(offset + EXTENSION_FIELD_HEADER_LENGTH, offset + fieldLength),
    });
    fieldOffsets.push(offset);
    offset += fieldLength;
  }
  return { fields: fields ?? NO_FIELDS, fieldOffsets: fieldOffsets ?? NO_OFFSETS, mac, macOffset: offset };
}

function noTrailer(bytes: Buffer): Trailer {
  return { fields: NO_FIELDS, fieldOffsets: NO_OFFSETS, mac: undefined, macOffset: bytes.length };
}

/** The MAC occupying `bytes[offset..]`, or undefined if its length is not one a MAC can have. */
function decodeMac(bytes: Buffer, offset: number, maxLength: number): PacketMac | undefined {
  const length = bytes.length - offset;
  const keyId = bytes.readUInt32BE(offset);
  if (length === KEY_ID_LENGTH) return keyId === 0 ? CRYPTO_NAK : undefined;
  if (length < MIN_MAC_LENGTH || length > maxLength) return undefined;
  return { keyId, digest: bytes.subarray(offset + KEY_ID_LENGTH) };
}

function reject(reason: DecodeRejectReason): DecodeResult {
  return { ok: false, reason };
}

/** Octets `encodePacket` will write for `packet`. */
export function encodedPacketLength(packet: NtpPacket): number {
  let length = NTP_HEADER_LENGTH;
  const fields = packet.extensionFields;
  const macFollows = packet.mac !== undefined && !isCryptoNak(packet.mac);
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as ExtensionField;
    length += extensionFieldLength(field.value.length, minimumFieldLength(i, fields.length, macFollows));
  }
  if (packet.mac !== undefined) length += KEY_ID_LENGTH + packet.mac.digest.length;
  return length;
}

/**
 * Encodes `packet` into `out` at `offset` and returns the octets written. Extension fields are
 * zero-padded to RFC 7822 §3 sizes (16 octets, or 28 for the last one when no MAC follows; a
 * crypto-NAK counts as no MAC, since 16 + 4 octets would read as a MAC).
 */
export function encodePacket(packet: NtpPacket, out: Buffer, offset = 0): number {
  checkEncodable(packet);
  const length = encodedPacketLength(packet);
  if (offset < 0 || offset + length > out.length) {
    throw new RangeError(`packet of ${length} octets does not fit in ${out.length - offset} octets`);
  }
  writeHeader(packet, out, offset);
  let position = offset + NTP_HEADER_LENGTH;
  const fields = packet.extensionFields;
  const macFollows = packet.mac !== undefined && !isCryptoNak(packet.mac);
  for (let i = 0; i < fields.length; i++) {
    const minimum = minimumFieldLength(i, fields.length, macFollows);
    position += encodeExtensionField(out, position, fields[i] as ExtensionField, minimum);
  }
  if (packet.mac !== undefined) {
    out.writeUInt32BE(packet.mac.keyId, position);
    packet.mac.digest.copy(out, position + KEY_ID_LENGTH);
  }
  return length;
}

/** Encodes `packet` into a new Buffer of exactly its length. */
export function encodePacketToBuffer(packet: NtpPacket): Buffer {
  const out = Buffer.alloc(encodedPacketLength(packet));
  encodePacket(packet, out, 0);
  return out;
}

function writeHeader(packet: NtpPacket, out: Buffer, offset: number): void {
  out[offset] = (packet.leap << 6) | (packet.version << 3) | packet.mode;
  out.writeUInt8(packet.stratum, offset + HeaderOffset.Stratum);
  out.writeInt8(packet.pollLog2, offset + HeaderOffset.Poll);
  out.writeInt8(packet.precisionLog2, offset + HeaderOffset.Precision);
  out.writeUInt32BE(packet.rootDelay, offset + HeaderOffset.RootDelay);
  out.writeUInt32BE(packet.rootDispersion, offset + HeaderOffset.RootDispersion);
  out.writeUInt32BE(packet.referenceId, offset + HeaderOffset.ReferenceId);
  writeTimestamp(out, offset + HeaderOffset.ReferenceTimestamp, packet.referenceTimestamp);
  writeTimestamp(out, offset + HeaderOffset.OriginTimestamp, packet.originTimestamp);
  writeTimestamp(out, offset + HeaderOffset.ReceiveTimestamp, packet.receiveTimestamp);
  writeTimestamp(out, offset + HeaderOffset.TransmitTimestamp, packet.transmitTimestamp);
}

function minimumFieldLength(index: number, count: number, macFollows: boolean): number {
  return index === count - 1 && !macFollows ? MIN_LAST_EXTENSION_FIELD_LENGTH : MIN_EXTENSION_FIELD_LENGTH;
}

function checkEncodable(packet: NtpPacket): void {
  const { leap, version, mode, mac } = packet;
  if (!(leap >= 0 && leap <= 3)) throw new RangeError(`leap indicator ${leap} is not 0..3`);
  if (!(version >= NTP_MIN_COMPATIBLE_VERSION && version <= NTP_VERSION)) {
    throw new RangeError(`version ${version} is not ${NTP_MIN_COMPATIBLE_VERSION}..${NTP_VERSION}`);
  }
  if (!(mode >= 0 && mode <= 5)) throw new RangeError(`mode ${mode} cannot be encoded as an NTP packet`);
  if (packet.extensionFields.length > 0 && version !== 4) {
    throw new RangeError(`extension fields need NTPv4, packet is v${version}`);
  }
  if (mac === undefined || isCryptoNak(mac)) return;
  const digestLength = mac.digest.length;
  const maxDigest = version === 4 ? MAX_V4_DIGEST_LENGTH : MAX_DIGEST_LENGTH;
  if (digestLength < MIN_DIGEST_LENGTH || digestLength > maxDigest || digestLength % 4 !== 0) {
    throw new RangeError(`a ${digestLength}-octet digest cannot be sent in an NTPv${version} MAC`);
  }
}

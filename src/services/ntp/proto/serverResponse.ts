/**
 * Writes the server's NTP answers (modes 4 and 2) in place into the caller's send buffer:
 * time responses, kiss-o'-death packets and crypto-NAKs.
 *
 * Order of work, so the transmit timestamp is as late as it can be: every other byte of the
 * response (header, origin, receive, key id) is written first, then `clock.now()` is read and
 * written, and only then the MAC is computed over the finished header. That is why this writes
 * header fields directly rather than through `encodeAuthenticatedPacket`, which needs the whole
 * packet — transmit timestamp included — before it starts; the bytes are the same (the tests
 * decode and verify every response with `decodePacket` and `verifyPacketMac`).
 */
import { KissCode } from "./kissCode.js";
import { type SymmetricKey, writePrefixMac } from "./mac.js";
import { type NtpTimestamp, secondsToNtpShort, writeTimestamp, ZERO_TIMESTAMP } from "./ntpTimestamp.js";
import { KEY_ID_LENGTH, type NtpPacket, type PacketLayout } from "./packet.js";
import {
  HeaderOffset,
  Leap,
  type LeapIndicator,
  MAX_STRATUM,
  NTP_HEADER_LENGTH,
  STRATUM_PRIMARY,
  STRATUM_UNSPECIFIED,
} from "./protocolConstants.js";
import type { ServerClock, SystemSnapshot } from "./serverClock.js";

/**
 * Reference id sent while unsynchronized: zero, as chrony does (`NTP_REFID_UNSYNC`,
 * reference.c). With stratum 0 on the wire a non-zero value would read as a kiss code; ntpd
 * sends "INIT" there, which clients tolerate but log as a kiss.
 */
export const UNSYNCHRONIZED_REFERENCE_ID = 0;

/** The request being answered, as the response writers need it. */
export interface ResponseContext {
  /** 4 answers a client (mode 3), 2 answers a symmetric active peer (mode 1). */
  readonly mode: 2 | 4;
  /** The request's version, echoed (RFC 5905 Appendix A.5.3: "copied from the receive version"). */
  readonly version: number;
  /** Poll exponent to send, already clamped by the caller. */
  readonly pollLog2: number;
  readonly request: NtpPacket;
  readonly layout: PacketLayout;
  /** When the request arrived (the server's receive timestamp, T2). */
  readonly receiveTime: NtpTimestamp;
}

/** The MAC to append: the request's verified key, at the request's digest length. */
export interface ResponseSignature {
  readonly key: SymmetricKey;
  readonly digestLength: number;
}

const ORIGIN = HeaderOffset.OriginTimestamp;

/** Kiss codes the server sends. */
export const ServerKissCode = { DENY: KissCode.DENY, RSTR: KissCode.RSTR, RATE: KissCode.RATE } as const;

/** Writes a time response (T1 echoed, T2 = receive time, T3 read last). Returns its length. */
export function writeTimeResponse(
  out: Buffer,
  context: ResponseContext,
  clock: ServerClock,
  signature: ResponseSignature | undefined,
): number {
  writeSystemHeader(out, context, clock.system());
  if (signature === undefined) return finishUnsigned(out, clock);
  return finishSigned(out, clock, signature);
}

/**
 * Writes a crypto-NAK: a normal time response whose MAC is just key id 0 (RFC 5905 Appendix
 * A.5.3 fast_xmit with A_CRYPTO; RFC 7822 §3). Returns its length.
 */
export function writeCryptoNak(out: Buffer, context: ResponseContext, clock: ServerClock): number {
  writeSystemHeader(out, context, clock.system());
  out.writeUInt32BE(0, NTP_HEADER_LENGTH);
  writeTimestamp(out, HeaderOffset.TransmitTimestamp, clock.now());
  return NTP_HEADER_LENGTH + KEY_ID_LENGTH;
}

/**
 * Writes a kiss-o'-death packet (RFC 5905 §7.4): leap 3, stratum 0, the kiss code as reference
 * id. Like ntpd's fast_xmit it reveals no local time: origin, receive and transmit all carry the
 * client's transmit timestamp, and precision, root delay, root dispersion and reference time are
 * the request's own. Clients match a KoD by its origin timestamp only (chrony `ntp_core.c`, ntpd
 * `receive()`), so this is what a DENY/RSTR/RATE needs and nothing more. Signed when the request
 * was verified, so an authenticating client can trust it. Returns its length.
 */
export function writeKissOfDeath(
  out: Buffer,
  context: ResponseContext,
  kissCode: number,
  signature: ResponseSignature | undefined,
): number {
  const { request, layout } = context;
  writeHeaderFields(out, context, Leap.Unsynchronized, STRATUM_UNSPECIFIED, request.precisionLog2, kissCode);
  out.writeUInt32BE(request.rootDelay, HeaderOffset.RootDelay);
  out.writeUInt32BE(request.rootDispersion, HeaderOffset.RootDispersion);
  writeTimestamp(out, HeaderOffset.ReferenceTimestamp, request.referenceTimestamp);
  const transmitBytes = layout.transmitTimestampBytes;
  transmitBytes.copy(out, ORIGIN);
  transmitBytes.copy(out, HeaderOffset.ReceiveTimestamp);
  transmitBytes.copy(out, HeaderOffset.TransmitTimestamp);
  if (signature === undefined) return NTP_HEADER_LENGTH;
  return appendMac(out, signature);
}

/**
 * Leap, stratum, precision, root delay/dispersion, reference id and time from the system
 * variables, then T1 and T2. While unsynchronized: leap 3 and stratum 0 — the customary wire form
 * of MAXSTRAT (RFC 5905 §7.3: "map p.stratum values of MAXSTRAT or greater to 0 in transmitted
 * packets"), which chrony (`transmit_packet`) and ntpd (`STRATUM_TO_PKT`) both send — with a zero
 * reference id and reference time, as chrony does.
 */
function writeSystemHeader(out: Buffer, context: ResponseContext, system: SystemSnapshot): void {
  const synchronized = isSynchronized(system);
  writeHeaderFields(
    out,
    context,
    synchronized ? system.leap : Leap.Unsynchronized,
    synchronized ? system.stratum : STRATUM_UNSPECIFIED,
    clampInt8(system.precisionLog2),
    synchronized ? system.referenceId >>> 0 : UNSYNCHRONIZED_REFERENCE_ID,
  );
  out.writeUInt32BE(secondsToNtpShort(system.rootDelaySeconds), HeaderOffset.RootDelay);
  out.writeUInt32BE(secondsToNtpShort(system.rootDispersionSeconds), HeaderOffset.RootDispersion);
  writeTimestamp(
    out,
    HeaderOffset.ReferenceTimestamp,
    synchronized ? system.referenceTimestamp : ZERO_TIMESTAMP,
  );
  // The origin timestamp is the client's transmit timestamp, copied bit for bit (RFC 5905 §8).
  context.layout.transmitTimestampBytes.copy(out, ORIGIN);
  writeTimestamp(out, HeaderOffset.ReceiveTimestamp, context.receiveTime);
}

/** True when the snapshot describes a clock a client may synchronize to. */
export function isSynchronized(system: SystemSnapshot): boolean {
  return (
    system.synchronized &&
    system.leap !== Leap.Unsynchronized &&
    system.stratum >= STRATUM_PRIMARY &&
    system.stratum < MAX_STRATUM
  );
}

function writeHeaderFields(
  out: Buffer,
  context: ResponseContext,
  leap: LeapIndicator,
  stratum: number,
  precisionLog2: number,
  referenceId: number,
): void {
  out[HeaderOffset.LeapVersionMode] = (leap << 6) | (context.version << 3) | context.mode;
  out[HeaderOffset.Stratum] = stratum;
  out.writeInt8(context.pollLog2, HeaderOffset.Poll);
  out.writeInt8(precisionLog2, HeaderOffset.Precision);
  out.writeUInt32BE(referenceId, HeaderOffset.ReferenceId);
}

function finishUnsigned(out: Buffer, clock: ServerClock): number {
  writeTimestamp(out, HeaderOffset.TransmitTimestamp, clock.now());
  return NTP_HEADER_LENGTH;
}

function finishSigned(out: Buffer, clock: ServerClock, signature: ResponseSignature): number {
  out.writeUInt32BE(signature.key.id, NTP_HEADER_LENGTH);
  writeTimestamp(out, HeaderOffset.TransmitTimestamp, clock.now());
  return appendMac(out, signature);
}

/** Key id and digest over the 48-octet header (responses carry no extension fields). */
function appendMac(out: Buffer, signature: ResponseSignature): number {
  const digestOffset = NTP_HEADER_LENGTH + KEY_ID_LENGTH;
  out.writeUInt32BE(signature.key.id, NTP_HEADER_LENGTH);
  writePrefixMac(signature.key, out, NTP_HEADER_LENGTH, out, digestOffset, signature.digestLength);
  return digestOffset + signature.digestLength;
}

function clampInt8(value: number): number {
  if (!(value >= -128)) return -128;
  return value > 127 ? 127 : Math.trunc(value);
}

/**
 * NTP control messages (mode 6, `ntpq`): the 12-octet header codec (RFC 9327 §2, formerly
 * RFC 1305 Appendix B).
 *
 *    0                   1                   2                   3
 *   |LI | VN  | 6   |R|E|M| OpCode  |           Sequence            |
 *   |            Status             |        Association ID         |
 *   |            Offset             |            Count              |
 *   |                 Data (up to 468 octets), padded to 32 bits    |
 *
 * Only what the server needs: decode a request, write a one-fragment response. Decoding never
 * throws; bad input is a reason.
 */
import { type LeapIndicator, Mode, NTP_MIN_COMPATIBLE_VERSION, NTP_VERSION } from "./protocolConstants.js";

/** Header length, octets (RFC 9327 §2). */
export const CONTROL_HEADER_LENGTH = 12;

/** Largest data field of one fragment, octets (RFC 9327 §2: "up to 468 octets"). */
export const MAX_CONTROL_DATA_LENGTH = 468;

/** Longest control response this server writes: one full fragment. */
export const MAX_CONTROL_RESPONSE_LENGTH = CONTROL_HEADER_LENGTH + MAX_CONTROL_DATA_LENGTH;

/** Opcodes (RFC 9327 §2). Only ReadStatus and ReadVariables are answered with data. */
export const ControlOpcode = {
  ReadStatus: 1,
  ReadVariables: 2,
  WriteVariables: 3,
  ReadClockVariables: 4,
  WriteClockVariables: 5,
  SetTrap: 6,
  AsynchronousMessage: 7,
  UnsetTrap: 8,
} as const;

/** Error codes, sent in the high octet of the status word of an error response (RFC 9327 §2). */
export const ControlError = {
  Unspecified: 0,
  AuthenticationFailure: 1,
  InvalidFormat: 2,
  InvalidOpcode: 3,
  UnknownAssociation: 4,
  UnknownVariable: 5,
  InvalidValue: 6,
  AdministrativelyProhibited: 7,
} as const;
export type ControlErrorCode = (typeof ControlError)[keyof typeof ControlError];

/** A decoded mode-6 request. `data` is a view into the datagram. */
export interface ControlRequest {
  readonly version: number;
  readonly opcode: number;
  readonly sequence: number;
  readonly associationId: number;
  readonly data: Buffer;
}

export type ControlRejectReason =
  | "too-short"
  | "unsupported-version"
  /** Not mode 6, or a response / error / fragment rather than a request. */
  | "not-a-request"
  /** Count runs past the datagram, or a non-zero offset (requests are never fragmented). */
  | "bad-count";

export type ControlDecodeResult =
  | { readonly ok: true; readonly request: ControlRequest }
  | { readonly ok: false; readonly reason: ControlRejectReason };

const RESPONSE_BIT = 0x80;
const ERROR_BIT = 0x40;
const MORE_BIT = 0x20;
const OPCODE_MASK = 0x1f;
const WORD = 4;

/** Decodes a mode-6 request. Never throws. Trailing octets (padding, a MAC) are ignored. */
export function decodeControlRequest(datagram: Buffer): ControlDecodeResult {
  if (datagram.length < CONTROL_HEADER_LENGTH) return { ok: false, reason: "too-short" };
  const first = datagram[0] ?? 0;
  const version = (first >>> 3) & 0x07;
  if (version < NTP_MIN_COMPATIBLE_VERSION || version > NTP_VERSION) {
    return { ok: false, reason: "unsupported-version" };
  }
  const flags = datagram[1] ?? 0;
  if ((first & 0x07) !== Mode.Control || (flags & (RESPONSE_BIT | ERROR_BIT | MORE_BIT)) !== 0) {
    return { ok: false, reason: "not-a-request" };
  }
  const offset = datagram.readUInt16BE(8);
  const count = datagram.readUInt16BE(10);
  if (offset !== 0 || count > datagram.length - CONTROL_HEADER_LENGTH)
    return { ok: false, reason: "bad-count" };
  return {
    ok: true,
    request: {
      version,
      opcode: flags & OPCODE_MASK,
      sequence: datagram.readUInt16BE(2),
      associationId: datagram.readUInt16BE(6),
      data: datagram.subarray(CONTROL_HEADER_LENGTH, CONTROL_HEADER_LENGTH + count),
    },
  };
}

/** Header fields of a response (always a single, final fragment at offset 0). */
export interface ControlResponseHeader {
  readonly leap: LeapIndicator;
  readonly version: number;
  readonly opcode: number;
  readonly sequence: number;
  readonly status: number;
  readonly associationId: number;
  readonly error: boolean;
}

/**
 * Writes a response with `dataLength` octets of data already placed at `out[12..]`, padding the
 * data to a word boundary with zeros. Returns the datagram length.
 */
export function writeControlResponse(out: Buffer, header: ControlResponseHeader, dataLength: number): number {
  if (dataLength < 0 || dataLength > MAX_CONTROL_DATA_LENGTH) {
    throw new RangeError(`control data of ${dataLength} octets exceeds one fragment`);
  }
  out[0] = (header.leap << 6) | (header.version << 3) | Mode.Control;
  out[1] = RESPONSE_BIT | (header.error ? ERROR_BIT : 0) | (header.opcode & OPCODE_MASK);
  out.writeUInt16BE(header.sequence, 2);
  out.writeUInt16BE(header.status, 4);
  out.writeUInt16BE(header.associationId, 6);
  out.writeUInt16BE(0, 8);
  out.writeUInt16BE(dataLength, 10);
  const end = CONTROL_HEADER_LENGTH + dataLength;
  const padded = Math.ceil(end / WORD) * WORD;
  out.fill(0, end, padded);
  return padded;
}

/** Writes an error response: E bit set, error code in the high octet of the status, no data. */
export function writeControlError(
  out: Buffer,
  request: ControlRequest,
  leap: LeapIndicator,
  code: ControlErrorCode,
): number {
  return writeControlResponse(
    out,
    {
      leap,
      version: request.version,
      opcode: request.opcode,
      sequence: request.sequence,
      status: code << 8,
      associationId: request.associationId,
      error: true,
    },
    0,
  );
}

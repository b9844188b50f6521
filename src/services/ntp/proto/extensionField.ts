/**
 * NTPv4 extension fields (RFC 7822, updating RFC 5905 §7.5): a generic codec and the NTS field
 * types. NTS semantics (cookies, the authenticator) live in `nts/`; this module only frames bytes.
 *
 *    0                   1                   2                   3
 *   +-------------------------------+-------------------------------+
 *   |          Field Type           |            Length             |
 *   +-------------------------------+-------------------------------+
 *   |                 Value (zero-padded to a 4-octet boundary)     |
 *
 * `Length` counts the whole field: header, value and padding. The wire does not record how much
 * of the value is padding, so a decoded value includes it.
 */

/** NTS extension field types (RFC 8915 §5.3-§5.6; IANA "NTP Extension Field Types"). */
export const NtsExtensionFieldType = {
  /** Unique Identifier: ≥32 random octets, echoed by the server (RFC 8915 §5.3). */
  UniqueIdentifier: 0x0104,
  /** NTS Cookie: one opaque cookie per request (RFC 8915 §5.4). */
  Cookie: 0x0204,
  /** NTS Cookie Placeholder: asks for another cookie, same length as one (RFC 8915 §5.5). */
  CookiePlaceholder: 0x0304,
  /** NTS Authenticator and Encrypted Extension Fields; must be the last field (RFC 8915 §5.6). */
  Authenticator: 0x0404,
} as const;

/** One extension field as framed on the wire. */
export interface ExtensionField {
  /** Field Type, u16. */
  readonly type: number;
  /** Value octets, including any zero padding the sender added. */
  readonly value: Buffer;
}

/** Type and Length octets before the value. */
export const EXTENSION_FIELD_HEADER_LENGTH = 4;

/** Every extension field is at least 16 octets when a MAC follows or more fields follow (RFC 7822 §3). */
export const MIN_EXTENSION_FIELD_LENGTH = 16;

/**
 * The last extension field of a packet without a MAC is at least 28 octets, so that it can never
 * be mistaken for a MAC of at most 24 octets (RFC 7822 §3).
 */
export const MIN_LAST_EXTENSION_FIELD_LENGTH = 28;

/** Largest value the 16-bit Length field can describe. */
export const MAX_EXTENSION_FIELD_LENGTH = 0xfffc;

/** Extension field lengths are multiples of 4 octets (RFC 7822 §3). */
const WORD = 4;

/**
 * On-wire length of a field carrying `valueLength` octets: header plus value, zero-padded to a
 * word boundary and up to `minimumLength`. NTS encrypted inner fields pass 0 (RFC 8915 §5.6 lets
 * them be shorter than the RFC 7822 minimums).
 */
export function extensionFieldLength(
  valueLength: number,
  minimumLength = MIN_EXTENSION_FIELD_LENGTH,
): number {
  const unpadded = Math.max(EXTENSION_FIELD_HEADER_LENGTH + valueLength, minimumLength);
  return Math.ceil(unpadded / WORD) * WORD;
}

/**
 * Writes one field at `offset` and returns the octets written. Throws RangeError if it does not
 * fit in `out` or cannot be described by the Length field (programming errors: size buffers for
 * the largest packet you build).
 */
export function encodeExtensionField(
  out: Buffer,
  offset: number,
  field: ExtensionField,
  minimumLength = MIN_EXTENSION_FIELD_LENGTH,
): number {
  const length = extensionFieldLength(field.value.length, minimumLength);
  if (length > MAX_EXTENSION_FIELD_LENGTH) {
    throw new RangeError(`extension field of ${length} octets exceeds the 16-bit Length field`);
  }
  if (offset + length > out.length) {
    throw new RangeError(`extension field of ${length} octets does not fit at offset ${offset}`);
  }
  out.writeUInt16BE(field.type, offset);
  out.writeUInt16BE(length, offset + 2);
  const valueStart = offset + EXTENSION_FIELD_HEADER_LENGTH;
  field.value.copy(out, valueStart);
  out.fill(0, valueStart + field.value.length, offset + length);
  return length;
}

/** Why a run of extension fields could not be framed. */
export type ExtensionFieldRejectReason =
  | "truncated-extension-field"
  | "extension-field-too-short"
  | "extension-field-misaligned"
  | "extension-field-overruns-packet";

export type ExtensionFieldDecodeResult =
  | { readonly ok: true; readonly field: ExtensionField; readonly length: number }
  | { readonly ok: false; readonly reason: ExtensionFieldRejectReason };

/**
 * Length of the field at `offset` if its header is well formed and it ends by `end`, else a
 * negative number. Allocation-free: the packet decoder uses this to tell fields from a MAC.
 */
export function peekExtensionFieldLength(
  bytes: Buffer,
  offset: number,
  end: number,
  minimumLength = MIN_EXTENSION_FIELD_LENGTH,
): number {
  if (end - offset < EXTENSION_FIELD_HEADER_LENGTH) return -1;
  const length = bytes.readUInt16BE(offset + 2);
  if (length < EXTENSION_FIELD_HEADER_LENGTH || length < minimumLength) return -2;
  if (length % WORD !== 0) return -3;
  if (length > end - offset) return -4;
  return length;
}

/**
 * Decodes the field at `offset`, which must end by `end`. The value is a view into `bytes`, not a
 * copy. Never throws for any bytes.
 */
export function decodeExtensionField(
  bytes: Buffer,
  offset: number,
  end: number,
  minimumLength = MIN_EXTENSION_FIELD_LENGTH,
): ExtensionFieldDecodeResult {
  const length = peekExtensionFieldLength(bytes, offset, end, minimumLength);
  if (length < 0) return { ok: false, reason: PEEK_FAILURES[-length - 1] ?? "truncated-extension-field" };
  const field = {
    type: bytes.readUInt16BE(offset),
    value: bytes.subarray(offset + EXTENSION_FIELD_HEADER_LENGTH, offset + length),
  };
  return { ok: true, field, length };
}

const PEEK_FAILURES: readonly ExtensionFieldRejectReason[] = [
  "truncated-extension-field",
  "extension-field-too-short",
  "extension-field-misaligned",
  "extension-field-overruns-packet",
];

/**
 * Decodes fields back to back from `start` to exactly `end` (e.g. the plaintext of an NTS
 * authenticator, with `minimumLength` 0). Never throws for any bytes.
 */
export function decodeExtensionFields(
  bytes: Buffer,
  start: number,
  end: number,
  minimumLength = MIN_EXTENSION_FIELD_LENGTH,
):
  | { readonly ok: true; readonly fields: readonly ExtensionField[] }
  | { readonly ok: false; readonly reason: ExtensionFieldRejectReason } {
  const fields: ExtensionField[] = [];
  let offset = start;
  while (offset < end) {
    const decoded = decodeExtensionField(bytes, offset, end, minimumLength);
    if (!decoded.ok) return decoded;
    fields.push(decoded.field);
    offset += decoded.length;
  }
  return { ok: true, fields };
}

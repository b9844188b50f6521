import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeExtensionField,
  decodeExtensionFields,
  encodeExtensionField,
  extensionFieldLength,
  MIN_LAST_EXTENSION_FIELD_LENGTH,
  NtsExtensionFieldType,
} from "../../../../src/services/ntp/proto/extensionField.js";

describe("NTS extension field types (RFC 8915 §5.3-§5.6, IANA registry)", () => {
  it("has the registered code points", () => {
    expect(NtsExtensionFieldType).toEqual({
      UniqueIdentifier: 0x0104,
      Cookie: 0x0204,
      CookiePlaceholder: 0x0304,
      Authenticator: 0x0404,
    });
  });
});

describe("framing and padding (RFC 7822 §3)", () => {
  it("pads the value with zeros to a word boundary and to the minimum length", () => {
    expect(extensionFieldLength(0)).toBe(16);
    expect(extensionFieldLength(12)).toBe(16);
    expect(extensionFieldLength(13)).toBe(20);
    expect(extensionFieldLength(5, MIN_LAST_EXTENSION_FIELD_LENGTH)).toBe(28);
    expect(extensionFieldLength(1, 0)).toBe(8);
  });

  it("writes type, total length, value and zero padding", () => {
    const out = Buffer.alloc(20, 0xff);
    const written = encodeExtensionField(out, 0, { type: 0x0104, value: Buffer.from([1, 2, 3, 4, 5]) });
    expect(written).toBe(16);
    expect(out.toString("hex")).toBe(`01040010${"0102030405"}${"00".repeat(7)}ffffffff`);
  });

  it("decodes the value including padding, as a view into the input", () => {
    const bytes = Buffer.from(`02040010${"aa".repeat(12)}`, "hex");
    const decoded = decodeExtensionField(bytes, 0, bytes.length);
    expect(decoded).toEqual({ ok: true, field: { type: 0x0204, value: Buffer.alloc(12, 0xaa) }, length: 16 });
    if (decoded.ok) expect(decoded.field.value.buffer).toBe(bytes.buffer);
  });

  it("rejects truncated, short, misaligned and overrunning fields", () => {
    const field = (length: number, total: number): Buffer => {
      const bytes = Buffer.alloc(total);
      bytes.writeUInt16BE(0x0104, 0);
      bytes.writeUInt16BE(length, 2);
      return bytes;
    };
    expect(decodeExtensionField(field(16, 16), 0, 3)).toEqual({
      ok: false,
      reason: "truncated-extension-field",
    });
    expect(decodeExtensionField(field(12, 16), 0, 16)).toEqual({
      ok: false,
      reason: "extension-field-too-short",
    });
    expect(decodeExtensionField(field(18, 20), 0, 20)).toEqual({
      ok: false,
      reason: "extension-field-misaligned",
    });
    expect(decodeExtensionField(field(20, 16), 0, 16)).toEqual({
      ok: false,
      reason: "extension-field-overruns-packet",
    });
  });

  it("round-trips sequences of short inner fields (NTS plaintext, minimum 0)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            type: fc.integer({ min: 0, max: 0xffff }),
            words: fc.integer({ min: 0, max: 20 }),
            fill: fc.integer({ min: 0, max: 255 }),
          }),
          { maxLength: 6 },
        ),
        (specs) => {
          const fields = specs.map(({ type, words, fill }) => ({
            type,
            value: Buffer.alloc(words * 4, fill),
          }));
          const out = Buffer.alloc(2000);
          let end = 0;
          for (const field of fields) end += encodeExtensionField(out, end, field, 0);
          expect(decodeExtensionFields(out, 0, end, 0)).toEqual({ ok: true, fields });
        },
      ),
    );
  });

  it("never throws on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 0, max: 28 }), (bytes, minimum) => {
        const buffer = Buffer.from(bytes);
        decodeExtensionFields(buffer, 0, buffer.length, minimum);
      }),
      { numRuns: 2000 },
    );
  });

  it("refuses to write past the end of the buffer", () => {
    expect(() => encodeExtensionField(Buffer.alloc(15), 0, { type: 1, value: Buffer.alloc(0) })).toThrow(
      RangeError,
    );
  });
});

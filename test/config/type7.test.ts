import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeType7, encodeType7, TYPE7_MAX_SEED } from "../../src/config/type7.js";

/** The seed a type 7 string was written with: its two leading decimal digits. */
function seedOf(encoded: string): number {
  return Number(encoded.slice(0, 2));
}

const ALL_SEEDS = Array.from({ length: TYPE7_MAX_SEED + 1 }, (_, seed) => seed);

describe("decodeType7 known vectors", () => {
  const vectors: readonly (readonly [encoded: string, plain: string])[] = [
    ["002A27362F7E3257", "NTPKEY1"],
    ["113E2B2A393520293D", "WRONGKEY"],
    // The next three were given without their plaintext; these are what they decode to.
    ["1321471C1F2C17210677", "D0nt@skM3"],
    ["0007030E105206035E731F", "cphtime123"],
    ["1531021F07256A767B", "Cisco!23"],
  ];

  for (const [encoded, plain] of vectors) {
    it(`${encoded} decodes to ${JSON.stringify(plain)}`, () => {
      expect(decodeType7(encoded)).toEqual({ ok: true, value: plain });
    });

    it(`${encoded} re-encodes identically with its own seed`, () => {
      const decoded = decodeType7(encoded);
      if (!decoded.ok) throw new Error(decoded.reason);
      expect(encodeType7(decoded.value, seedOf(encoded))).toBe(encoded);
    });
  }

  it("accepts lower-case hex", () => {
    expect(decodeType7("002a27362f7e3257")).toEqual({ ok: true, value: "NTPKEY1" });
  });
});

describe("decodeType7 rejects malformed input with a reason", () => {
  const malformed: readonly (readonly [input: string, why: string])[] = [
    ["", "empty"],
    ["0", "one seed digit"],
    ["A02A27", "non-decimal seed"],
    ["162A27", "seed above 15"],
    ["99", "seed far above 15"],
    ["002A2", "odd number of hex digits"],
    ["002A27G6", "non-hex character"],
    ["00 2A27", "embedded space"],
    ["04BC", "byte that is not valid UTF-8 after XOR"],
  ];

  for (const [input, why] of malformed) {
    it(`${JSON.stringify(input)} (${why})`, () => {
      const result = decodeType7(input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason.length).toBeGreaterThan(0);
    });
  }
});

describe("encodeType7", () => {
  it("writes a two-digit seed and upper-case hex", () => {
    expect(encodeType7("NTPKEY1", 0)).toBe("002A27362F7E3257");
    expect(encodeType7("", 7)).toBe("07");
  });

  it("is deterministic without an explicit seed, with the seed derived from the plaintext", () => {
    const first = encodeType7("cisco");
    expect(encodeType7("cisco")).toBe(first);
    // "cisco" bytes sum to 99+105+115+99+111 = 529, and 529 % 16 = 1.
    expect(seedOf(first)).toBe(1);
    expect(decodeType7(first)).toEqual({ ok: true, value: "cisco" });
  });

  it("rejects seeds outside 0..15 as a programming error", () => {
    expect(() => encodeType7("x", 16)).toThrow(RangeError);
    expect(() => encodeType7("x", -1)).toThrow(RangeError);
    expect(() => encodeType7("x", 1.5)).toThrow(RangeError);
  });
});

describe("type 7 round trip", () => {
  it("decode(encode(s, seed)) === s for printable ASCII and every seed", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.constantFrom(...ALL_SEEDS), (plain, seed) => {
        expect(decodeType7(encodeType7(plain, seed))).toEqual({ ok: true, value: plain });
      }),
      { numRuns: 2000 },
    );
  });

  it("covers every seed for a fixed long string (key wrap-around past 53 bytes)", () => {
    const plain = "The quick brown fox jumps over the lazy dog; 0123456789 !@#$%^&*()";
    for (const seed of ALL_SEEDS) {
      const encoded = encodeType7(plain, seed);
      expect(seedOf(encoded)).toBe(seed);
      expect(decodeType7(encoded)).toEqual({ ok: true, value: plain });
    }
  });

  it("round-trips non-ASCII text through UTF-8", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 20 }),
        fc.constantFrom(...ALL_SEEDS),
        (plain, seed) => {
          expect(decodeType7(encodeType7(plain, seed))).toEqual({ ok: true, value: plain });
        },
      ),
    );
  });
});

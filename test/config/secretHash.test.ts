import { describe, expect, it } from "vitest";
import {
  checkStoredSecret,
  type HashedSecretType,
  hashSecret,
  isWellFormedSecret,
  type SecretType,
  type StoredSecret,
  verifySecret,
} from "../../src/config/secretHash.js";

interface Vector {
  readonly type: HashedSecretType;
  readonly password: string;
  readonly stored: string;
  readonly source: string;
}

const OPENSSL = "openssl passwd -1 (OpenSSL 3.0.19)";
const HASHCAT = "hashcat example hashes, password 'hashcat' (-m 9200 / -m 9300)";
const IOS_SAMPLE = "IOS sample from Cisco Learning Network 'Cisco Routers Password Types', password 'cisco'";

const VECTORS: readonly Vector[] = [
  // Type 5: generated once with `openssl passwd -1 -salt SALT PASSWORD`; fixed here.
  { type: 5, password: "cisco", stored: "$1$mERr$hx5rVt7rPNoS4wqbXKX7m0", source: OPENSSL },
  { type: 5, password: "cisco", stored: "$1$abcdefgh$IeVvJ6ImOhUZ7d.G/I4AE.", source: OPENSSL },
  { type: 5, password: "password", stored: "$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/", source: OPENSSL },
  { type: 5, password: "NTPKEY1", stored: "$1$xY$4YC8vRDwiHSwvG2pO4WFs/", source: OPENSSL },
  { type: 5, password: "hunter2", stored: "$1$$vnSTnHkIF96nN6kxQkZrf.", source: OPENSSL },
  { type: 5, password: "Cisco!23", stored: "$1$12345678$c2Pmd08ogwq3pRvCGW0t01", source: OPENSSL },
  {
    type: 5,
    password: "pässwörd",
    stored: "$1$Ab3/$zWVTp4KKaonozZs52UyyT1",
    source: `${OPENSSL}, UTF-8 argument`,
  },
  // Type 8: published.
  {
    type: 8,
    password: "hashcat",
    stored: "$8$TnGX/fE4KGHOVU$pEhnEvxrvaynpi8j4f.EMHr6M.FzU8xnZnBr/tJdFWk",
    source: HASHCAT,
  },
  {
    type: 8,
    password: "cisco",
    stored: "$8$mTj4RZG8N9ZDOk$elY/asfm8kD3iDmkBe3hD2r4xcA/0oWS5V3os.O91u.",
    source: IOS_SAMPLE,
  },
  {
    type: 8,
    password: "cisco",
    stored: "$8$dsYGNam3K1SIJO$7nv/35M/qr6t.dVc7UY9zrJDWRVqncHub1PE9UlMQFs",
    source: IOS_SAMPLE,
  },
  // Type 9: published.
  {
    type: 9,
    password: "hashcat",
    stored: "$9$2MJBozw/9R3UsU$2lFhcKvpghcyw8deP25GOfyZaagyUOGBymkryvOdfo6",
    source: HASHCAT,
  },
];

/** The SALT field of `$N$SALT$HASH`. */
function saltOf(stored: string): string {
  return stored.split("$")[2] ?? "";
}

describe("known vectors", () => {
  for (const { type, password, stored, source } of VECTORS) {
    describe(`type ${type} ${stored} (${source})`, () => {
      it("hashSecret reproduces it from the password and salt", () => {
        expect(hashSecret(type, password, saltOf(stored))).toBe(stored);
      });

      it("verifies the right password and rejects wrong ones", () => {
        expect(verifySecret({ type, value: stored }, password)).toBe(true);
        expect(verifySecret({ type, value: stored }, `${password}x`)).toBe(false);
        expect(verifySecret({ type, value: stored }, "")).toBe(false);
      });

      it("is well-formed for its own type only", () => {
        expect(isWellFormedSecret(type, stored)).toBe(true);
        for (const other of [0, 5, 8, 9] as const) {
          if (other !== type && other !== 0) expect(isWellFormedSecret(other, stored)).toBe(false);
        }
      });
    });
  }
});

describe("hashSecret with a random salt", () => {
  for (const type of [5, 8, 9] as const) {
    it(`type ${type}: salts differ between calls, and both verify`, () => {
      const first = hashSecret(type, "s3cret");
      const second = hashSecret(type, "s3cret");
      expect(first).not.toBe(second);
      for (const stored of [first, second]) {
        expect(isWellFormedSecret(type, stored)).toBe(true);
        expect(verifySecret({ type, value: stored }, "s3cret")).toBe(true);
        expect(verifySecret({ type, value: stored }, "S3cret")).toBe(false);
      }
    });
  }

  it("uses the salt lengths IOS writes: 4 for type 5, 14 for types 8 and 9", () => {
    expect(saltOf(hashSecret(5, "x"))).toHaveLength(4);
    expect(saltOf(hashSecret(8, "x"))).toHaveLength(14);
    expect(saltOf(hashSecret(9, "x"))).toHaveLength(14);
  });

  it("rejects a caller-supplied salt that does not fit the type", () => {
    expect(() => hashSecret(5, "x", "123456789")).toThrow(RangeError);
    expect(() => hashSecret(5, "x", "ab$c")).toThrow(RangeError);
    expect(() => hashSecret(8, "x", "short")).toThrow(RangeError);
    expect(() => hashSecret(9, "x", "TnGX/fE4KGHOV!")).toThrow(RangeError);
  });
});

describe("type 0 (plaintext)", () => {
  it("compares the exact text", () => {
    expect(verifySecret({ type: 0, value: "cisco" }, "cisco")).toBe(true);
    expect(verifySecret({ type: 0, value: "cisco" }, "Cisco")).toBe(false);
    expect(verifySecret({ type: 0, value: "cisco" }, "cisco ")).toBe(false);
    expect(verifySecret({ type: 0, value: "cisco" }, "")).toBe(false);
  });

  it("never matches an empty stored secret, and treats it as malformed", () => {
    expect(verifySecret({ type: 0, value: "" }, "")).toBe(false);
    expect(isWellFormedSecret(0, "")).toBe(false);
    expect(isWellFormedSecret(0, "$9$anything")).toBe(true);
  });
});

describe("malformed stored secrets never match and never throw", () => {
  const type8 = "$8$TnGX/fE4KGHOVU$pEhnEvxrvaynpi8j4f.EMHr6M.FzU8xnZnBr/tJdFWk";
  const type9 = "$9$2MJBozw/9R3UsU$2lFhcKvpghcyw8deP25GOfyZaagyUOGBymkryvOdfo6";
  const cases: readonly (readonly [type: HashedSecretType, value: string, why: string])[] = [
    [5, "", "empty"],
    [5, "$1$mERr$hx5rVt7rPNoS4wqbXKX7m", "hash one character short"],
    [5, "$1$mERr$hx5rVt7rPNoS4wqbXKX7mz", "last character carries bits past the digest"],
    [5, "$1$123456789$c2Pmd08ogwq3pRvCGW0t01", "salt longer than 8"],
    [5, "$1$mE!r$hx5rVt7rPNoS4wqbXKX7m0", "salt character outside the alphabet"],
    [5, "$5$mERr$hx5rVt7rPNoS4wqbXKX7m0", "wrong prefix"],
    [5, "00271A5307542A02D22842", "type 7 text in a type 5 field"],
    [8, type9, "type 9 string given as type 8"],
    [8, type8.slice(0, -1), "hash 42 characters"],
    [8, `${type8}.`, "hash 44 characters"],
    [8, `${type8.slice(0, -1)}l`, "last character carries bits past the key"],
    [8, type8.replace("TnGX/fE4KGHOVU", "TnGX/fE4KGHOV"), "salt 13 characters"],
    [8, type8.replace("$pEhn", "$pE+n"), "standard base64 '+' is not in the alphabet"],
    [9, type8, "type 8 string given as type 9"],
    [9, `${type9}\n`, "trailing newline"],
    [9, ` ${type9}`, "leading space"],
    [9, "$9$$", "empty fields"],
  ];

  for (const [type, value, why] of cases) {
    it(`type ${type}: ${why}`, () => {
      expect(isWellFormedSecret(type, value)).toBe(false);
      const check = checkStoredSecret(type, value);
      expect(check.ok).toBe(false);
      if (!check.ok) expect(check.reason.length).toBeGreaterThan(0);
      expect(verifySecret({ type, value }, "hashcat")).toBe(false);
      expect(verifySecret({ type, value }, "cisco")).toBe(false);
    });
  }
});

describe("an unknown type at run time (e.g. from untyped input)", () => {
  it("is never read as a hashed type", () => {
    const smuggled = { type: 7, value: "$9$2MJBozw/9R3UsU$2lFhcKvpghcyw8deP25GOfyZaagyUOGBymkryvOdfo6" };
    expect(verifySecret(smuggled as unknown as StoredSecret, "hashcat")).toBe(false);
    expect(isWellFormedSecret(7 as unknown as SecretType, smuggled.value)).toBe(false);
  });
});

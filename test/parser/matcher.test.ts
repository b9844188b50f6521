import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultGrammar } from "../../src/parser/grammar.js";
import { matchLine } from "../../src/parser/matcher.js";

const grammar = defaultGrammar();
const mode = (name: string) => grammar.modes.get(name)!;

function parse(modeName: string, line: string) {
  const r = matchLine(mode(modeName), line, 15);
  if (r.kind !== "ok") return r;
  return { id: r.command.id, negated: r.command.negated, values: Object.fromEntries(r.args.values) };
}

describe("unique-prefix abbreviations in context", () => {
  it.each([
    ["exec", "sh ntp assoc", "show.ntp.associations"],
    ["exec", "sh ntp as det", "show.ntp.associations"],
    ["exec", "conf t", "exec.configure"],
    ["exec", "s ntp status", "show.ntp.status"],
    ["exec", "wr", "exec.write"],
    ["exec", "sh run", "show.running-config"],
    ["config", "nt ser 10.0.0.1 pref", "ntp.server"],
    ["config", "serv timest log dat ms loc", "service.timestamps"],
  ])("%s: %s", (m, line, id) => {
    expect(parse(m, line)).toMatchObject({ id });
  });

  it("keeps parameters and keyword options", () => {
    expect(parse("config", "nt ser 10.0.0.1 pref k 1 ib")).toEqual({
      id: "ntp.server",
      negated: false,
      values: {
        ntp: "ntp",
        server: "server",
        address: "10.0.0.1",
        prefer: "prefer",
        key: "key",
        keyid: "1",
        iburst: "iburst",
      },
    });
  });

  it("a keyword is accepted as an identifier where only a name fits", () => {
    expect(parse("config", "hostname ntp")).toMatchObject({ id: "system.hostname", values: { name: "ntp" } });
  });

  it("an exact keyword beats a hostname", () => {
    expect(parse("config", "ntp server ip pool.ntp.org")).toMatchObject({
      values: { ip: "ip", host: "pool.ntp.org" },
    });
  });

  it("a type and hash after `secret` are not taken as a password with spaces", () => {
    expect(parse("config", "username admin privilege 15 secret 9 $9$abc$def")).toMatchObject({
      values: { "enc-type": "9", "secret-text": "$9$abc$def", priv: "15" },
    });
    expect(parse("config", "username bob secret two words")).toMatchObject({
      values: { "secret-text": "two words" },
    });
  });

  it("labelled keywords: summer-time weeks", () => {
    expect(
      parse("config", "clock summer-time CEST recurring last Sun Mar 2:00 last Sun Oct 3:00"),
    ).toMatchObject({
      values: { "start-week": "last", "end-week": "last", "start-month": "Mar", "end-time": "3:00" },
    });
  });

  it("no forms", () => {
    expect(parse("config", "no ntp server 10.0.0.1")).toMatchObject({ id: "ntp.server", negated: true });
    expect(parse("config", "no ntp master")).toMatchObject({ id: "ntp.master", negated: true });
  });
});

describe("IOS errors", () => {
  it("caret under the first character no keyword matches", () => {
    expect(parse("exec", "conft t")).toEqual({ kind: "invalid", column: 4 });
    expect(parse("config", "ntp mastr 3")).toEqual({ kind: "invalid", column: 8 });
    expect(parse("config", "ntp sxx 1")).toEqual({ kind: "invalid", column: 5 });
  });
  it("arguments that fail as a whole put the caret at the token start", () => {
    expect(parse("exec", "clock set 10:00:00 1 jan 1990")).toEqual({ kind: "invalid", column: 25 });
    expect(parse("config", "ntp master 16")).toEqual({ kind: "invalid", column: 11 });
  });
  it("incomplete and ambiguous", () => {
    expect(parse("exec", "sh ntp")).toEqual({ kind: "incomplete" });
    expect(parse("config", "logging")).toEqual({ kind: "incomplete" });
    expect(parse("config", "ntp authe")).toEqual({ kind: "ambiguous" });
    expect(parse("exec", "s")).toEqual({ kind: "incomplete" });
    expect(parse("exec", "c")).toEqual({ kind: "ambiguous" });
  });
});

describe("properties", () => {
  const modes = [...grammar.modes.keys()];
  const alphabet = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789 .:-|$?*[]{}\t".split(""));
  const lineArb = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: alphabet, maxLength: 60 }));

  it("never throws, and every error carries a position inside the line", () => {
    fc.assert(
      fc.property(fc.constantFrom(...modes), lineArb, (m, line) => {
        const r = matchLine(mode(m), line, 15);
        if (r.kind === "invalid") {
          expect(r.column).toBeGreaterThanOrEqual(0);
          expect(r.column).toBeLessThanOrEqual(line.length);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("random sequences of real keywords never throw", () => {
    const words = [...new Set(grammar.commands.flatMap((c) => c.syntax.split(/[^\w.:/-]+/)).filter(Boolean))];
    fc.assert(
      fc.property(
        fc.constantFrom(...modes),
        fc.array(fc.constantFrom(...words), { maxLength: 8 }),
        (m, ws) => {
          matchLine(mode(m), ws.join(" "), 15);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

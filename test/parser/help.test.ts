import { describe, expect, it } from "vitest";
import { defaultGrammar } from "../../src/parser/grammar.js";
import { complete, helpFor, renderHelpRows } from "../../src/parser/help.js";

const grammar = defaultGrammar();
const mode = (name: string) => grammar.modes.get(name)!;

function help(modeName: string, text: string, privilege = 15): string {
  const r = helpFor(mode(modeName), text, privilege);
  if (r.kind === "rows") return renderHelpRows(r.rows).join("\n");
  if (r.kind === "words") return r.words.join("  ");
  return r.kind;
}

describe("? help matches IOS layout (ios-cli.md)", () => {
  it("ntp server ? (§1.1, real IOS XE)", () => {
    expect(help("config", "ntp server ")).toBe(
      [
        "  A.B.C.D     IP address of peer",
        "  WORD        Hostname of peer",
        "  X:X:X:X::X  IPv6 address of peer",
        "  ip          Use IP for DNS resolution",
        "  ipv6        Use IPv6 for DNS resolution",
        "  vrf         VPN Routing/Forwarding Information",
      ].join("\n"),
    );
  });

  it("ntp ? lists every IOS keyword in IOS order, plus the rate-limit extension", () => {
    expect(help("config", "ntp ")).toBe(
      [
        "  access-group        Control NTP access",
        "  allow               Allow processing of packets",
        "  authenticate        Authenticate time sources",
        "  authentication-key  Authentication key for trusted time sources",
        "  broadcastdelay      Estimated round-trip delay",
        "  clock-period        Length of hardware clock tick",
        "  leap-handle         To handle the leap seconds",
        "  logging             Enable NTP message logging",
        "  master              Act as NTP master clock",
        "  max-associations    Set maximum number of associations",
        "  maxdistance         Maximum Distance for synchronization",
        "  mindistance         Minimum distance to consider for clockhop",
        "  orphan              Threshold Stratum for orphan mode",
        "  panic               Reject time updates > panic threshold (default 1000Sec)",
        "  passive             NTP passive mode",
        "  peer                Configure NTP peer",
        "  rate-limit          Rate-limit NTP clients (Meridian extension)",
        "  server              Configure NTP server",
        "  source              Configure interface for source address",
        "  trusted-key         Key numbers for trusted time sources",
        "  update-calendar     Periodically update calendar with NTP time",
      ].join("\n"),
    );
  });

  it("clock timezone help (§1.6, real IOL)", () => {
    expect(help("config", "clock timezone ")).toBe("  WORD  name of time zone");
    expect(help("config", "clock timezone UTC ")).toBe("  <-23 - 23>  Hours offset from UTC");
    expect(help("config", "clock timezone UTC -8 ")).toBe(
      "  <0-59>  Minutes offset from UTC\n  <cr>    <cr>",
    );
  });

  it("clock set help in EXEC (§1.6)", () => {
    expect(help("exec", "clock set 21:49:00 ")).toBe(
      "  <1-31>  Day of the month\n  MONTH   Month of the year",
    );
    expect(help("exec", "clock set 21:49:00 23 feb ")).toBe("  <1993-2035>  Year");
    expect(help("exec", "clock ")).toBe(
      [
        "  read-calendar    Read the hardware calendar into the clock",
        "  set              Set the time and date",
        "  update-calendar  Update the hardware calendar from the clock",
      ].join("\n"),
    );
  });

  it("abbreviated words before ? are resolved", () => {
    expect(help("exec", "sh ntp ")).toBe(
      ["  associations  NTP associations", "  config        NTP config", "  status        NTP status"].join(
        "\n",
      ),
    );
    expect(help("exec", "sh ntp assoc ")).toBe("  detail  Show detail\n  <cr>    <cr>");
  });

  it("partial word lists the matching keywords on one line", () => {
    expect(help("exec", "co")).toBe("configure  copy");
    expect(help("config", "ntp a")).toBe("access-group  allow  authenticate  authentication-key");
  });

  it("invalid prefix and ambiguity", () => {
    expect(help("exec", "show ipx ")).toBe("unrecognized");
    expect(help("config", "ntp authe ")).toBe("ambiguous");
  });

  it("privilege 1 sees only user-EXEC commands", () => {
    const rows = help("exec", "", 1);
    expect(rows).toContain("show");
    expect(rows).not.toContain("configure");
    expect(help("exec", "show ", 1)).not.toContain("running-config");
  });

  it("pipe filters", () => {
    expect(help("pipe", "")).toBe(
      [
        "  begin    Begin with the line that matches",
        "  count    Count number of lines which match regexp",
        "  exclude  Exclude lines that match",
        "  include  Include lines that match",
        "  section  Filter a section of output",
      ].join("\n"),
    );
  });

  it("wraps long help at the terminal width with a hanging indent", () => {
    const lines = renderHelpRows([{ name: "x", help: "word ".repeat(30).trim() }], 40);
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(40);
    expect(lines[1]?.startsWith("     ")).toBe(true);
  });
});

describe("TAB completion", () => {
  it("completes a unique prefix and adds a space", () => {
    expect(complete(mode("exec"), "sh ntp asso", 15)).toBe("sh ntp associations ");
    expect(complete(mode("exec"), "conf", 15)).toBe("configure ");
  });
  it("extends to the longest common prefix, or leaves an ambiguous word alone", () => {
    expect(complete(mode("config"), "ntp authe", 15)).toBe("ntp authenticat");
    expect(complete(mode("config"), "ntp m", 15)).toBe(undefined);
  });
  it("does nothing after a space or on an unknown word", () => {
    expect(complete(mode("exec"), "show ", 15)).toBe(undefined);
    expect(complete(mode("exec"), "xyz", 15)).toBe(undefined);
  });
});

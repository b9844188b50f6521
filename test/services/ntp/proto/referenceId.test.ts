import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { canonicalAddress, parseIpv6 } from "../../../../src/services/ntp/proto/ipAddress.js";
import { refIdFromAscii } from "../../../../src/services/ntp/proto/kissCode.js";
import { displayReferenceId, referenceIdForAddress } from "../../../../src/services/ntp/proto/referenceId.js";

describe("reference ids (RFC 5905 §7.3)", () => {
  it("is the IPv4 address of the system peer", () => {
    expect(referenceIdForAddress("10.16.2.2")).toBe(0x0a100202);
  });

  it("is the first four octets of the MD5 of an IPv6 address", () => {
    const bytes = Buffer.from("20010db8000000000000000000000001", "hex");
    const expected = createHash("md5").update(bytes).digest().readUInt32BE(0);
    expect(referenceIdForAddress("2001:db8::1")).toBe(expected);
    expect(referenceIdForAddress("2001:DB8:0:0:0:0:0:1")).toBe(expected);
  });

  it("shows as IOS does: ASCII in dots at stratum 0-1, an address above", () => {
    expect(displayReferenceId(1, refIdFromAscii("GPS"))).toBe(".GPS.");
    expect(displayReferenceId(0, refIdFromAscii("RATE"))).toBe(".RATE.");
    expect(displayReferenceId(0, 0)).toBe(".INIT.");
    expect(displayReferenceId(2, 0x0a100202)).toBe("10.16.2.2");
    expect(displayReferenceId(3, refIdFromAscii("GPS"))).toBe("71.80.83.0");
  });
});

describe("address literals", () => {
  it("parses IPv6 with :: and an embedded IPv4", () => {
    expect(parseIpv6("::ffff:10.0.0.1")?.toString("hex")).toBe("00000000000000000000ffff0a000001");
    expect(parseIpv6("1:2:3:4:5:6:7:8")?.toString("hex")).toBe("00010002000300040005000600070008");
    expect(parseIpv6("1::2::3")).toBeUndefined();
    expect(parseIpv6("12345::")).toBeUndefined();
  });

  it("puts addresses in one form for matching", () => {
    expect(canonicalAddress("2001:DB8::1")).toBe(canonicalAddress("2001:db8:0:0:0:0:0:1"));
    expect(canonicalAddress("::ffff:10.0.0.1")).toBe("10.0.0.1");
    expect(canonicalAddress("Host.Example")).toBe("host.example");
  });
});

/**
 * Golden tests for every `service timestamps` variant, sequence numbers and the wire format,
 * against the IOS XE 17.15 samples of ios-cli.md §2.7 (captured with `clock timezone JST 9 0`).
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_TIMESTAMPS, type TimestampsConfig } from "../../src/config/model.js";
import type { ZoneSpec } from "../../src/services/clock/timeZone.js";
import {
  formatLogLine,
  formatSequence,
  formatStamp,
  formatWireMessage,
  octetCountingFrame,
} from "../../src/services/syslog/logLine.js";
import { facilityCode, syslogPri } from "../../src/services/syslog/syslogFacility.js";

const JST: ZoneSpec = { zone: { name: "JST", hoursOffset: 9, minutesOffset: 0 } };
/** 2026-09-13 09:18:36.198 UTC: the sample's instant (the samples differ by seconds only). */
const SEP13 = Date.UTC(2026, 8, 13, 9, 18, 36, 198);

function stamp(
  ts: Partial<TimestampsConfig> | null,
  flag: "" | "*" | "." = "*",
  utcMs = SEP13,
  uptimeMs = 0,
): string {
  return formatStamp(ts === null ? null : { ...DEFAULT_TIMESTAMPS, ...ts }, {
    utcMs,
    uptimeMs,
    flag,
    zone: JST,
  });
}

describe("service timestamps log (ios-cli.md §2.7 table)", () => {
  it("datetime msec (the default)", () => {
    expect(stamp({})).toBe("*Sep 13 09:18:36.198: ");
  });

  it("datetime", () => {
    expect(stamp({ msec: false })).toBe("*Sep 13 09:18:36: ");
  });

  it("datetime msec localtime show-timezone", () => {
    expect(stamp({ localtime: true, showTimezone: true })).toBe("*Sep 13 18:18:36.198 JST: ");
  });

  it("datetime year", () => {
    expect(stamp({ msec: false, year: true })).toBe("*Sep 13 2026 09:18:36: ");
  });

  it("datetime localtime", () => {
    expect(stamp({ msec: false, localtime: true })).toBe("*Sep 13 18:18:36: ");
  });

  it("show-timezone without localtime prints UTC", () => {
    expect(stamp({ showTimezone: true })).toBe("*Sep 13 09:18:36.198 UTC: ");
  });

  it("everything: year after the day, zone after the time", () => {
    const mar1 = Date.UTC(1993, 2, 1, 0, 1, 23, 456);
    expect(
      formatStamp(
        { ...DEFAULT_TIMESTAMPS, year: true, showTimezone: true, localtime: true },
        {
          utcMs: mar1,
          uptimeMs: 0,
          flag: "*",
          zone: {},
        },
      ),
    ).toBe("*Mar  1 1993 00:01:23.456 UTC: ");
  });

  it("uptime: HH:MM:SS, then days and hours, then weeks and days; never flagged", () => {
    const uptime = (ms: number) => stamp({ kind: "uptime" }, "*", SEP13, ms);
    expect(uptime((4 * 60 + 18) * 1000)).toBe("00:04:18: ");
    expect(uptime((26 * 3600 + 5) * 1000)).toBe("1d02h: ");
    expect(uptime((17 * 24 + 3) * 3600 * 1000)).toBe("2w3d: ");
  });

  it("no service timestamps log: nothing", () => {
    expect(stamp(null)).toBe("");
  });

  it("the flag: * not authoritative, . authoritative but unsynchronised, none when synchronised", () => {
    expect(stamp({}, "*")).toMatch(/^\*Sep/);
    expect(stamp({}, ".")).toMatch(/^\.Sep/);
    expect(stamp({}, "")).toMatch(/^Sep/);
  });

  it("the day of month is space-padded to two", () => {
    expect(stamp({}, "", Date.UTC(2026, 5, 5, 1, 2, 3, 4))).toBe("Jun  5 01:02:03.004: ");
  });
});

describe("service sequence-numbers", () => {
  it("a six-digit counter before the stamp", () => {
    const dec2 = Date.UTC(2026, 11, 2, 12, 9, 21, 207);
    const line = formatLogLine(
      48,
      stamp({}, "", dec2),
      "%SYS-5-CONFIG_I: Configured from console by console",
    );
    expect(line).toBe("000048: Dec  2 12:09:21.207: %SYS-5-CONFIG_I: Configured from console by console");
    expect(formatSequence(1234567)).toBe("1234567: ");
  });

  it("with no timestamps the body follows the number", () => {
    expect(formatLogLine(7, "", "%SYS-4-USERLOG_WARNING: x")).toBe("000007: %SYS-4-USERLOG_WARNING: x");
    expect(formatLogLine(undefined, "", "%SYS-4-USERLOG_WARNING: x")).toBe("%SYS-4-USERLOG_WARNING: x");
  });
});

describe("remote syslog payload (§2.7 [R])", () => {
  it("PRI, the box counter, then the buffer line", () => {
    const line = formatLogLine(
      undefined,
      "*Sep 13 09:18:12.291: ",
      "%SYS-4-USERLOG_WARNING: Message from tty0(user id: ): SVC-WARN4",
    );
    expect(formatWireMessage(syslogPri("local7", 4), 233, undefined, line)).toBe(
      "<188>233: *Sep 13 09:18:12.291: %SYS-4-USERLOG_WARNING: Message from tty0(user id: ): SVC-WARN4",
    );
  });

  it("with logging origin-id hostname", () => {
    const line =
      "*Nov 14 08:30:56.699: %LINK-5-CHANGED: Interface Loopback0, changed state to administratively down";
    expect(formatWireMessage(syslogPri("local7", 5), 521, "router1", line)).toBe(
      "<189>521: router1: *Nov 14 08:30:56.699: %LINK-5-CHANGED: Interface Loopback0, changed state to administratively down",
    );
  });

  it("PRI = facility x 8 + severity (local7 informational is <190>)", () => {
    expect(syslogPri("local7", 6)).toBe(190);
    expect(syslogPri("local0", 3)).toBe(131);
    expect(syslogPri("kern", 0)).toBe(0);
    expect(syslogPri("sys9", 7)).toBe(79);
    expect(facilityCode("cron")).toBe(15);
    expect(facilityCode("no-such-facility")).toBe(23);
  });

  it("RFC 6587 octet counting: byte length, space, message", () => {
    expect(octetCountingFrame("<189>1: abc").toString()).toBe("11 <189>1: abc");
    expect(octetCountingFrame("é").toString()).toBe("2 é");
  });
});

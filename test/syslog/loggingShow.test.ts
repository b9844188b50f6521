/**
 * `show logging` against the IOS XE 17.15 samples of ios-cli.md §2.6 (header, trap section with
 * a collector, the buffer), with counters from the real pipeline, and parsed by ntc-templates'
 * cisco_ios_show_logging.textfsm as automation parses it.
 */
import { describe, expect, it } from "vitest";
import { renderShowLogging } from "../../src/cli/show/loggingShow.js";
import { emptyConfig, type LoggingHostConfig } from "../../src/config/model.js";
import { SoftwareClock } from "../../src/services/clock/softwareClock.js";
import type { RemoteHostSink } from "../../src/services/syslog/remoteHost.js";
import { configuredFrom, ntpPeerSync, userLogWarning } from "../../src/services/syslog/syslogEvents.js";
import { type LoggingStatus, SyslogService } from "../../src/services/syslog/syslogService.js";
import { HandlerHarness } from "../fixtures/handlerHarness.js";
import { FakeHostTime } from "./fakeHostTime.js";
import { parseWithTemplate, records } from "./textfsmParse.js";

const SEP13 = Date.UTC(2026, 8, 13, 9, 18, 6, 323);

function serviceWith(lines: string[], sinkStats = { logged: 11, dropped: 0, linkUp: true }) {
  const config = emptyConfig();
  new HandlerHarness(config).applyAll(lines);
  const host = new FakeHostTime(SEP13);
  const clock = new SoftwareClock(host);
  const service = new SyslogService(clock, config, {
    openHost: (h: LoggingHostConfig): RemoteHostSink => ({
      config: h,
      send: () => {},
      stats: () => sinkStats,
      localAddress: () => undefined,
      close: async () => {},
    }),
  });
  return { service, host };
}

/** The §2.6 [R] layout from the header down to the buffer, for a given status. */
const HEADER = [
  "Syslog logging: enabled (0 messages dropped, 0 messages rate-limited, 0 flushes, 0 overruns, xml disabled, filtering disabled)",
  "",
  "No Active Message Discriminator.",
  "",
  "",
  "",
  "No Inactive Message Discriminator.",
  "",
  "",
];

describe("show logging", () => {
  it("the XE sample layout: console off, monitor and buffer at debugging, trap informational", () => {
    const { service } = serviceWith(["no logging console"]);
    service.log(configuredFrom("console"));
    expect(renderShowLogging(service.status())).toEqual([
      ...HEADER,
      "    Console logging: disabled",
      "    Monitor logging: level debugging, 1 messages logged, xml disabled,",
      "                     filtering disabled",
      "    Buffer logging:  level debugging, 1 messages logged, xml disabled,",
      "                    filtering disabled",
      "    Exception Logging: size (4096 bytes)",
      "    Count and timestamp logging messages: disabled",
      "    Persistent logging: disabled",
      "    Trap logging: level informational, 1 message lines logged",
      "        Logging Source-Interface:       VRF Name:",
      "",
      "Log Buffer (4096 bytes):",
      "",
      "*Sep 13 09:18:06.323: %SYS-5-CONFIG_I: Configured from console by console",
    ]);
  });

  it("a collector block (§2.6 [R]) and the configured buffer size", () => {
    const { service } = serviceWith([
      "logging host 10.1.10.6 transport udp port 5514",
      "logging buffered 16384 informational",
      "logging console critical",
    ]);
    const out = renderShowLogging(service.status());
    expect(out.slice(9, 26)).toEqual([
      "    Console logging: level critical, 0 messages logged, xml disabled,",
      "                     filtering disabled",
      "    Monitor logging: level debugging, 1 messages logged, xml disabled,",
      "                     filtering disabled",
      "    Buffer logging:  level informational, 1 messages logged, xml disabled,",
      "                    filtering disabled",
      "    Exception Logging: size (4096 bytes)",
      "    Count and timestamp logging messages: disabled",
      "    Persistent logging: disabled",
      "    Trap logging: level informational, 1 message lines logged",
      "        Logging to 10.1.10.6  (udp port 5514, audit disabled,",
      "              link up),",
      "              11 message lines logged, ",
      "              0 message lines rate-limited, ",
      "              0 message lines dropped-by-MD, ",
      "              xml disabled, sequence number disabled",
      "              filtering disabled",
    ]);
    expect(out).toContain("Log Buffer (16384 bytes):");
  });

  it("drops of a collector that is down: in the header, and per host as dropped-by-queue", () => {
    const { service } = serviceWith(["logging host 10.1.1.3 transport tcp port 1514"], {
      logged: 0,
      dropped: 7,
      linkUp: false,
    });
    const out = renderShowLogging(service.status());
    expect(out[0]).toContain("(7 messages dropped,");
    expect(out).toContain("        Logging to 10.1.1.3  (tcp port 1514, audit disabled,");
    expect(out).toContain("              link down),");
    expect(out).toContain("              7 message lines dropped-by-queue, ");
  });

  it("no logging buffered: the buffer section disappears", () => {
    const { service } = serviceWith(["no logging buffered"]);
    const out = renderShowLogging(service.status());
    expect(out).toContain("    Buffer logging:  disabled, xml disabled,");
    expect(out.some((l) => l.startsWith("Log Buffer"))).toBe(false);
  });

  it("a source interface row under its header", () => {
    const status: LoggingStatus = {
      ...serviceWith([]).service.status(),
      sourceInterface: { iface: "Vlan200" },
    };
    const out = renderShowLogging(status);
    const at = out.indexOf("        Logging Source-Interface:       VRF Name:");
    expect(out[at + 1]).toBe("        Vlan200");
  });
});

describe("show logging parses with cisco_ios_show_logging.textfsm", () => {
  it("datetime msec stamps, with and without the * flag", () => {
    const { service, host } = serviceWith(["no logging console"]);
    service.log(configuredFrom("console"));
    host.advance(1500);
    service.log(ntpPeerSync("172.16.0.12"));
    const parsed = records(
      parseWithTemplate(
        "cisco_ios_show_logging.textfsm",
        `${renderShowLogging(service.status()).join("\n")}\n`,
      ),
    );
    expect(
      parsed.map((r) => [r.MONTH, r.DAY, r.TIME, r.FACILITY, r.SEVERITY, r.MNEMONIC, r.MESSAGE]),
    ).toEqual([
      ["Sep", "13", "09:18:06.323", "SYS", "5", "CONFIG_I", ["Configured from console by console"]],
      ["Sep", "13", "09:18:07.823", "NTP", "5", "PEERSYNC", ["NTP synced to peer 172.16.0.12"]],
    ]);
  });

  it("service sequence-numbers and a localtime zone", () => {
    const { service } = serviceWith([
      "service sequence-numbers",
      "service timestamps log datetime msec localtime show-timezone",
      "clock timezone JST 9 0",
    ]);
    service.log(userLogWarning("Message from tty0(user id: ): SVC-WARN4"));
    const parsed = records(
      parseWithTemplate(
        "cisco_ios_show_logging.textfsm",
        `${renderShowLogging(service.status()).join("\n")}\n`,
      ),
    );
    expect(parsed.map((r) => [r.NUMBER, r.TIME, r.TIMEZONE, r.MNEMONIC])).toEqual([
      ["000001", "18:18:06.323", "JST", "USERLOG_WARNING"],
    ]);
  });

  it("uptime stamps", () => {
    const { service, host } = serviceWith(["service timestamps log uptime"]);
    host.advance(258_000);
    service.log(configuredFrom("console"));
    const parsed = records(
      parseWithTemplate(
        "cisco_ios_show_logging.textfsm",
        `${renderShowLogging(service.status()).join("\n")}\n`,
      ),
    );
    expect(parsed.map((r) => [r.TIME, r.FACILITY, r.MNEMONIC])).toEqual([["00:04:18", "SYS", "CONFIG_I"]]);
  });
});

/**
 * The syslog pipeline end to end with a driven clock and in-memory collectors: every
 * destination's level, the counters `show logging` prints, sequence numbers, origin ids, the
 * LOGGINGHOST_STARTSTOP events of reconciliation, and monitor subscriptions.
 */
import { describe, expect, it } from "vitest";
import { emptyConfig, type LoggingHostConfig, type RunningConfig } from "../../src/config/model.js";
import { SoftwareClock } from "../../src/services/clock/softwareClock.js";
import type { RemoteHostSink, RemoteHostStats } from "../../src/services/syslog/remoteHost.js";
import {
  configuredFrom,
  ntpPeerSync,
  pkiCertificateExpired,
  userLogWarning,
} from "../../src/services/syslog/syslogEvents.js";
import { SyslogService } from "../../src/services/syslog/syslogService.js";
import { HandlerHarness } from "../fixtures/handlerHarness.js";
import { FakeHostTime } from "./fakeHostTime.js";

const SEP13 = Date.UTC(2026, 8, 13, 9, 18, 6, 323);

class MemorySink implements RemoteHostSink {
  readonly sent: string[] = [];
  closed = false;
  constructor(readonly config: LoggingHostConfig) {}
  send(message: string): void {
    this.sent.push(message);
  }
  stats(): RemoteHostStats {
    return { logged: this.sent.length, dropped: 0, linkUp: !this.closed };
  }
  localAddress(): string {
    return "192.0.2.7";
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

function configure(config: RunningConfig, ...lines: string[]): RunningConfig {
  new HandlerHarness(config).applyAll(lines);
  return config;
}

function setup(...lines: string[]) {
  const host = new FakeHostTime(SEP13);
  const clock = new SoftwareClock(host);
  const config = configure(emptyConfig(), ...lines);
  const sinks: MemorySink[] = [];
  const consoleLines: string[] = [];
  const service = new SyslogService(clock, config, {
    console: (l) => consoleLines.push(l),
    openHost: (h) => {
      const sink = new MemorySink(h);
      sinks.push(sink);
      return sink;
    },
  });
  return { host, clock, config, service, sinks, consoleLines };
}

describe("the line every destination shows", () => {
  it("defaults: datetime msec with the * flag of a clock nobody set", () => {
    const { service, consoleLines } = setup();
    service.log(configuredFrom("console"));
    expect(consoleLines).toEqual([
      "*Sep 13 09:18:06.323: %SYS-5-CONFIG_I: Configured from console by console",
    ]);
    expect(service.status().buffer.lines).toEqual(consoleLines);
  });

  it("the flag follows the clock: none once set by a user, . when NTP lost sync", () => {
    const { service, clock, consoleLines } = setup();
    clock.set(SEP13, "user", true);
    service.log(configuredFrom("console"));
    clock.setAuthoritative(true, "ntp");
    service.log(configuredFrom("console"));
    expect(consoleLines).toEqual([
      "Sep 13 09:18:06.323: %SYS-5-CONFIG_I: Configured from console by console",
      ".Sep 13 09:18:06.323: %SYS-5-CONFIG_I: Configured from console by console",
    ]);
  });

  it("service sequence-numbers, timestamps log uptime and debug stamps apart", () => {
    const { service, host, consoleLines } = setup(
      "service sequence-numbers",
      "service timestamps log uptime",
      "service timestamps debug datetime localtime show-timezone",
      "clock timezone JST 9 0",
    );
    host.advance((4 * 60 + 18) * 1000);
    service.log(configuredFrom("console"));
    service.debug("NTP: xmit packet to 10.0.0.1:");
    expect(consoleLines).toEqual([
      "000001: 00:04:18: %SYS-5-CONFIG_I: Configured from console by console",
      "000002: *Sep 13 18:22:24 JST: NTP: xmit packet to 10.0.0.1:",
    ]);
  });

  it("no service timestamps log", () => {
    const { service, consoleLines } = setup("no service timestamps log");
    service.log(userLogWarning("Message from tty0(user id: ): SVC-WARN4"));
    expect(consoleLines).toEqual(["%SYS-4-USERLOG_WARNING: Message from tty0(user id: ): SVC-WARN4"]);
  });

  it("event() takes rendered text, as Appliance.event carries it", () => {
    const { service, consoleLines } = setup("no service timestamps log");
    service.event("%SYS-6-CLOCKUPDATE: System clock has been updated");
    service.event("free text");
    expect(consoleLines).toEqual(["%SYS-6-CLOCKUPDATE: System clock has been updated", "free text"]);
  });
});

describe("levels and counters", () => {
  it("each destination filters by its own level and counts what it took", () => {
    const { service, consoleLines, sinks } = setup(
      "logging console warnings",
      "logging monitor errors",
      "logging buffered 8192 notifications",
      "logging trap critical",
      "logging host 10.1.10.6",
    );
    const monitor: string[] = [];
    service.subscribeMonitor((l) => monitor.push(l));
    service.log(ntpPeerSync("10.0.0.1")); // 5
    service.log(userLogWarning("w")); // 4
    service.log(pkiCertificateExpired("3E", "00:00:00 UTC Jan 1 2026")); // 3
    const s = service.status();
    // The host's own LOGGINGHOST_STARTSTOP (severity 6) passes none of these levels.
    expect(consoleLines.map((l) => l.split(": %")[1]?.slice(0, 5))).toEqual(["SYS-4", "PKI-3"]);
    expect(monitor).toHaveLength(1);
    expect(s.console).toEqual({ level: 4, logged: 2 });
    expect(s.monitor).toEqual({ level: 3, logged: 1 });
    expect(s.buffer.logged).toBe(3);
    expect(s.buffer.sizeBytes).toBe(8192);
    expect(s.trap).toEqual({ level: 2, logged: 0 });
    expect(sinks[0]?.sent).toEqual([]);
  });

  it("no logging console / monitor / buffered turn them off", () => {
    const { service, consoleLines } = setup(
      "no logging console",
      "no logging monitor",
      "no logging buffered",
    );
    const monitor: string[] = [];
    service.subscribeMonitor((l) => monitor.push(l));
    service.log(userLogWarning("w"));
    expect(consoleLines).toEqual([]);
    expect(monitor).toEqual([]);
    const s = service.status();
    expect(s.buffer.level).toBeNull();
    expect(s.buffer.lines).toEqual([]);
    expect(s.console.level).toBeNull();
  });

  it("the buffer keeps the newest lines that fit its size", () => {
    const { service, config } = setup("logging buffered 8192", "no service timestamps log");
    // 35 characters and a newline each
    for (let i = 0; i < 1000; i++) service.log(userLogWarning(`message ${String(i).padStart(3, "0")}`));
    let lines = service.status().buffer.lines;
    expect(lines).toHaveLength(Math.floor(8192 / 36));
    expect(lines.at(-1)).toBe("%SYS-4-USERLOG_WARNING: message 999");
    configure(config, "logging buffered 4096");
    service.reconfigure(config);
    lines = service.status().buffer.lines;
    expect(lines).toHaveLength(Math.floor(4096 / 36));
    expect(lines[0]).toBe(`%SYS-4-USERLOG_WARNING: message ${1000 - Math.floor(4096 / 36)}`);
    expect(service.status().buffer.sizeBytes).toBe(4096);
  });

  it("monitor subscriptions end when the session unsubscribes; a failing terminal hurts no one", () => {
    const { service } = setup();
    const a: string[] = [];
    const stop = service.subscribeMonitor((l) => a.push(l));
    service.subscribeMonitor(() => {
      throw new Error("channel closed");
    });
    service.log(userLogWarning("one"));
    stop();
    service.log(userLogWarning("two"));
    expect(a).toHaveLength(1);
    expect(service.status().monitor.logged).toBe(2);
  });
});

describe("logging host", () => {
  it("the wire format: PRI from logging facility, the box counter, the line", () => {
    const { service, sinks, host } = setup(
      "logging host 10.1.10.6 transport udp port 5514",
      "logging facility local4",
    );
    host.advance(5000);
    service.log(userLogWarning("Message from tty0(user id: ): SVC-WARN4"));
    expect(sinks[0]?.sent).toEqual([
      "<166>1: *Sep 13 09:18:06.323: %SYS-6-LOGGINGHOST_STARTSTOP: Logging to host 10.1.10.6 port 5514 started - CLI initiated",
      "<164>2: *Sep 13 09:18:11.323: %SYS-4-USERLOG_WARNING: Message from tty0(user id: ): SVC-WARN4",
    ]);
  });

  it("the counter is always on the wire; with sequence-numbers the line repeats it", () => {
    const { service, sinks } = setup("logging host 10.1.10.6", "service sequence-numbers");
    service.log(userLogWarning("w"));
    expect(sinks[0]?.sent[1]).toBe("<188>2: 000002: *Sep 13 09:18:06.323: %SYS-4-USERLOG_WARNING: w");
  });

  it("logging origin-id hostname | string | ip", () => {
    for (const [line, origin] of [
      ["logging origin-id hostname", "router1"],
      ["logging origin-id string EDGE-7", "EDGE-7"],
      ["logging origin-id ip", "192.0.2.7"],
    ] as const) {
      const { service, sinks } = setup(
        "hostname router1",
        "logging host 10.1.10.6",
        line,
        "no service timestamps log",
      );
      service.log(userLogWarning("w"));
      expect(sinks[0]?.sent[1]).toBe(`<188>2: ${origin}: %SYS-4-USERLOG_WARNING: w`);
    }
  });

  it("reconcile: added hosts start (and hear their own start), removed hosts stop", async () => {
    const { service, sinks, config, consoleLines } = setup(
      "logging host 10.1.10.6",
      "no service timestamps log",
    );
    expect(consoleLines).toEqual([
      "%SYS-6-LOGGINGHOST_STARTSTOP: Logging to host 10.1.10.6 port 514 started - CLI initiated",
    ]);
    configure(config, "logging host 10.1.10.7 transport tcp port 1514", "no logging host 10.1.10.6");
    service.reconfigure(config);
    expect(consoleLines.slice(1)).toEqual([
      "%SYS-6-LOGGINGHOST_STARTSTOP: Logging to host 10.1.10.6 port 514 stopped - CLI initiated",
      "%SYS-6-LOGGINGHOST_STARTSTOP: Logging to host 10.1.10.7 port 1514 started - CLI initiated",
    ]);
    expect(sinks[0]?.closed).toBe(true);
    expect(sinks[0]?.sent).toHaveLength(1);
    expect(sinks[1]?.sent).toEqual([
      "<190>3: %SYS-6-LOGGINGHOST_STARTSTOP: Logging to host 10.1.10.7 port 1514 started - CLI initiated",
    ]);
    // An unchanged configuration changes nothing.
    service.reconfigure(config);
    expect(sinks).toHaveLength(2);
    expect(consoleLines).toHaveLength(3);
    await service.close();
    expect(sinks[1]?.closed).toBe(true);
  });

  it("status lists each collector with its counters", () => {
    const { service } = setup("logging host 10.1.10.6 transport udp port 5514");
    service.log(userLogWarning("w"));
    expect(service.status().hosts).toEqual([
      { host: "10.1.10.6", transport: "udp", port: 5514, logged: 2, dropped: 0, linkUp: true },
    ]);
    expect(service.status().trap.logged).toBe(2);
  });
});

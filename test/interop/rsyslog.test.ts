/**
 * rsyslogd from the Debian package (installed by .ci/run) as the `logging host` collector: it
 * receives our UDP datagrams and our octet-counted TCP stream, and the raw bytes it stores
 * (`%rawmsg%`) are exactly what IOS sends (ios-cli.md §2.7 [R] samples).
 */
import { existsSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { emptyConfig, type RunningConfig } from "../../src/config/model.js";
import { SoftwareClock } from "../../src/services/clock/softwareClock.js";
import { configuredFrom, userLogWarning } from "../../src/services/syslog/syslogEvents.js";
import { SyslogService } from "../../src/services/syslog/syslogService.js";
import { HandlerHarness } from "../fixtures/handlerHarness.js";
import { FakeHostTime } from "../syslog/fakeHostTime.js";
import { freePort, RSYSLOGD, RsyslogCollector } from "./rsyslogd.js";

/** The instant of the §2.7 UDP sample: `*Sep 13 09:18:12.291`. */
const SAMPLE_AT = Date.UTC(2026, 8, 13, 9, 18, 12, 291);

const running: { collector?: RsyslogCollector; service?: SyslogService }[] = [];

afterEach(async () => {
  for (const r of running.splice(0)) {
    await r.service?.close();
    await r.collector?.stop();
  }
});

async function collector(): Promise<RsyslogCollector> {
  const c = new RsyslogCollector();
  running.push({ collector: c });
  await c.start();
  return c;
}

function service(lines: string[]): SyslogService {
  const config: RunningConfig = emptyConfig();
  new HandlerHarness(config).applyAll(lines);
  const s = new SyslogService(new SoftwareClock(new FakeHostTime(SAMPLE_AT)), config, {
    limits: { reconnectInitialMs: 50 },
  });
  running.push({ service: s });
  return s;
}

describe("rsyslogd as the collector", () => {
  it("rsyslogd is installed (.ci/run installs the Debian package)", () => {
    expect(existsSync(RSYSLOGD)).toBe(true);
  });

  it("stores our UDP and TCP messages byte for byte as IOS sends them", async () => {
    const c = await collector();
    const s = service([
      `logging host 127.0.0.1 transport udp port ${c.udpPort}`,
      `logging host 127.0.0.1 transport tcp port ${c.tcpPort}`,
    ]);
    s.log(userLogWarning("Message from tty0(user id: ): SVC-WARN4"));
    s.log(configuredFrom("console"));

    const started = (n: number, port: number) =>
      `<190>${n}: *Sep 13 09:18:12.291: %SYS-6-LOGGINGHOST_STARTSTOP: Logging to host 127.0.0.1 port ${port} started - CLI initiated`;
    const warning =
      "<188>3: *Sep 13 09:18:12.291: %SYS-4-USERLOG_WARNING: Message from tty0(user id: ): SVC-WARN4";
    const config = "<189>4: *Sep 13 09:18:12.291: %SYS-5-CONFIG_I: Configured from console by console";

    const udp = await c.waitForLines("udp", 4);
    expect(udp, c.log).toEqual([started(1, c.udpPort), started(2, c.tcpPort), warning, config]);
    // The TCP host exists from its own start line on; its frames carry no framing residue.
    const tcp = await c.waitForLines("tcp", 3);
    expect(tcp, c.log).toEqual([started(2, c.tcpPort), warning, config]);
  });

  it("origin-id, sequence numbers and a local time zone reach the collector unchanged", async () => {
    const c = await collector();
    const s = service([
      "hostname router1",
      "service sequence-numbers",
      "service timestamps log datetime msec localtime show-timezone year",
      "clock timezone JST 9 0",
      "logging origin-id hostname",
      "logging facility local5",
      `logging host 127.0.0.1 transport tcp port ${c.tcpPort}`,
    ]);
    s.log(configuredFrom("admin on vty0 (192.0.2.10)"));
    const tcp = await c.waitForLines("tcp", 2);
    expect(tcp, c.log).toEqual([
      "<174>1: router1: 000001: *Sep 13 2026 18:18:12.291 JST: %SYS-6-LOGGINGHOST_STARTSTOP: Logging to host 127.0.0.1 port " +
        `${c.tcpPort} started - CLI initiated`,
      "<173>2: router1: 000002: *Sep 13 2026 18:18:12.291 JST: %SYS-5-CONFIG_I: Configured from console by admin on vty0 (192.0.2.10)",
    ]);
  });

  it("a collector that starts late receives what was queued for it over TCP", async () => {
    const port = await freePort("tcp");
    const s = service([`logging host 127.0.0.1 transport tcp port ${port}`, "no service timestamps log"]);
    s.log(userLogWarning("queued while the collector was down"));
    expect(s.status().hosts[0]?.linkUp).toBe(false);
    const late = new RsyslogCollector();
    running.push({ collector: late });
    await late.start({ tcp: port });
    const tcp = await late.waitForLines("tcp", 2);
    expect(tcp, late.log).toEqual([
      `<190>1: %SYS-6-LOGGINGHOST_STARTSTOP: Logging to host 127.0.0.1 port ${port} started - CLI initiated`,
      "<188>2: %SYS-4-USERLOG_WARNING: queued while the collector was down",
    ]);
    expect(s.status().hosts[0]?.linkUp).toBe(true);
  });
});

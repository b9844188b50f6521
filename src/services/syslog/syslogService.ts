/**
 * The syslog service: every device event of every service goes through `log()`, is stamped
 * once (`service timestamps`, `service sequence-numbers`, the clock's `*`/`.` flag) and handed to
 * the destinations `logging ...` enables — console, the terminals that ran `terminal monitor`,
 * the buffer `show logging` prints, and the `logging host` collectors over UDP or TCP. It
 * reconciles itself with each new running-config; a slow or dead collector never blocks it.
 */
import { loggingHostKey } from "../../config/areas/loggingConfig.js";
import type {
  LoggingConfig,
  LoggingHostConfig,
  RunningConfig,
  SyslogLevel,
  TimestampsConfig,
} from "../../config/model.js";
import type { SoftwareClock } from "../clock/softwareClock.js";
import type { ZoneSpec } from "../clock/timeZone.js";
import { LogBuffer } from "./logBuffer.js";
import { formatLogLine, formatStamp, formatWireMessage } from "./logLine.js";
import { DEFAULT_REMOTE_LIMITS, type RemoteHostLimits, type RemoteHostSink } from "./remoteHost.js";
import { loggingHostStartStop } from "./syslogEvents.js";
import { syslogPri } from "./syslogFacility.js";
import { messageBody, parseMessageBody, type SyslogMessage } from "./syslogMessage.js";
import { TcpHostSink } from "./tcpHostSink.js";
import { UdpHostSink } from "./udpHostSink.js";

/** Severity of debug output (`debug ...` commands): debugging. */
const DEBUG_SEVERITY: SyslogLevel = 7;
/** Severity of an `event()` text that is not in `%FAC-SEV-MNEMONIC:` form: informational. */
const UNTYPED_SEVERITY: SyslogLevel = 6;

export interface SyslogServiceOptions {
  /** Where `logging console` lines go (the daemon's console); omitted = counted only. */
  readonly console?: (line: string) => void;
  readonly limits?: Partial<RemoteHostLimits>;
  /** Opens a collector connection; tests inject fakes. Default: UDP or TCP sockets. */
  readonly openHost?: (host: LoggingHostConfig, limits: RemoteHostLimits) => RemoteHostSink;
}

/** A terminal that ran `terminal monitor` receives the monitor lines through this. */
export type MonitorListener = (line: string) => void;

export interface LocalDestinationStatus {
  /** null = off (`no logging console`). */
  readonly level: SyslogLevel | null;
  readonly logged: number;
}

export interface RemoteHostStatus extends LoggingHostConfig {
  readonly logged: number;
  readonly dropped: number;
  readonly linkUp: boolean;
}

/** Everything `show logging` prints (ios-cli.md §2.6), counters included. */
export interface LoggingStatus {
  /** Messages lost on the way to collectors, all hosts (`N messages dropped`). */
  readonly dropped: number;
  readonly console: LocalDestinationStatus;
  readonly monitor: LocalDestinationStatus;
  readonly buffer: LocalDestinationStatus & { readonly sizeBytes: number; readonly lines: readonly string[] };
  readonly trap: { readonly level: SyslogLevel; readonly logged: number };
  readonly hosts: readonly RemoteHostStatus[];
  readonly sequenceNumbers: boolean;
  readonly sourceInterface?: { readonly iface: string; readonly vrf?: string };
}

/** The parts of the running-config the pipeline reads per message. */
interface PipelineSettings {
  readonly hostname: string;
  readonly timestampsLog: TimestampsConfig | null;
  readonly timestampsDebug: TimestampsConfig | null;
  readonly sequenceNumbers: boolean;
  readonly zone: ZoneSpec;
  readonly logging: LoggingConfig;
  /** Address of `logging source-interface`, for `logging origin-id ip`. */
  readonly sourceAddress?: string;
}

function settingsOf(config: RunningConfig): PipelineSettings {
  const { timezone, summerTime, logging } = config;
  const iface = logging.sourceInterface ? config.interfaces.get(logging.sourceInterface.iface) : undefined;
  const sourceAddress = iface?.address?.address;
  return {
    hostname: config.hostname,
    timestampsLog: config.timestampsLog,
    timestampsDebug: config.timestampsDebug,
    sequenceNumbers: config.sequenceNumbers,
    zone: { ...(timezone ? { zone: timezone } : {}), ...(summerTime ? { summer: summerTime } : {}) },
    logging: structuredClone(logging),
    ...(sourceAddress === undefined ? {} : { sourceAddress }),
  };
}

function openDefaultHost(host: LoggingHostConfig, limits: RemoteHostLimits): RemoteHostSink {
  return host.transport === "tcp" ? new TcpHostSink(host, limits) : new UdpHostSink(host, limits);
}

export class SyslogService {
  private settings: PipelineSettings;
  private readonly buffer: LogBuffer;
  private readonly hosts = new Map<string, RemoteHostSink>();
  private readonly monitors = new Set<MonitorListener>();
  private readonly limits: RemoteHostLimits;
  /** Connections of removed hosts still closing (close() waits for them). */
  private readonly closing = new Set<Promise<void>>();
  /** The box's message counter: `service sequence-numbers` and the wire's `<PRI>N:`. */
  private counter = 0;
  private consoleLogged = 0;
  private monitorLogged = 0;
  private bufferLogged = 0;
  private trapLogged = 0;
  /** Drops of hosts since removed, so the header count never goes backwards. */
  private retiredDrops = 0;

  constructor(
    private readonly clock: SoftwareClock,
    config: RunningConfig,
    private readonly options: SyslogServiceOptions = {},
  ) {
    this.limits = { ...DEFAULT_REMOTE_LIMITS, ...options.limits };
    this.settings = settingsOf(config);
    this.buffer = new LogBuffer(config.logging.buffered?.size ?? 0);
    this.reconcileHosts(config.logging);
  }

  /** Log one device event. Synchronous and O(destinations); never waits on I/O. */
  log(message: SyslogMessage): void {
    this.dispatch(messageBody(message), message.severity, this.settings.timestampsLog);
  }

  /** Debug output (`service timestamps debug`), e.g. `NTP: xmit packet to 10.0.0.1:`. */
  debug(text: string): void {
    this.dispatch(text, DEBUG_SEVERITY, this.settings.timestampsDebug);
  }

  /** A rendered `%FAC-SEV-MNEMONIC: text` (what `Appliance.event` carries today). */
  event(body: string): void {
    const parsed = parseMessageBody(body);
    if (parsed) this.log(parsed);
    else this.dispatch(body, UNTYPED_SEVERITY, this.settings.timestampsLog);
  }

  /** Apply a new running-config: levels, buffer size, stamps, and the collector set. */
  reconfigure(config: RunningConfig): void {
    this.settings = settingsOf(config);
    const buffered = config.logging.buffered;
    if (buffered === null) this.buffer.clear();
    else this.buffer.resize(buffered.size);
    this.reconcileHosts(config.logging);
  }

  /**
   * `terminal monitor` in one session: its listener receives every line at or below `logging
   * monitor LEVEL` until the returned function is called (`terminal no monitor`, logout).
   */
  subscribeMonitor(listener: MonitorListener): () => void {
    this.monitors.add(listener);
    return () => this.monitors.delete(listener);
  }

  status(): LoggingStatus {
    const { logging } = this.settings;
    const hosts: RemoteHostStatus[] = [];
    let dropped = this.retiredDrops;
    for (const sink of this.hosts.values()) {
      const s = sink.stats();
      dropped += s.dropped;
      hosts.push({ ...sink.config, logged: s.logged, dropped: s.dropped, linkUp: s.linkUp });
    }
    return {
      dropped,
      console: { level: logging.console, logged: this.consoleLogged },
      monitor: { level: logging.monitor, logged: this.monitorLogged },
      buffer: {
        level: logging.buffered?.level ?? null,
        logged: this.bufferLogged,
        sizeBytes: logging.buffered?.size ?? this.buffer.capacity,
        lines: this.buffer.contents(),
      },
      trap: { level: logging.trap, logged: this.trapLogged },
      hosts,
      sequenceNumbers: this.settings.sequenceNumbers,
      ...(logging.sourceInterface ? { sourceInterface: logging.sourceInterface } : {}),
    };
  }

  /** Close every collector connection (daemon shutdown). */
  async close(): Promise<void> {
    const sinks = [...this.hosts.values()];
    this.hosts.clear();
    await Promise.all([...this.closing, ...sinks.map((s) => s.close())]);
  }

  private dispatch(body: string, severity: SyslogLevel, timestamps: TimestampsConfig | null): void {
    const s = this.settings;
    const { logging } = s;
    const sequence = ++this.counter;
    const now = this.clock.now();
    const stamp = formatStamp(timestamps, {
      utcMs: now.ms,
      uptimeMs: this.clock.uptimeMs(),
      flag: this.clock.flag(),
      zone: s.zone,
    });
    const line = formatLogLine(s.sequenceNumbers ? sequence : undefined, stamp, body);
    if (logging.console !== null && severity <= logging.console) {
      this.consoleLogged++;
      this.options.console?.(line);
    }
    if (logging.monitor !== null && severity <= logging.monitor) {
      this.monitorLogged++;
      for (const listener of this.monitors) deliverQuietly(listener, line);
    }
    if (logging.buffered !== null && severity <= logging.buffered.level) {
      this.bufferLogged++;
      this.buffer.push(line);
    }
    if (severity <= logging.trap) {
      this.trapLogged++;
      const pri = syslogPri(logging.facility, severity);
      for (const sink of this.hosts.values()) {
        sink.send(formatWireMessage(pri, sequence, this.originFor(sink), line));
      }
    }
  }

  /** `logging origin-id`: the hostname, a fixed string, or the address the collector sees. */
  private originFor(sink: RemoteHostSink): string | undefined {
    const origin = this.settings.logging.originId;
    if (!origin) return undefined;
    switch (origin.kind) {
      case "hostname":
        return this.settings.hostname;
      case "string":
        return origin.value ?? "";
      case "ip":
        return this.settings.sourceAddress ?? sink.localAddress();
    }
  }

  /**
   * Open new collectors and close removed ones, logging LOGGINGHOST_STARTSTOP for each (§1.8
   * [R]). A new host is opened before its "started" line, so the collector receives it; a
   * removed host is closed before its "stopped" line.
   */
  private reconcileHosts(logging: LoggingConfig): void {
    const wanted = new Map<string, LoggingHostConfig>();
    for (const host of logging.hosts.values()) wanted.set(loggingHostKey(host), host);
    for (const [key, sink] of this.hosts) {
      if (wanted.has(key)) continue;
      this.hosts.delete(key);
      this.retiredDrops += sink.stats().dropped;
      const closed = sink.close().finally(() => this.closing.delete(closed));
      this.closing.add(closed);
      this.log(loggingHostStartStop(sink.config.host, sink.config.port, false));
    }
    const open = this.options.openHost ?? openDefaultHost;
    for (const [key, host] of wanted) {
      if (this.hosts.has(key)) continue;
      this.hosts.set(key, open(host, this.limits));
      this.log(loggingHostStartStop(host.host, host.port, true));
    }
  }
}

/** A terminal that went away must not break logging for everyone else. */
function deliverQuietly(listener: MonitorListener, line: string): void {
  try {
    listener(line);
  } catch {
    // The session's transport is closing; it unsubscribes itself when it ends.
  }
}

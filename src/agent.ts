/**
 * The composition root: startup-config -> running services -> transports. The agent is the
 * Appliance the CLI talks to; every configuration line that takes effect is handed to the
 * services, which reconcile themselves with the new running-config. Device events
 * (`%SYS-5-CONFIG_I`, logins) go to the syslog service, which fans them out to the console,
 * `terminal monitor` sessions, the buffer and collectors.
 */
import { type Logger, pino } from "pino";
import type { SshServerInfo } from "./cli/appliance.js";
import { OfflineAppliance } from "./cli/appliance.js";
import { zoneSpec } from "./cli/execCommands.js";
import { loadOrCreateHostKey } from "./cli/ssh/hostKey.js";
import { type SshListenOptions, SshServer } from "./cli/ssh/sshServer.js";
import type { Diagnostic } from "./config/loadConfig.js";
import type { StartupStore } from "./config/startupStore.js";
import { readCalendarState, writeCalendarState } from "./services/clock/calendarStore.js";
import { formatClockUpdate } from "./services/clock/timeFormat.js";
import { readDrift, writeDrift } from "./services/ntp/driftFile.js";
import { type NtpListenOptions, NtpService } from "./services/ntp/ntpService.js";
import { PkiService } from "./services/pki/pkiService.js";
import { SyslogService } from "./services/syslog/syslogService.js";

export interface SshOptions extends SshListenOptions {
  /** The ed25519 host key; generated there on first start. */
  readonly hostKeyFile: string;
}

export interface AgentOptions {
  readonly startup: StartupStore;
  /** Serve NTP on these addresses; omitted = no NTP sockets. */
  readonly ntp?: NtpListenOptions;
  /** Serve the SSH shell; omitted = no SSH server. */
  readonly ssh?: SshOptions;
  /** The daemon's operational log; omitted = silent. */
  readonly logger?: Logger;
  /** Where the hardware calendar is persisted (dataDir/calendar); omitted = not persisted. */
  readonly calendarFile?: string;
  /** Where the NTP frequency correction is persisted (dataDir/drift); omitted = not persisted. */
  readonly driftFile?: string;
}

/** How often the drift file is rewritten while running (it is also written at shutdown). */
const DRIFT_SAVE_MS = 3_600_000;

/** How often `ntp update-calendar` writes NTP time into the calendar while synchronized. */
const CALENDAR_UPDATE_MS = 60_000;

/** Device event texts kept for tests and tools (the syslog buffer is what `show logging` prints). */
const MAX_EVENTS = 1024;

export class Agent extends OfflineAppliance {
  ntp: NtpService | undefined;
  ssh: SshServer | undefined;
  bootDiagnostics: Diagnostic[] = [];
  /** Where `logging console` lines go: the daemon's console when it runs one. */
  consoleSink: ((line: string) => void) | undefined;
  /** The real pipeline, with collectors over UDP/TCP (the offline one never opens sockets). */
  override readonly syslog: SyslogService = new SyslogService(this.clock, this.config, {
    console: (line) => this.consoleSink?.(line),
  });
  /** Certificate validity at the appliance clock. */
  pki: PkiService | undefined;
  /** When the first unannounced configuration line took effect. */
  private changedAtMs: number | undefined;
  private calendarTimer: NodeJS.Timeout | undefined;
  private driftTimer: NodeJS.Timeout | undefined;
  private driftFile: string | undefined;

  private constructor(
    startup: StartupStore,
    readonly log: Logger,
  ) {
    super(startup);
  }

  static async start(options: AgentOptions): Promise<Agent> {
    const agent = new Agent(options.startup, options.logger ?? pino({ level: "silent" }));
    agent.bootDiagnostics = agent.boot()?.diagnostics ?? [];
    agent.startFromCalendar(options.calendarFile);
    agent.pki = new PkiService(agent.clock, agent.config, { log: (m) => agent.syslog.log(m) });
    try {
      await agent.pki.start();
      agent.driftFile = options.driftFile;
      if (options.ntp) await agent.listenNtp(options.ntp);
      if (options.ssh) await agent.listenSsh(options.ssh);
    } catch (error) {
      await agent.close();
      throw error;
    }
    return agent;
  }

  /**
   * Boot as a low-end router does: the software clock starts from the (persisted) calendar and
   * is authoritative only with `clock calendar-valid` (ios-cli.md §1.6, §2.5).
   */
  private startFromCalendar(file: string | undefined): void {
    if (file) {
      const saved = readCalendarState(file);
      if (saved) this.calendar.restoreOffset(saved.offsetFromHostMs);
      this.calendar.onChange = (offsetFromHostMs) => writeCalendarState(file, { offsetFromHostMs });
    }
    this.clock.setOffsetFromHost(this.calendar.offsetFromHostMs, "calendar", this.config.calendarValid);
    this.calendarTimer = setInterval(() => this.updateCalendarFromNtp(), CALENDAR_UPDATE_MS);
    this.calendarTimer.unref();
  }

  /** `ntp update-calendar`: keep the calendar disciplined while NTP is synchronized. */
  private updateCalendarFromNtp(): void {
    if (this.config.ntp.updateCalendar && this.clock.synchronized && this.clock.source === "ntp") {
      this.calendar.set(this.clock.nowMs());
    }
  }

  /** `clock calendar-valid` makes a calendar-set clock authoritative, and its removal undoes it. */
  private reconcileCalendarValidity(): void {
    if (this.clock.source === "calendar") this.clock.setAuthoritative(this.config.calendarValid, "calendar");
  }

  /** What `show ip ssh` prints about the running server. */
  get sshServer(): SshServerInfo | undefined {
    return this.ssh?.info;
  }

  override event(message: string): void {
    super.event(message);
    if (this.events.length > MAX_EVENTS) this.events.splice(0, this.events.length - MAX_EVENTS);
  }

  override configApplied(): void {
    super.configApplied();
    this.changedAtMs ??= this.clock.nowMs();
    this.reconcileServices();
  }

  private reconcileServices(): void {
    this.ntp?.reconfigure(this.config);
    void this.pki?.reconfigure(this.config);
    this.reconcileCalendarValidity();
  }

  /**
   * `by` is the session's own description, `console` or `admin on vty0 (192.0.2.1)`; IOS says
   * `Configured from console by ...` for both (ios-cli.md §2.8 [R]).
   */
  override configChanged(by: string): void {
    this.event(`%SYS-5-CONFIG_I: Configured from console by ${by}`);
    if (this.changedAtMs !== undefined) {
      const at = formatClockUpdate(this.changedAtMs, zoneSpec(this));
      this.lastChange = by === "console" ? at : `${at} by ${by.split(" on ")[0]}`;
      this.changedAtMs = undefined;
    }
    this.syslog.reconfigure(this.config);
    this.reconcileServices();
  }

  /** Open (or move) the SSH listener; sessions on the previous listener are ended. */
  async listenSsh(options: SshOptions): Promise<void> {
    await this.ssh?.close();
    this.ssh = undefined;
    const hostKey = loadOrCreateHostKey(options.hostKeyFile);
    if (hostKey.created)
      this.log.info(
        { file: options.hostKeyFile, fingerprint: hostKey.fingerprint },
        "generated ssh host key",
      );
    this.ssh = await SshServer.start(this, options, hostKey, this.log);
  }

  /** Open (or move) the NTP sockets. */
  async listenNtp(options: NtpListenOptions): Promise<void> {
    this.saveDrift();
    await this.ntp?.close();
    this.ntp = undefined;
    const restored = this.driftFile ? readDrift(this.driftFile) : undefined;
    this.ntp = await NtpService.start(this.clock, options, this.config, {
      log: (message) => this.syslog.log(message),
      zone: () => zoneSpec(this),
      ...(restored !== undefined ? { restoredFrequencyPpm: restored } : {}),
    });
    if (this.driftFile && !this.driftTimer) {
      this.driftTimer = setInterval(() => this.saveDrift(), DRIFT_SAVE_MS);
      this.driftTimer.unref();
    }
  }

  /** Persist the NTP frequency correction, as ntpd's and chrony's drift files do. */
  private saveDrift(): void {
    if (this.driftFile && this.ntp) writeDrift(this.driftFile, this.ntp.frequencyPpm());
  }

  /** Close every socket: SSH sessions first, then NTP, then syslog collectors. */
  async close(): Promise<void> {
    if (this.calendarTimer) clearInterval(this.calendarTimer);
    this.calendarTimer = undefined;
    if (this.driftTimer) clearInterval(this.driftTimer);
    this.driftTimer = undefined;
    this.saveDrift();
    this.pki?.close();
    await this.ssh?.close();
    this.ssh = undefined;
    await this.ntp?.close();
    this.ntp = undefined;
    await this.syslog.close();
  }
}

/**
 * What the CLI needs from the appliance: the live running configuration, the startup-config
 * store, the clock and calendar, and a way to announce configuration changes. The daemon's
 * composition root provides the real one; `meridian exec` uses `OfflineAppliance`.
 */
import { type LoadResult, loadConfigText } from "../config/loadConfig.js";
import { emptyConfig, type RunningConfig } from "../config/model.js";
import { MemoryStartupStore, type StartupStore } from "../config/startupStore.js";
import { Calendar } from "../services/clock/calendar.js";
import { SoftwareClock } from "../services/clock/softwareClock.js";
import type { NtpSnapshot } from "../services/ntp/ntpSnapshot.js";
import type { PkiService } from "../services/pki/pkiService.js";
import type { RemoteHostSink } from "../services/syslog/remoteHost.js";
import { SyslogService } from "../services/syslog/syslogService.js";

/** What `show ip ssh` reports about a running SSH server (host key and negotiable algorithms). */
export interface SshServerInfo {
  readonly hostKeyAlgorithm: string;
  /** OpenSSH form, `SHA256:` + unpadded base64 of the SHA-256 of the public key blob. */
  readonly hostKeyFingerprint: string;
  /** `ALG BASE64` as in an OpenSSH known_hosts line. */
  readonly hostPublicKey: string;
  readonly kex: readonly string[];
  readonly ciphers: readonly string[];
  readonly macs: readonly string[];
  readonly publicKeyAlgorithms: readonly string[];
}

/** What the CLI reads from the NTP service. */
export interface NtpView {
  snapshot(): NtpSnapshot;
}

export interface Appliance {
  readonly config: RunningConfig;
  readonly startup: StartupStore;
  readonly clock: SoftwareClock;
  readonly calendar: Calendar;
  /** Present when an SSH server runs (the daemon); `show ip ssh` prints it. */
  readonly sshServer?: SshServerInfo | undefined;
  /** The syslog service: device events, `show logging`, `terminal monitor`. */
  readonly syslog: SyslogService;
  /** Certificate validity at the appliance clock; absent offline (verdicts show as pending). */
  readonly pki?: PkiService | undefined;
  /** The NTP service, when it runs. */
  readonly ntp?: NtpView | undefined;
  /** Rendered time of the last change, for `! Last configuration change at ...`. */
  lastChange?: string;
  /** Replace the running configuration wholesale (boot, `copy startup-config running-config`). */
  replaceConfig(config: RunningConfig): void;
  /** A configuration session ended (`%SYS-5-CONFIG_I`). */
  configChanged(by: string): void;
  /** One configuration line took effect: services reconcile at once (IOS applies line by line). */
  configApplied(): void;
  /** A device event for the syslog service (`%SYS-6-CLOCKUPDATE: ...`). */
  event(message: string): void;
}

/** An appliance without network services, for `meridian exec` and tests. */
export class OfflineAppliance implements Appliance {
  config: RunningConfig = emptyConfig();
  readonly clock = new SoftwareClock();
  readonly calendar = new Calendar();
  readonly events: string[] = [];
  /** Offline, remote collectors are recorded but never contacted (no sockets in `meridian exec`). */
  readonly syslog: SyslogService = new SyslogService(this.clock, this.config, { openHost: offlineHost });
  lastChange?: string;

  constructor(readonly startup: StartupStore = new MemoryStartupStore()) {}

  /** Load the startup-config (as at boot); returns the diagnostics. */
  boot(): LoadResult | undefined {
    const text = this.startup.read();
    if (text === undefined) return undefined;
    const result = loadConfigText(text);
    this.replaceConfig(result.config);
    return result;
  }

  replaceConfig(config: RunningConfig): void {
    this.config = config;
    this.syslog.reconfigure(config);
  }

  configChanged(by: string): void {
    this.event(`%SYS-5-CONFIG_I: Configured from console by ${by}`);
  }

  configApplied(): void {
    this.syslog.reconfigure(this.config);
  }

  event(message: string): void {
    this.events.push(message);
    this.syslog.event(message);
  }
}

/** A collector that is never contacted: offline shells open no sockets. */
function offlineHost(config: RemoteHostSink["config"]): RemoteHostSink {
  return {
    config,
    send: () => {},
    stats: () => ({ logged: 0, dropped: 0, linkUp: false }),
    localAddress: () => undefined,
    close: async () => {},
  };
}

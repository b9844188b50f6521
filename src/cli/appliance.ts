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

export interface Appliance {
  readonly config: RunningConfig;
  readonly startup: StartupStore;
  readonly clock: SoftwareClock;
  readonly calendar: Calendar;
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
  lastChange?: string;

  constructor(readonly startup: StartupStore = new MemoryStartupStore()) {}

  /** Load the startup-config (as at boot); returns the diagnostics. */
  boot(): LoadResult | undefined {
    const text = this.startup.read();
    if (text === undefined) return undefined;
    const result = loadConfigText(text);
    this.config = result.config;
    return result;
  }

  replaceConfig(config: RunningConfig): void {
    this.config = config;
  }

  configChanged(by: string): void {
    this.events.push(`%SYS-5-CONFIG_I: Configured from ${by}`);
  }

  configApplied(): void {}

  event(message: string): void {
    this.events.push(message);
  }
}

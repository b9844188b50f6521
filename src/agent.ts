/**
 * The composition root: startup-config -> running services. The agent is the Appliance the CLI
 * talks to; every configuration line that takes effect is handed to the services, which
 * reconcile themselves with the new running-config.
 */
import { OfflineAppliance } from "./cli/appliance.js";
import type { Diagnostic } from "./config/loadConfig.js";
import type { StartupStore } from "./config/startupStore.js";
import { type NtpListenOptions, NtpService } from "./services/ntp/ntpService.js";

export interface AgentOptions {
  readonly startup: StartupStore;
  /** Serve NTP on these addresses; omitted = no NTP sockets. */
  readonly ntp?: NtpListenOptions;
}

export class Agent extends OfflineAppliance {
  ntp: NtpService | undefined;

  static async start(options: AgentOptions): Promise<Agent> {
    const agent = new Agent(options.startup);
    agent.bootDiagnostics = agent.boot()?.diagnostics ?? [];
    if (options.ntp) agent.ntp = await NtpService.start(agent.clock, options.ntp, agent.config);
    return agent;
  }

  bootDiagnostics: Diagnostic[] = [];

  override configApplied(): void {
    this.ntp?.reconfigure(this.config);
  }

  override configChanged(by: string): void {
    super.configChanged(by);
    this.ntp?.reconfigure(this.config);
  }

  async close(): Promise<void> {
    await this.ntp?.close();
  }
}

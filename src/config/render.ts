/**
 * `show running-config` and the startup-config text: the canonical IOS rendering of a
 * RunningConfig in the global order of ios-cli.md §2.9, blocks separated by `!`.
 */
import {
  renderInterfaces,
  renderIpSsh,
  renderLines,
  renderLoginBlock,
  renderNamedAcls,
  renderNumberedAcls,
} from "./areas/accessConfig.js";
import { renderLoggingRemote, renderLoggingTop } from "./areas/loggingConfig.js";
import { renderNtp } from "./areas/ntpConfig.js";
import { renderPki } from "./areas/pkiConfig.js";
import {
  renderClock,
  renderDomain,
  renderEnable,
  renderHostname,
  renderServiceLines,
  renderUsers,
} from "./areas/systemConfig.js";
import type { RunningConfig } from "./model.js";

/** The software version printed in `version X` and `show version`. */
export const MERIDIAN_VERSION = "0.1";

function blocks(...parts: readonly string[][]): string[] {
  const out: string[] = [];
  for (const part of parts) {
    if (part.length === 0) continue;
    out.push(...part);
    if (part[part.length - 1] !== "!") out.push("!");
  }
  return out;
}

/** The configuration lines after `version` and before `end`. */
export function renderConfigLines(c: RunningConfig): string[] {
  return blocks(
    renderServiceLines(c),
    renderHostname(c),
    [...renderLoggingTop(c), ...renderEnable(c)],
    renderClock(c),
    renderDomain(c),
    renderPki(c),
    renderUsers(c),
    [...renderIpSsh(c), ...renderLoginBlock(c)],
    renderInterfaces(c),
    renderNamedAcls(c),
    renderLoggingRemote(c),
    renderNumberedAcls(c),
    renderLines(c),
    renderNtp(c.ntp),
  );
}

/** What `write memory` stores: `version`, the configuration, `end`. */
export function renderStartupConfig(c: RunningConfig): string {
  return ["!", `version ${MERIDIAN_VERSION}`, ...renderConfigLines(c), "end", ""].join("\n");
}

/**
 * `show running-config`: the header with the byte count of the text that follows
 * (ios-cli.md §2.9), then the configuration.
 */
export function renderRunningConfig(c: RunningConfig, lastChange?: string): string {
  const body = [
    "!",
    lastChange
      ? `! Last configuration change at ${lastChange}`
      : "! No configuration change since last restart",
    ...renderStartupConfig(c).split("\n"),
  ].join("\n");
  return `Building configuration...\n\nCurrent configuration : ${Buffer.byteLength(body)} bytes\n${body}`;
}

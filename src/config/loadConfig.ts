/**
 * Loads configuration text (a startup-config, or a configuration copied from a real router)
 * into a RunningConfig. Every bad line is reported with its line and column and the rest still
 * applies; header/trailer lines of `show running-config` are accepted; lines of IOS features
 * Meridian does not implement are reported once per feature, with their sub-mode lines.
 */
import { lexLine } from "../parser/lineLexer.js";
import { type ApplyFailure, ConfigSession } from "./configSession.js";
import { emptyConfig, type RunningConfig } from "./model.js";

export interface Diagnostic {
  /** 1-based line and column. */
  readonly line: number;
  readonly column: number;
  readonly severity: "error" | "warning";
  message: string;
}

export interface LoadResult {
  readonly config: RunningConfig;
  readonly diagnostics: Diagnostic[];
}

/** Lines IOS prints around a configuration that are not commands (ios-cli.md §2.9, §5). */
const HEADER_LINES: readonly RegExp[] = [
  /^Building configuration\.\.\.$/,
  /^Current configuration\s*:\s*\d+ bytes$/,
  /^Using \d+ out of \d+ bytes$/,
  /^version \S+$/,
  /^end$/,
  /^boot-(start|end)-marker$/,
];

/**
 * IOS commands that begin with a keyword Meridian knows but belong to features it does not
 * implement; they are warnings, not errors.
 */
const UNSUPPORTED_PREFIXES: readonly string[] = [
  "ip cef",
  "ip route",
  "ip http",
  "ip forward-protocol",
  "ip domain lookup",
  "ip domain-lookup",
  "ip name-server",
  "ip ssh server",
  "ip ssh rsa",
  "ip scp",
  "ip ftp",
  "ip tftp",
  "ip dhcp",
  "ip nat",
  "ip vrf",
  "ip sla",
  "ip bgp-community",
  "ip access-list extended",
  "ip prefix-list",
  "ip tcp",
  "ip igmp",
  "ip multicast-routing",
  "ip subnet-zero",
  "ip classless",
  "ipv6",
  "crypto key",
  "crypto isakmp",
  "crypto ipsec",
  "crypto map",
  "crypto pki trustpool",
  "crypto pki profile",
  "logging rate-limit",
  "logging discriminator",
  "logging snmp-trap",
  "logging userinfo",
  "logging event",
  "logging queue-limit",
  "service tcp-keepalives",
  "service pad",
  "service config",
  "service call-home",
  "service internal",
  "service compress-config",
  "line aux",
  "ntp refclock",
  "ntp broadcast",
  "login on-success",
  "login on-failure",
  "login delay",
  "login quiet-mode",
];

/**
 * The feature a failed line belongs to, when it is one Meridian does not implement: its command
 * word is unknown in the mode (the failure lies inside that word), or it starts with a known
 * prefix of an unimplemented feature. `no` forms count as their feature.
 */
function unsupportedKey(text: string, failure: ApplyFailure): string | undefined {
  const words = lexLine(text);
  const negated = words[0]?.text.toLowerCase() === "no" && words.length > 1;
  const head = words[negated ? 1 : 0];
  if (!head) return undefined;
  const column = failure.kind === "invalid" ? failure.column : -1;
  if (column >= head.start && column < head.start + head.text.length) return head.text.toLowerCase();
  const rest = text.slice(head.start).toLowerCase().trim();
  return UNSUPPORTED_PREFIXES.find((p) => rest === p || rest.startsWith(`${p} `));
}

function describe(failure: ApplyFailure, text: string): string {
  switch (failure.kind) {
    case "invalid":
      return "Invalid input detected";
    case "incomplete":
      return "Incomplete command";
    case "ambiguous":
      return `Ambiguous command: "${text.trim()}"`;
    case "handler":
      return failure.message.replace(/^%\s*/, "");
  }
}

/** Apply configuration text; never throws on content. */
export function loadConfigText(text: string, config: RunningConfig = emptyConfig()): LoadResult {
  const session = new ConfigSession(config);
  const diagnostics: Diagnostic[] = [];
  const unsupported = new Map<string, { diag: Diagnostic; lines: number }>();
  let skippingChildren = false;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const lineNo = i + 1;
    const trimmed = raw.trim();
    const indented = /^[ \t]/.test(raw);
    if (session.isRaw()) {
      const r = session.applyLine(raw);
      if (!r.ok && r.failure)
        diagnostics.push({ line: lineNo, column: 1, severity: "error", message: describe(r.failure, raw) });
      continue;
    }
    if (trimmed === "" || trimmed.startsWith("!") || HEADER_LINES.some((re) => re.test(trimmed))) {
      if (!indented) skippingChildren = false;
      continue;
    }
    if (indented && skippingChildren) {
      const last = [...unsupported.values()].at(-1);
      if (last) last.lines++;
      continue;
    }
    if (!indented) {
      session.resetToGlobal();
      skippingChildren = false;
    }
    const r = session.applyLine(raw);
    if (r.ok || !r.failure) continue;
    const firstWord = lexLine(raw)[0];
    const column = r.failure.kind === "invalid" ? r.failure.column + 1 : (firstWord?.start ?? 0) + 1;
    const key = r.failure.kind === "handler" ? undefined : unsupportedKey(raw, r.failure);
    if (key !== undefined) {
      // A sub-mode line of an unsupported kind (` duplex auto`) is reported, its siblings still apply.
      skippingChildren = !indented;
      const seen = unsupported.get(key);
      if (seen) seen.lines++;
      else {
        const diag: Diagnostic = {
          line: lineNo,
          column: (firstWord?.start ?? 0) + 1,
          severity: "warning",
          message: "",
        };
        unsupported.set(key, { diag, lines: 1 });
        diagnostics.push(diag);
      }
      continue;
    }
    diagnostics.push({ line: lineNo, column, severity: "error", message: describe(r.failure, raw) });
  }
  for (const [key, { diag, lines: count }] of unsupported) {
    diag.message = `unsupported feature "${key}" not implemented by Meridian (${count} line${count === 1 ? "" : "s"} skipped)`;
  }
  diagnostics.sort((a, b) => a.line - b.line);
  return { config, diagnostics };
}

/** `FILE:LINE:COL: message` (with `warning: ` for warnings). */
export function formatDiagnostic(file: string, d: Diagnostic): string {
  return `${file}:${d.line}:${d.column}: ${d.severity === "warning" ? "warning: " : ""}${d.message}`;
}

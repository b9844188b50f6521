/**
 * `npm run bench`: every benchmark, printed as a side-by-side table against its reference.
 */
import { runScenarios } from "../test/sim/scenarios.js";
import { runClientBench } from "./clientBench.js";
import { runNtpServerBench } from "./ntpServerBench.js";
import { runParseBench } from "./parseBench.js";
import { runPkiBench } from "./pkiBench.js";
import { runSshBench } from "./sshBench.js";
import { runSyslogBench } from "./syslogBench.js";

function table(title: string, rows: readonly Record<string, string | number>[]): void {
  console.log(`\n## ${title}\n`);
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first);
  const width = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(width[i]!)).join(" | ")} |`;
  console.log(line(columns));
  console.log(line(width.map((w) => "-".repeat(w))));
  for (const r of rows) console.log(line(columns.map((c) => String(r[c] ?? ""))));
}

const parse = runParseBench();
table(
  "Command language (100,000 generated config lines; baseline = chevrotain lexer alone)",
  parse.map((r) => ({
    measure: r.what,
    value: r.value,
    unit: r.unit,
    target: r.target,
    "x baseline": r.baseline ? (r.value / r.baseline).toFixed(2) : "",
  })),
);

table(
  "NTP server vs chronyd 4.3 on loopback (C load generator, 16 in flight; server CPU 0, generator CPU 1)",
  await runNtpServerBench({ log: (l) => process.stderr.write(`${l}\n`) }),
);

table("Syslog pipeline to a UDP collector (baseline = raw dgram sends of pre-formatted lines)", [
  ...(await runSyslogBench()),
]);
table("X.509 chain validation at the appliance clock (baseline = node:crypto signature + date checks)", [
  ...(await runPkiBench()),
]);
table("SSH shell (reference = OpenSSH sshd exec, when installed)", [...(await runSshBench())]);

table("NTP client simulation (simulated hours; thresholds at least chrony's default clknetsim scenario)", [
  ...runScenarios().map((r) => ({
    scenario: r.scenario,
    "sync s": r.syncSeconds,
    "RMS µs": r.rmsMicros,
    "max µs": r.maxMicros,
    threshold: r.threshold,
    pass: r.pass ? "yes" : "NO",
  })),
]);
table("NTP client offset error vs chronyd on loopback (true offset 0; both poll 16 s)", [
  ...(await runClientBench()),
]);

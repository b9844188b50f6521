/**
 * Parse throughput of the command language (issue: >= 100k lines/s full form, >= 25k lines/s
 * abbreviated, `?` under 1 ms), against a baseline in the same process: chevrotain's lexer
 * alone over the same lines, the floor any parser built on it pays.
 */
import { loadConfigText } from "../src/config/loadConfig.js";
import { defaultGrammar } from "../src/parser/grammar.js";
import { helpFor } from "../src/parser/help.js";
import { lexLine } from "../src/parser/lineLexer.js";
import { matchLine } from "../src/parser/matcher.js";

const FULL_TEMPLATES: readonly ((i: number) => string)[] = [
  (i) =>
    `ntp server 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255} prefer key ${(i % 100) + 1} iburst minpoll 4 maxpoll 10`,
  (i) => `ntp authentication-key ${i + 1} md5 secret${i % 97}`,
  (i) => `ntp trusted-key ${(i % 65000) + 1}`,
  (i) => `access-list ${(i % 99) + 1} permit 10.${i & 255}.0.0 0.0.255.255`,
  (i) => `logging host 192.0.${i & 255}.${(i >> 8) & 255} transport udp port ${1024 + (i % 1000)}`,
  () => "service timestamps log datetime msec localtime show-timezone year",
  () => "clock summer-time CEST recurring last Sun Mar 2:00 last Sun Oct 3:00",
  (i) => `hostname router-${i}`,
];

const ABBREVIATIONS: readonly [RegExp, string][] = [
  [/^ntp server/, "nt ser"],
  [/ prefer/, " pref"],
  [/ iburst/, " ib"],
  [/ minpoll/, " minp"],
  [/ maxpoll/, " maxp"],
  [/^ntp authentication-key/, "ntp authentication-k"],
  [/^ntp trusted-key/, "ntp tr"],
  [/^access-list/, "access-l"],
  [/ permit/, " per"],
  [/^logging host/, "logg ho"],
  [/ transport udp port/, " tr u p"],
  [
    /^service timestamps log datetime msec localtime show-timezone year/,
    "serv timest log dat ms loc show-t y",
  ],
  [/^clock summer-time/, "clo summ"],
  [/ recurring/, " rec"],
  [/^hostname/, "hostn"],
];

export function generateConfig(lines: number, abbreviated: boolean): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    let line = FULL_TEMPLATES[i % FULL_TEMPLATES.length]!(i);
    if (abbreviated) for (const [re, short] of ABBREVIATIONS) line = line.replace(re, short);
    out.push(line);
  }
  return out;
}

function timeIt(runs: number, fn: () => void): number {
  fn();
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

export interface ParseBenchRow {
  readonly what: string;
  readonly value: number;
  readonly unit: string;
  readonly target: string;
  readonly baseline?: number;
}

export function runParseBench(lineCount = 100_000): ParseBenchRow[] {
  const graph = defaultGrammar().modes.get("config")!;
  const full = generateConfig(lineCount, false);
  const short = generateConfig(lineCount, true);
  for (const line of short.slice(0, FULL_TEMPLATES.length)) {
    if (matchLine(graph, line, 15).kind !== "ok") throw new Error(`bench line does not parse: ${line}`);
  }
  const lexMs = timeIt(3, () => {
    for (const l of full) lexLine(l);
  });
  const fullMs = timeIt(3, () => {
    for (const l of full) matchLine(graph, l, 15);
  });
  const shortMs = timeIt(3, () => {
    for (const l of short) matchLine(graph, l, 15);
  });
  const fullText = full.join("\n");
  const loadMs = timeIt(1, () => {
    loadConfigText(fullText);
  });
  const exec = defaultGrammar().modes.get("exec")!;
  const helpInputs = ["", "show ", "show ntp ", "ntp server 10.0.0.1 ", "clock summer-time X recurring "];
  const helpRuns = 2000;
  const helpMs = timeIt(3, () => {
    for (let i = 0; i < helpRuns; i++) helpFor(i % 2 ? graph : exec, helpInputs[i % helpInputs.length]!, 15);
  });
  const perSecond = (ms: number) => Math.round(lineCount / (ms / 1000));
  return [
    { what: "lex only (chevrotain, baseline)", value: perSecond(lexMs), unit: "lines/s", target: "-" },
    {
      what: "parse, full form",
      value: perSecond(fullMs),
      unit: "lines/s",
      target: ">= 100000",
      baseline: perSecond(lexMs),
    },
    {
      what: "parse, abbreviated",
      value: perSecond(shortMs),
      unit: "lines/s",
      target: ">= 25000",
      baseline: perSecond(lexMs),
    },
    {
      what: "load + apply (full form)",
      value: perSecond(loadMs),
      unit: "lines/s",
      target: "-",
      baseline: perSecond(lexMs),
    },
    {
      what: "? help latency",
      value: Number(((helpMs * 1000) / helpRuns).toFixed(1)),
      unit: "us/call",
      target: "< 1000",
    },
  ];
}

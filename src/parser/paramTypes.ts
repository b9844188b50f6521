/**
 * Parameter types of the command language. A type decides whether a typed word is a complete
 * value, a possible beginning of one (for `?` and TAB), or neither, and how it is shown in `?`
 * help (`A.B.C.D`, `WORD`, `<1-31>` — ios-cli.md §3.2).
 */
import { isIPv4, isIPv6 } from "node:net";

export type ParamTypeName =
  | "ipv4"
  | "ipv6"
  | "word"
  | "line"
  | "int"
  | "time"
  | "hhmm"
  | "month"
  | "weekday"
  | "hex";

export interface ParamDef {
  readonly name: string;
  readonly type: ParamTypeName;
  readonly help: string;
  readonly min?: number;
  readonly max?: number;
  /** Shown in `?` instead of the type's default placeholder. */
  readonly placeholder?: string;
}

export type ParamMatch = "full" | "partial" | "none";

const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];
const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

/** Index of the unique name that `word` abbreviates (case-insensitive), or -1. */
export function uniquePrefixIndex(names: readonly string[], word: string): number {
  const lower = word.toLowerCase();
  let found = -1;
  for (let i = 0; i < names.length; i++) {
    if (names[i]?.startsWith(lower)) {
      if (found >= 0) return -1;
      found = i;
    }
  }
  return found;
}

/** Month 0..11 from any unique prefix of its English name (`feb`, `Sept`), else undefined. */
export function monthFromWord(word: string): number | undefined {
  const i = word.length >= 1 ? uniquePrefixIndex(MONTHS, word) : -1;
  return i >= 0 ? i : undefined;
}

/** Weekday 0..6 (Sunday = 0) from a unique prefix of its English name, else undefined. */
export function weekdayFromWord(word: string): number | undefined {
  const i = word.length >= 1 ? uniquePrefixIndex(WEEKDAYS, word) : -1;
  return i >= 0 ? i : undefined;
}

const INTEGER = /^-?\d+$/;
const TIME_HMS = /^(\d{1,2}):(\d{1,2}):(\d{1,2})$/;
const TIME_HM = /^(\d{1,2}):(\d{1,2})$/;
const PARTIAL_TIME = /^\d{0,2}(:\d{0,2}(:\d{0,2})?)?$/;
const PARTIAL_IPV4 = /^\d{0,3}(\.\d{0,3}){0,3}$/;
const HEX = /^[0-9A-Fa-f]+$/;

function matchInt(def: ParamDef, word: string): ParamMatch {
  if (!INTEGER.test(word)) return word === "-" && (def.min ?? 0) < 0 ? "partial" : "none";
  const n = Number(word);
  if (n >= (def.min ?? 0) && n <= (def.max ?? Number.MAX_SAFE_INTEGER)) return "full";
  return n >= 0 && n < (def.max ?? 0) ? "partial" : "none";
}

function matchTime(word: string, pattern: RegExp): ParamMatch {
  const m = pattern.exec(word);
  if (m) {
    const [h, mi, s] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
    if (h <= 23 && mi <= 59 && s <= 59) return "full";
    return "none";
  }
  return PARTIAL_TIME.test(word) ? "partial" : "none";
}

/** How well `word` fits parameter `def`. */
export function matchParam(def: ParamDef, word: string): ParamMatch {
  switch (def.type) {
    case "word":
    case "line":
      return "full";
    case "int":
      return matchInt(def, word);
    case "ipv4":
      if (isIPv4(word)) return "full";
      return PARTIAL_IPV4.test(word) ? "partial" : "none";
    case "ipv6":
      if (isIPv6(word)) return "full";
      return /^[0-9A-Fa-f:.]*$/.test(word) ? "partial" : "none";
    case "time":
      return matchTime(word, TIME_HMS);
    case "hhmm":
      return matchTime(word, TIME_HM);
    case "month":
      return monthFromWord(word) !== undefined ? "full" : "none";
    case "weekday":
      return weekdayFromWord(word) !== undefined ? "full" : "none";
    case "hex":
      return HEX.test(word) ? "full" : "none";
  }
}

/** The placeholder `?` shows for a parameter. */
export function placeholder(def: ParamDef): string {
  if (def.placeholder) return def.placeholder;
  switch (def.type) {
    case "ipv4":
      return "A.B.C.D";
    case "ipv6":
      return "X:X:X:X::X";
    case "word":
    case "hex":
      return "WORD";
    case "line":
      return "LINE";
    case "int":
      // IOS spaces the dash when the range is signed: `<-23 - 23>` (ios-cli.md §1.6).
      return (def.min ?? 0) < 0 ? `<${def.min} - ${def.max ?? 0}>` : `<${def.min ?? 0}-${def.max ?? 0}>`;
    case "time":
      return "hh:mm:ss";
    case "hhmm":
      return "hh:mm";
    case "month":
      return "MONTH";
    case "weekday":
      return "DAY";
  }
}

/** Whether a parameter accepts any word (so it cannot disambiguate between keywords). */
export function isFreeForm(def: ParamDef): boolean {
  return def.type === "word" || def.type === "line";
}

/**
 * `| include|exclude|begin|section|count REGEX` (ios-cli.md §3.3). IOS regular expressions
 * are close to JavaScript's for what operators type (`^ntp`, `server|peer`, `.*`); `_` is the
 * IOS delimiter class (start, end, space, comma, braces, parentheses).
 */

export type FilterKind = "include" | "exclude" | "begin" | "section" | "count";

export type FilterResult = { ok: true; lines: string[] } | { ok: false; message: string };

/** Translate IOS regex specifics into a JavaScript RegExp. */
export function iosRegex(source: string): RegExp | undefined {
  const translated = source.replace(/(?<!\\)_/g, "(?:^|$|[ ,{}()])");
  try {
    return new RegExp(translated);
  } catch {
    return undefined;
  }
}

export function applyFilter(kind: FilterKind, source: string, lines: readonly string[]): FilterResult {
  const re = iosRegex(source);
  if (!re) return { ok: false, message: "% Invalid regular expression" };
  switch (kind) {
    case "include":
      return { ok: true, lines: lines.filter((l) => re.test(l)) };
    case "exclude":
      return { ok: true, lines: lines.filter((l) => !re.test(l)) };
    case "begin": {
      const at = lines.findIndex((l) => re.test(l));
      return { ok: true, lines: at < 0 ? [] : lines.slice(at) };
    }
    case "count":
      return {
        ok: true,
        lines: [`Number of lines which match regexp = ${lines.filter((l) => re.test(l)).length}`],
      };
    case "section":
      return { ok: true, lines: sections(re, lines) };
  }
}

/** Every top-level line whose text or any indented child matches, with all its children. */
function sections(re: RegExp, lines: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let end = i + 1;
    while (end < lines.length && /^\s/.test(lines[end]!)) end++;
    const section = lines.slice(i, end);
    if (section.some((l) => re.test(l))) out.push(...section);
    i = end - 1;
  }
  return out;
}

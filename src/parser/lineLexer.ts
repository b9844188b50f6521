/**
 * Splits one CLI line into words with their columns. IOS words are runs of non-blank
 * characters; what a word means (keyword, address, number) is decided by the command graph,
 * never by the lexer, because the same text is a keyword in one place and a name in another.
 */
import { createToken, Lexer } from "chevrotain";

export interface Word {
  readonly text: string;
  /** Column (0-based) of the first character within the line. */
  readonly start: number;
}

const Blank = createToken({ name: "Blank", pattern: /[ \t]+/, group: Lexer.SKIPPED });
const WordToken = createToken({ name: "Word", pattern: /[^ \t]+/ });
const lexer = new Lexer([Blank, WordToken], {
  positionTracking: "onlyOffset",
  ensureOptimizations: false,
  skipValidations: true,
});

/** Words of `line`, in order. */
export function lexLine(line: string): Word[] {
  const { tokens } = lexer.tokenize(line);
  const words: Word[] = new Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    words[i] = { text: t.image, start: t.startOffset };
  }
  return words;
}

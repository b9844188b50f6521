/**
 * The syntax language of grammar/*.yaml: how one IOS command line is written down.
 *
 *   ntp server [vrf <vrf>] {ip <host> | <address>} {prefer | key <key>}*
 *
 * - `word`          a keyword (lower case, may contain digits, `-`, `.`, `/`)
 * - `word@label`    a keyword whose presence is captured under `label` (value = the word)
 * - `<name>`        a parameter; its type and help live in the file's `params:` map
 * - `[ a | b ]`     optional choice; `{ a | b }` required choice
 * - `{ ... }*`      zero or more repetitions (IOS option lists that may come in any order);
 *   `{ ... }+` one or more
 *
 * Parsed with chevrotain; the result is a small AST the command-graph compiler consumes.
 */
import { createToken, EmbeddedActionsParser, Lexer, type TokenType } from "chevrotain";

export type SyntaxNode =
  | { readonly kind: "kw"; readonly word: string; readonly label?: string }
  | { readonly kind: "param"; readonly name: string }
  | { readonly kind: "seq"; readonly items: readonly SyntaxNode[] }
  | { readonly kind: "alt"; readonly options: readonly SyntaxNode[] }
  | { readonly kind: "opt"; readonly body: SyntaxNode }
  | { readonly kind: "star"; readonly body: SyntaxNode }
  | { readonly kind: "plus"; readonly body: SyntaxNode };

const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /\s+/, group: Lexer.SKIPPED });
const LBracket = createToken({ name: "LBracket", pattern: /\[/ });
const RBracket = createToken({ name: "RBracket", pattern: /\]/ });
const LBrace = createToken({ name: "LBrace", pattern: /\{/ });
const RBrace = createToken({ name: "RBrace", pattern: /\}/ });
const Bar = createToken({ name: "Bar", pattern: /\|/ });
const Star = createToken({ name: "Star", pattern: /\*/ });
const Plus = createToken({ name: "Plus", pattern: /\+/ });
const Param = createToken({ name: "Param", pattern: /<[A-Za-z][\w-]*>/ });
const Keyword = createToken({ name: "Keyword", pattern: /[\w.:/#$%=,;-]+(?:@[A-Za-z][\w-]*)?/ });

const allTokens: TokenType[] = [
  WhiteSpace,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  Bar,
  Star,
  Plus,
  Param,
  Keyword,
];
const syntaxLexer = new Lexer(allTokens, { ensureOptimizations: true, positionTracking: "onlyOffset" });

class SyntaxParser extends EmbeddedActionsParser {
  constructor() {
    super(allTokens, { recoveryEnabled: false });
    this.performSelfAnalysis();
  }

  readonly sequence = this.RULE("sequence", (): SyntaxNode => {
    const items: SyntaxNode[] = [];
    this.MANY(() => {
      items.push(this.SUBRULE(this.item));
    });
    return items.length === 1 && items[0] ? items[0] : { kind: "seq", items };
  });

  readonly alternatives = this.RULE("alternatives", (): SyntaxNode[] => {
    const options: SyntaxNode[] = [this.SUBRULE(this.sequence)];
    this.MANY(() => {
      this.CONSUME(Bar);
      options.push(this.SUBRULE2(this.sequence));
    });
    return options;
  });

  readonly item = this.RULE("item", (): SyntaxNode => {
    return this.OR([
      {
        ALT: () => {
          const text = this.CONSUME(Keyword).image;
          const at = text.indexOf("@");
          if (at < 0) return { kind: "kw", word: text };
          return { kind: "kw", word: text.slice(0, at), label: text.slice(at + 1) };
        },
      },
      { ALT: () => ({ kind: "param", name: this.CONSUME(Param).image.slice(1, -1) }) },
      {
        ALT: () => {
          this.CONSUME(LBracket);
          const options = this.SUBRULE(this.alternatives);
          this.CONSUME(RBracket);
          return withSuffix({ kind: "opt", body: choice(options) }, this.SUBRULE(this.suffix));
        },
      },
      {
        ALT: () => {
          this.CONSUME(LBrace);
          const options = this.SUBRULE2(this.alternatives);
          this.CONSUME(RBrace);
          return withSuffix(choice(options), this.SUBRULE2(this.suffix));
        },
      },
    ]);
  });

  readonly suffix = this.RULE("suffix", (): "star" | "plus" | undefined => {
    return this.OPTION(() =>
      this.OR2([
        {
          ALT: () => {
            this.CONSUME(Star);
            return "star" as const;
          },
        },
        {
          ALT: () => {
            this.CONSUME(Plus);
            return "plus" as const;
          },
        },
      ]),
    );
  });
}

function withSuffix(node: SyntaxNode, suffix: "star" | "plus" | undefined): SyntaxNode {
  if (!suffix) return node;
  return { kind: suffix, body: node.kind === "opt" ? node.body : node };
}

function choice(options: SyntaxNode[]): SyntaxNode {
  return options.length === 1 && options[0] ? options[0] : { kind: "alt", options };
}

const parser = new SyntaxParser();

export type SyntaxParseResult = { ok: true; node: SyntaxNode } | { ok: false; message: string };

/** Parse one syntax string; errors name the offending offset. */
export function parseSyntax(text: string): SyntaxParseResult {
  const lexed = syntaxLexer.tokenize(text);
  const lexError = lexed.errors[0];
  if (lexError) return { ok: false, message: `unexpected character at offset ${lexError.offset}` };
  parser.input = lexed.tokens;
  const node = parser.sequence();
  const parseError = parser.errors[0];
  if (parseError) {
    return { ok: false, message: `${parseError.message} at offset ${parseError.token.startOffset}` };
  }
  return { ok: true, node };
}

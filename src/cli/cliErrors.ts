/** The IOS parser's error output (ios-cli.md §3.2), as lines. */

/** Caret under `column` of the echoed line (prompt included), then the message and a blank line. */
export function invalidInput(promptLength: number, column: number): string[] {
  return [`${" ".repeat(promptLength + column)}^`, "% Invalid input detected at '^' marker.", ""];
}

export function incompleteCommand(): string[] {
  return ["% Incomplete command.", ""];
}

/** Two spaces after the colon, the whole typed line quoted, no blank line. */
export function ambiguousCommand(line: string): string[] {
  return [`% Ambiguous command:  "${line.trim()}"`];
}

/** EXEC treats an unknown lone word as a host name to telnet to. */
export function unknownCommand(word: string): string[] {
  return [`Translating "${word}"`, "% Unknown command or computer name, or unable to find computer address"];
}

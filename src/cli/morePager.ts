/**
 * IOS `--More--` paging (ios-cli.md §3.3): a screen of output at a time, where a screen is
 * `terminal length` rows less the one `--More--` sits on, and a line longer than the terminal
 * width takes as many rows as it wraps to. Space shows the next screen, Return the next line.
 */

/** What IOS prints while waiting, and how it erases it again (backspaces over the text). */
export const MORE_PROMPT = " --More-- ";
export const MORE_ERASE = `${"\b".repeat(MORE_PROMPT.length)}${" ".repeat(MORE_PROMPT.length)}${"\b".repeat(MORE_PROMPT.length)}`;

export class MorePager {
  private next = 0;

  /**
   * @param lines output lines, without line endings
   * @param screenRows rows shown per screen (terminal length - 1); Infinity = no paging
   * @param width terminal width in columns; 0 = lines never wrap
   */
  constructor(
    private readonly lines: readonly string[],
    private readonly screenRows: number,
    private readonly width: number,
  ) {}

  get done(): boolean {
    return this.next >= this.lines.length;
  }

  /** The first screen, or the next one after Space. */
  page(): string[] {
    return this.take(this.screenRows);
  }

  /** One more line, after Return. */
  line(): string[] {
    return this.take(1);
  }

  private rowsOf(line: string): number {
    return this.width > 0 ? Math.max(1, Math.ceil(line.length / this.width)) : 1;
  }

  private take(rows: number): string[] {
    const out: string[] = [];
    let used = 0;
    while (this.next < this.lines.length) {
      const line = this.lines[this.next]!;
      const cost = this.rowsOf(line);
      if (out.length > 0 && used + cost > rows) break;
      out.push(line);
      used += cost;
      this.next++;
    }
    return out;
  }
}

/**
 * `logging buffered SIZE`: a ring of logged lines bounded by bytes, oldest first (ios-cli.md
 * §2.6). Each line costs its UTF-8 length plus one byte for the newline it is printed with.
 * IOS overwrites bytes and may show a truncated first line after wrapping; we evict whole
 * lines, so `show logging` never starts mid-line (textfsm parsers then see only whole records).
 */

const NEWLINE_BYTES = 1;

export class LogBuffer {
  private lines: string[] = [];
  private sizes: number[] = [];
  /** Index of the oldest kept line in `lines` (evicted lines are compacted lazily). */
  private head = 0;
  private usedBytes = 0;

  constructor(private capacityBytes: number) {}

  get capacity(): number {
    return this.capacityBytes;
  }

  get bytes(): number {
    return this.usedBytes;
  }

  /** Append one line, evicting the oldest until it fits; a line larger than the buffer is not kept. */
  push(line: string): void {
    const size = Buffer.byteLength(line, "utf8") + NEWLINE_BYTES;
    if (size > this.capacityBytes) return;
    this.lines.push(line);
    this.sizes.push(size);
    this.usedBytes += size;
    this.evictTo(this.capacityBytes);
  }

  /** `logging buffered NEWSIZE`: keep the newest lines that fit. */
  resize(capacityBytes: number): void {
    this.capacityBytes = capacityBytes;
    this.evictTo(capacityBytes);
  }

  clear(): void {
    this.lines = [];
    this.sizes = [];
    this.head = 0;
    this.usedBytes = 0;
  }

  /** The kept lines, oldest first. */
  contents(): string[] {
    return this.lines.slice(this.head);
  }

  private evictTo(limit: number): void {
    while (this.usedBytes > limit && this.head < this.lines.length) {
      this.usedBytes -= this.sizes[this.head] ?? 0;
      this.head++;
    }
    // Compact once half the array is dead, so push stays amortised O(1).
    if (this.head > 0 && this.head * 2 >= this.lines.length) {
      this.lines = this.lines.slice(this.head);
      this.sizes = this.sizes.slice(this.head);
      this.head = 0;
    }
  }
}

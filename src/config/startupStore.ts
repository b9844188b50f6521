/**
 * Where the startup-config lives. The file store writes atomically: a temporary file in the
 * same directory, fsync, the previous file kept as `NAME.bak`, rename over, fsync of the
 * directory — so a failed or interrupted write leaves the old startup-config intact.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";

export interface StartupStore {
  /** The saved text, or undefined when there is none. */
  read(): string | undefined;
  /** Replace the saved text; throws with the OS error when it cannot (the old text stays). */
  write(text: string): void;
  erase(): void;
  /** For messages: `nvram:startup-config` or the file path. */
  readonly location: string;
}

export class MemoryStartupStore implements StartupStore {
  readonly location = "nvram:startup-config";
  private text: string | undefined;

  constructor(initial?: string) {
    this.text = initial;
  }

  read(): string | undefined {
    return this.text;
  }

  write(text: string): void {
    this.text = text;
  }

  erase(): void {
    this.text = undefined;
  }
}

export class FileStartupStore implements StartupStore {
  constructor(readonly location: string) {}

  read(): string | undefined {
    return existsSync(this.location) ? readFileSync(this.location, "utf8") : undefined;
  }

  write(text: string): void {
    const dir = dirname(this.location);
    const temp = join(dir, `.${basename(this.location)}.${process.pid}.tmp`);
    const fd = openSync(temp, "w", 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } catch (error) {
      closeSync(fd);
      unlinkSync(temp);
      throw error;
    }
    closeSync(fd);
    const backup = `${this.location}.bak`;
    if (existsSync(this.location)) {
      if (existsSync(backup)) unlinkSync(backup);
      linkSync(this.location, backup);
    }
    renameSync(temp, this.location);
    syncDirectory(dir);
  }

  erase(): void {
    if (existsSync(this.location)) renameSync(this.location, `${this.location}.bak`);
  }
}

function syncDirectory(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

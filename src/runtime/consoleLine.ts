/**
 * `line con 0`: an IOS console on the daemon's stdin/stdout (`console: true`). On a terminal
 * it is raw, with the full line editor; on a pipe the input is taken line by line without echo.
 * After `exit` it waits for Return, as a router's console does.
 */
import type { Agent } from "../agent.js";
import { type EditorHost, LineEditor } from "../cli/lineEditor.js";
import { CliSession } from "../cli/session.js";

const CONSOLE_USER = { name: "console", privilege: 15 } as const;
const AVAILABLE = "\r\n\r\n%s con0 is now available\r\n\r\n\r\n\r\n\r\n\r\nPress RETURN to get started.\r\n";

export interface ConsoleLine {
  close(): void;
}

export function startConsole(agent: Agent): ConsoleLine {
  const stdin = process.stdin;
  const stdout = process.stdout;
  const tty = stdin.isTTY === true;
  if (tty) stdin.setRawMode(true);
  let editor: LineEditor | undefined;
  const host: EditorHost = {
    write: (text) => stdout.write(text),
    close: () => {
      editor = undefined;
      stdout.write(AVAILABLE.replace("%s", agent.config.hostname));
    },
  };
  const open = () => {
    editor = new LineEditor(new CliSession(agent, CONSOLE_USER), host, { echo: tty });
    if (stdout.isTTY) editor.resize(stdout.columns, stdout.rows);
    editor.start();
  };
  const onData = (data: Buffer) => {
    const text = data.toString("utf8");
    if (editor) editor.input(text);
    else if (/[\r\n]/.test(text)) open();
  };
  const onResize = () => editor?.resize(stdout.columns, stdout.rows);
  // `logging console` lines from the syslog service appear above the line being typed.
  agent.consoleSink = (line) => editor?.notify(line);
  stdin.on("data", onData);
  stdout.on("resize", onResize);
  open();
  return {
    close: () => {
      agent.consoleSink = undefined;
      stdin.off("data", onData);
      stdout.off("resize", onResize);
      if (tty) stdin.setRawMode(false);
      stdin.pause();
    },
  };
}

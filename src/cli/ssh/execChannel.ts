/**
 * `ssh admin@host 'show ntp associations'`: the command runs in a fresh session at the user's
 * privilege with paging off, its output goes to the channel, and the exit status says whether
 * the CLI refused it (1) or not (0). A question the command asks (`[confirm]`) is answered from
 * the channel's input; end of input leaves it unanswered. Several commands may be given on
 * separate lines (a Meridian extension; IOS runs one).
 */
import type { ServerChannel } from "ssh2";
import type { CliSession } from "../session.js";

export const EXIT_OK = 0;
export const EXIT_CLI_ERROR = 1;

export function runExecRequest(
  session: CliSession,
  channel: ServerChannel,
  command: string,
  pty: boolean,
): void {
  const eol = pty ? "\r\n" : "\n";
  session.terminal.length = 0;
  let failed = false;
  const print = (lines: readonly string[]) => {
    if (session.lastFailed) failed = true;
    if (lines.length > 0) channel.write(lines.map((l) => l + eol).join(""));
  };
  const pending = command.split(/\r?\n/).filter((l) => l.trim() !== "");
  const finish = () => {
    channel.exit(failed ? EXIT_CLI_ERROR : EXIT_OK);
    channel.end();
  };
  let input = "";
  const runUntilQuestion = (): boolean => {
    while (pending.length > 0 && !session.questionPending && !session.closed)
      print(session.execute(pending.shift()!));
    if (session.questionPending && !session.closed) {
      channel.write(session.questionPending.prompt);
      return false;
    }
    finish();
    return true;
  };
  if (runUntilQuestion()) return;
  channel.on("data", (data: Buffer) => {
    input += data.toString("utf8");
    let newline = input.search(/\r?\n|\r/);
    while (newline >= 0 && session.questionPending) {
      const answer = input.slice(0, newline);
      input = input.slice(newline + 1).replace(/^\n/, "");
      channel.write(eol);
      print(session.execute(answer));
      if (runUntilQuestion()) return;
      newline = input.search(/\r?\n|\r/);
    }
  });
  channel.on("end", () => {
    if (!session.questionPending) return;
    session.cancelQuestion();
    channel.write(eol);
    finish();
  });
}

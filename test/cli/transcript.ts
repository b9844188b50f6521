/** Drive a CliSession like `meridian exec` does and return the terminal text. */
import { OfflineAppliance } from "../../src/cli/appliance.js";
import { CliSession } from "../../src/cli/session.js";

export function newSession(privilege = 15, appliance = new OfflineAppliance()): CliSession {
  return new CliSession(appliance, { name: "console", privilege });
}

/** Prompt + echoed line + output for each line, as a terminal shows them. */
export function transcript(session: CliSession, lines: readonly string[]): string {
  const out: string[] = [];
  for (const line of lines) {
    const secret = session.questionPending?.secret === true;
    out.push(`${session.prompt()}${secret ? "" : line}`);
    out.push(...session.execute(line));
  }
  return out.join("\n");
}

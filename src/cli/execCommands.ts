/**
 * EXEC commands that change state or the session: configure, enable, write, copy, erase,
 * clock/calendar set, terminal settings. Show commands live in showCommands.ts.
 */
import { renderStartupConfig } from "../config/render.js";
import { verifyConfiguredSecret } from "../config/secretHash.js";
import type { Args } from "../parser/matcher.js";
import { monthFromWord } from "../parser/paramTypes.js";
import { formatClockUpdate } from "../services/clock/timeFormat.js";
import { localOffsetAt, type ZoneSpec } from "../services/clock/timeZone.js";
import { checkTrustpointNow } from "../services/pki/trustpointCheck.js";
import type { Appliance } from "./appliance.js";
import type { CliSession } from "./session.js";
import { pkiSnapshot, showHandlers } from "./showCommands.js";

export interface Question {
  readonly prompt: string;
  /** The answer is not echoed (passwords). */
  readonly secret?: boolean;
  answer(text: string): ExecResult;
}

export interface ExecResult {
  readonly lines: string[];
  /** The command did not do what was asked (exit status 1 over `meridian exec` and SSH exec). */
  readonly failed?: boolean;
  readonly close?: boolean;
  readonly question?: Question;
}

export interface ExecContext {
  readonly session: CliSession;
  readonly args: Args;
  readonly appliance: Appliance;
}

export type ExecHandler = (ctx: ExecContext) => ExecResult;

export function zoneSpec(appliance: Appliance): ZoneSpec {
  const { timezone, summerTime } = appliance.config;
  return { ...(timezone ? { zone: timezone } : {}), ...(summerTime ? { summer: summerTime } : {}) };
}

function save(appliance: Appliance): ExecResult {
  try {
    appliance.startup.write(renderStartupConfig(appliance.config));
    return { lines: ["Building configuration...", "[OK]"] };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      lines: ["Building configuration...", `%Error writing ${appliance.startup.location} (${reason})`],
    };
  }
}

const MAX_ENABLE_TRIES = 3;

function enable(ctx: ExecContext): ExecResult {
  const target = ctx.args.int("level") ?? 15;
  const { session } = ctx;
  if (target <= session.privilege) {
    session.privilege = target;
    return { lines: [] };
  }
  const secret = ctx.appliance.config.enableSecret ?? ctx.appliance.config.enablePassword;
  if (!secret) {
    if (session.origin.line === "console") {
      session.privilege = target;
      return { lines: [] };
    }
    return { lines: ["% No password set"] };
  }
  const ask = (tries: number): ExecResult => ({
    lines: [],
    question: {
      prompt: "Password: ",
      secret: true,
      answer: (text) => {
        if (verifyConfiguredSecret(secret, text)) {
          session.privilege = target;
          return { lines: [] };
        }
        return tries + 1 >= MAX_ENABLE_TRIES ? { lines: ["% Bad secrets", ""] } : ask(tries + 1);
      },
    },
  });
  return ask(0);
}

/** `clock set` / `calendar set` arguments as a UTC instant; the time typed is local time. */
function typedInstant(ctx: ExecContext): number | string {
  const [h, m, s] = (ctx.args.str("hms") ?? "0:0:0").split(":").map(Number) as [number, number, number];
  const month = monthFromWord(ctx.args.str("month") ?? "") ?? 0;
  const day = ctx.args.int("day") ?? 1;
  const year = ctx.args.int("year") ?? 1993;
  const localMs = Date.UTC(year, month, day, h, m, s);
  if (new Date(localMs).getUTCDate() !== day)
    return "% Invalid input detected: day out of range for the month";
  const spec = zoneSpec(ctx.appliance);
  const guess = localMs - localOffsetAt(spec, localMs).offsetMinutes * 60_000;
  return localMs - localOffsetAt(spec, guess).offsetMinutes * 60_000;
}

function clockSet(ctx: ExecContext): ExecResult {
  const instant = typedInstant(ctx);
  if (typeof instant === "string") return { lines: [instant] };
  const { clock } = ctx.appliance;
  const spec = zoneSpec(ctx.appliance);
  const before = formatClockUpdate(clock.now().ms, spec);
  clock.set(instant, "user", true);
  const after = formatClockUpdate(instant, spec);
  ctx.appliance.event(
    `%SYS-6-CLOCKUPDATE: System clock has been updated from ${before} to ${after}, configured from console by ${ctx.session.describeUser()}.`,
  );
  return { lines: [] };
}

function confirm(prompt: string, onYes: () => ExecResult): ExecResult {
  return {
    lines: [],
    question: {
      prompt,
      answer: (text) => (text.trim() === "" || /^y(es)?$/i.test(text.trim()) ? onYes() : { lines: [] }),
    },
  };
}

export const execHandlers: Readonly<Record<string, ExecHandler>> = {
  ...showHandlers,
  "exec.configure": ({ session }) => {
    session.enterConfig();
    return { lines: ["Enter configuration commands, one per line.  End with CNTL/Z."] };
  },
  "exec.enable": enable,
  "exec.disable": ({ session }) => {
    session.privilege = 1;
    return { lines: [] };
  },
  "exec.exit": () => ({ lines: [], close: true }),
  "exec.write": ({ appliance }) => save(appliance),
  "exec.copy-run-start": ({ appliance }) => ({
    lines: [],
    question: {
      prompt: "Destination filename [startup-config]? ",
      answer: (text) =>
        text.trim() === "" || text.trim() === "startup-config"
          ? save(appliance)
          : { lines: ["%Error opening destination (Invalid argument)"] },
    },
  }),
  "exec.erase-startup": ({ appliance }) =>
    confirm("Erasing the nvram filesystem will remove all configuration files! Continue? [confirm]", () => {
      appliance.startup.erase();
      return { lines: ["[OK]", "Erase of nvram: complete"] };
    }),
  "exec.clock-set": clockSet,
  "exec.verify-trustpoint": ({ appliance, args }) => {
    const check = checkTrustpointNow({
      name: args.str("trustpoint") ?? "",
      snapshot: pkiSnapshot(appliance),
      nowMs: appliance.clock.nowMs(),
      authoritative: appliance.clock.authoritative,
      source: appliance.clock.source,
      zone: zoneSpec(appliance),
    });
    return { lines: [...check.lines], failed: !check.ok };
  },
  "exec.calendar-set": (ctx) => {
    const instant = typedInstant(ctx);
    if (typeof instant === "string") return { lines: [instant] };
    ctx.appliance.calendar.set(instant);
    return { lines: [] };
  },
  "exec.clock-read-calendar": ({ appliance }) => {
    appliance.clock.setOffsetFromHost(
      appliance.calendar.offsetFromHostMs,
      "calendar",
      appliance.config.calendarValid,
    );
    return { lines: [] };
  },
  "exec.clock-update-calendar": ({ appliance }) => {
    appliance.calendar.set(appliance.clock.nowMs());
    return { lines: [] };
  },
  "exec.terminal-length": ({ session, args }) => {
    session.terminal.length = args.int("length") ?? 24;
    return { lines: [] };
  },
  "exec.terminal-width": ({ session, args }) => {
    session.terminal.width = args.int("width") ?? 80;
    return { lines: [] };
  },
  "exec.terminal-monitor": ({ session }) => {
    session.terminal.monitor = true;
    return { lines: [] };
  },
  "exec.terminal-no-monitor": ({ session }) => {
    session.terminal.monitor = false;
    return { lines: [] };
  },
};

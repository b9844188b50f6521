/**
 * Identity, services, clock and users: applying `hostname`, `ip domain name`, `service ...`,
 * `clock timezone|summer-time|calendar-valid`, `enable secret|password` and `username`, and
 * printing them back in IOS nvgen form (ios-cli.md §1.6, §1.7, §1.10, §2.9).
 */
import type { Args } from "../../parser/matcher.js";
import { monthFromWord, weekdayFromWord } from "../../parser/paramTypes.js";
import { monthAbbrev, weekdayAbbrev } from "../../services/clock/timeFormat.js";
import { DEFAULT_SUMMER_OFFSET_MINUTES, US_SUMMER_RULE } from "../../services/clock/timeZone.js";
import type { ApplyContext, HandlerTable } from "../applyContext.js";
import type { DatePoint, RecurringPoint, SummerTimeConfig } from "../clockZone.js";
import type { RunningConfig, SecretConfig, TimestampsConfig, UserConfig } from "../model.js";
import { DEFAULT_HOSTNAME } from "../model.js";
import { checkStoredSecret, type HashedSecretType, hashSecret } from "../secretHash.js";
import { decodeType7, encodeType7 } from "../type7.js";

/** Privilege a user gets when none is typed; IOS omits it from nvgen (ios-cli.md §1.10). */
export const DEFAULT_USER_PRIVILEGE = 1;

/** Type a plaintext `secret` is hashed to: IOS XE 17 writes scrypt (ios-cli.md §1.10). */
export const DEFAULT_SECRET_TYPE: HashedSecretType = 9;

/** IOS hostnames are at most 63 characters (one DNS label). */
const MAX_HOSTNAME_LENGTH = 63;
const HOSTNAME_PATTERN = /^[A-Za-z0-9_-]+$/;

const ALGORITHM_TYPES: ReadonlyMap<string, HashedSecretType> = new Map([
  ["md5", 5],
  ["sha256", 8],
  ["scrypt", 9],
]);

// ---------------------------------------------------------------------------------------------
// hostname, ip domain name, service ...

function applyHostname(ctx: ApplyContext): string | undefined {
  if (ctx.negated) {
    ctx.config.hostname = DEFAULT_HOSTNAME;
    return undefined;
  }
  const name = ctx.args.str("name") ?? "";
  if (name.length > MAX_HOSTNAME_LENGTH || !HOSTNAME_PATTERN.test(name)) {
    return "% Hostname contains one or more illegal characters.";
  }
  ctx.config.hostname = name;
  return undefined;
}

function applyDomainName(ctx: ApplyContext): undefined {
  if (ctx.negated) delete ctx.config.domainName;
  else ctx.config.domainName = ctx.args.str("dns-domain") ?? "";
  return undefined;
}

/**
 * Bare `service timestamps` means `debug uptime`; a target without a format means `uptime`;
 * re-entry replaces the whole setting (ios-cli.md §1.7).
 */
function applyTimestamps(ctx: ApplyContext): undefined {
  const { args } = ctx;
  const value: TimestampsConfig | null = ctx.negated
    ? null
    : {
        kind: args.has("datetime") ? "datetime" : "uptime",
        msec: args.has("msec"),
        localtime: args.has("localtime"),
        showTimezone: args.has("show-timezone"),
        year: args.has("year"),
      };
  if (args.has("log")) ctx.config.timestampsLog = value;
  else ctx.config.timestampsDebug = value;
  return undefined;
}

/**
 * Turning encryption on converts every stored password to type 7 for good: IOS does not
 * decrypt them again on `no service password-encryption`.
 */
function applyPasswordEncryption(ctx: ApplyContext): undefined {
  const { config } = ctx;
  config.passwordEncryption = !ctx.negated;
  if (ctx.negated) return undefined;
  const encrypt = (p: SecretConfig | undefined): SecretConfig | undefined =>
    p && p.type === 0 ? { type: 7, value: p.value } : p;
  if (config.enablePassword) config.enablePassword = encrypt(config.enablePassword)!;
  for (const [name, user] of config.users) {
    if (user.password?.type === 0) config.users.set(name, { ...user, password: encrypt(user.password)! });
  }
  for (const line of config.lines) if (line.password) line.password = encrypt(line.password)!;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// clock timezone / summer-time / calendar-valid

function applyTimezone(ctx: ApplyContext): undefined {
  if (ctx.negated) {
    delete ctx.config.timezone;
    return undefined;
  }
  // Number("-0") keeps the sign, so `-0 30` stays UTC-0:30 (see standardOffsetMinutes).
  ctx.config.timezone = {
    name: ctx.args.str("tz-name") ?? "",
    hoursOffset: ctx.args.int("tz-hours") ?? 0,
    minutesOffset: ctx.args.int("tz-minutes") ?? 0,
  };
  return undefined;
}

type PointResult<T> = { ok: true; point: T } | { ok: false; message: string };

function parseHhmm(text: string): { hour: number; minute: number } {
  const [hour = "0", minute = "0"] = text.split(":");
  return { hour: Number(hour), minute: Number(minute) };
}

/** A labelled `first`/`last` keyword arrives as typed, possibly abbreviated (`fir`, `la`). */
function parseWeek(text: string): number | "last" {
  const lower = text.toLowerCase();
  if ("first".startsWith(lower)) return 1;
  if ("last".startsWith(lower)) return "last";
  return Number(text);
}

function recurringPoint(args: Args, prefix: "start" | "end"): RecurringPoint {
  return {
    week: parseWeek(args.str(`${prefix}-week`) ?? "1"),
    weekday: weekdayFromWord(args.str(`${prefix}-day`) ?? "") ?? 0,
    month: monthFromWord(args.str(`${prefix}-month`) ?? "") ?? 0,
    ...parseHhmm(args.str(`${prefix}-time`) ?? "0:00"),
  };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

function datePoint(args: Args, prefix: "start" | "end"): PointResult<DatePoint> {
  const point: DatePoint = {
    year: args.int(`${prefix}-year`) ?? 0,
    month: monthFromWord(args.str(`${prefix}-month`) ?? "") ?? 0,
    day: args.int(`${prefix}-date`) ?? 1,
    ...parseHhmm(args.str(`${prefix}-time`) ?? "0:00"),
  };
  if (point.day > daysInMonth(point.year, point.month)) {
    return {
      ok: false,
      message: `% Invalid ${prefix} date: ${monthAbbrev(point.month)} ${point.day} ${point.year}`,
    };
  }
  return { ok: true, point };
}

function applySummerTime(ctx: ApplyContext): string | undefined {
  const { config, args } = ctx;
  if (ctx.negated) {
    delete config.summerTime;
    delete config.summerTimeBareRecurring;
    return undefined;
  }
  const name = args.str("st-name") ?? "";
  const offsetMinutes = args.int("st-offset") ?? DEFAULT_SUMMER_OFFSET_MINUTES;
  let summer: SummerTimeConfig;
  if (args.has("recurring")) {
    const bare = !args.has("start-week");
    summer = bare
      ? { kind: "recurring", name, start: US_SUMMER_RULE.start, end: US_SUMMER_RULE.end, offsetMinutes }
      : {
          kind: "recurring",
          name,
          start: recurringPoint(args, "start"),
          end: recurringPoint(args, "end"),
          offsetMinutes,
        };
    if (bare) config.summerTimeBareRecurring = true;
    else delete config.summerTimeBareRecurring;
  } else {
    const start = datePoint(args, "start");
    if (!start.ok) return start.message;
    const end = datePoint(args, "end");
    if (!end.ok) return end.message;
    summer = { kind: "date", name, start: start.point, end: end.point, offsetMinutes };
    delete config.summerTimeBareRecurring;
  }
  config.summerTime = summer;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// enable secret / password, username

type SecretResult = { ok: true; secret: SecretConfig } | { ok: false; message: string };

/** `secret [TYPE] TEXT`: plaintext is hashed (type `plainAs`), a typed hash must be well formed. */
function secretFrom(encType: number | undefined, text: string, plainAs: HashedSecretType): SecretResult {
  if (encType === undefined || encType === 0)
    return { ok: true, secret: { type: plainAs, value: hashSecret(plainAs, text) } };
  if (encType !== 5 && encType !== 8 && encType !== 9)
    return { ok: false, message: `% Invalid encryption type: ${encType}` };
  const check = checkStoredSecret(encType, text);
  if (!check.ok) return { ok: false, message: `% Invalid encrypted secret: ${check.reason}` };
  return { ok: true, secret: { type: encType, value: text } };
}

/** `password [0|7] TEXT`: kept in clear; type 7 input is decoded and stays type 7. */
function passwordFrom(encType: number | undefined, text: string, encrypt: boolean): SecretResult {
  if (encType === undefined || encType === 0)
    return { ok: true, secret: { type: encrypt ? 7 : 0, value: text } };
  if (encType !== 7) return { ok: false, message: `% Invalid encryption type: ${encType}` };
  const decoded = decodeType7(text);
  if (!decoded.ok) return { ok: false, message: `% Invalid encrypted password: ${decoded.reason}` };
  return { ok: true, secret: { type: 7, value: decoded.value, encoded: text } };
}

/** Only level 15 is modelled: the appliance has no per-level exec command sets. */
const ENABLE_LEVEL = 15;

function applyEnable(ctx: ApplyContext): string | undefined {
  const { config, args } = ctx;
  const isPassword = args.has("password");
  const level = args.int("enable-level") ?? ENABLE_LEVEL;
  if (level !== ENABLE_LEVEL)
    return `% Enable ${isPassword ? "password" : "secret"} for level ${level} is not supported`;
  if (ctx.negated) {
    if (isPassword) delete config.enablePassword;
    else delete config.enableSecret;
    return undefined;
  }
  const text = args.str("secret-text") ?? "";
  const encType = args.int("enc-type");
  const result = isPassword
    ? passwordFrom(encType, text, config.passwordEncryption)
    : secretFrom(encType, text, DEFAULT_SECRET_TYPE);
  if (!result.ok) return result.message;
  if (isPassword) config.enablePassword = result.secret;
  else config.enableSecret = result.secret;
  return undefined;
}

function userCredential(
  ctx: ApplyContext,
): { ok: true; fields: Partial<UserConfig> } | { ok: false; message: string } {
  const { args } = ctx;
  if (args.has("nopassword")) return { ok: true, fields: { nopassword: true } };
  const text = args.str("secret-text") ?? "";
  const encType = args.int("enc-type");
  if (args.has("password")) {
    const r = passwordFrom(encType, text, ctx.config.passwordEncryption);
    return r.ok ? { ok: true, fields: { password: r.secret } } : r;
  }
  const algorithm = args.has("algorithm-type")
    ? ALGORITHM_TYPES.get(args.which([...ALGORITHM_TYPES.keys()]) ?? "")
    : undefined;
  const r = secretFrom(encType, text, algorithm ?? DEFAULT_SECRET_TYPE);
  return r.ok ? { ok: true, fields: { secret: r.secret } } : r;
}

/** Re-entry replaces the whole entry but keeps its place in the list (ios-cli.md §1.12). */
function applyUsername(ctx: ApplyContext): string | undefined {
  const name = ctx.args.str("user") ?? "";
  if (ctx.negated) {
    ctx.config.users.delete(name);
    return undefined;
  }
  const credential = userCredential(ctx);
  if (!credential.ok) return credential.message;
  ctx.config.users.set(name, {
    name,
    privilege: ctx.args.int("priv") ?? DEFAULT_USER_PRIVILEGE,
    nopassword: false,
    ...credential.fields,
  });
  return undefined;
}

export const systemHandlers: HandlerTable = {
  "system.hostname": applyHostname,
  "system.domain-name": applyDomainName,
  "service.timestamps": applyTimestamps,
  "service.sequence-numbers": (ctx) => {
    ctx.config.sequenceNumbers = !ctx.negated;
    return undefined;
  },
  "service.password-encryption": applyPasswordEncryption,
  "clock.timezone": applyTimezone,
  "clock.summer-time": applySummerTime,
  "clock.calendar-valid": (ctx) => {
    ctx.config.calendarValid = !ctx.negated;
    return undefined;
  },
  "system.enable-secret": applyEnable,
  "system.username": applyUsername,
};

// ---------------------------------------------------------------------------------------------
// nvgen

function renderTimestamps(target: "debug" | "log", t: TimestampsConfig | null): string {
  if (t === null) return `no service timestamps ${target}`;
  if (t.kind === "uptime") return `service timestamps ${target} uptime`;
  const parts = [`service timestamps ${target} datetime`];
  if (t.msec) parts.push("msec");
  if (t.localtime) parts.push("localtime");
  if (t.showTimezone) parts.push("show-timezone");
  if (t.year) parts.push("year");
  return parts.join(" ");
}

/** The `service` lines at the top of the running config (ios-cli.md §2.9 order). */
export function renderServiceLines(c: RunningConfig): string[] {
  const out = [
    renderTimestamps("debug", c.timestampsDebug),
    renderTimestamps("log", c.timestampsLog),
    c.passwordEncryption ? "service password-encryption" : "no service password-encryption",
  ];
  if (c.sequenceNumbers) out.push("service sequence-numbers");
  return out;
}

export function renderHostname(c: RunningConfig): string[] {
  return [`hostname ${c.hostname}`];
}

/** IOS XE form `ip domain name X` (15.x printed `ip domain-name X`). */
export function renderDomain(c: RunningConfig): string[] {
  return c.domainName === undefined ? [] : [`ip domain name ${c.domainName}`];
}

/** `TYPE VALUE` of a password: type 7 when so stored or when `service password-encryption` is on. */
function passwordText(p: SecretConfig, encrypt: boolean): string {
  return p.type === 7 || encrypt ? `7 ${p.encoded ?? encodeType7(p.value)}` : `0 ${p.value}`;
}

/** `enable secret ...` then `enable password ...`, as IOS prints them. */
export function renderEnable(c: RunningConfig): string[] {
  const out: string[] = [];
  if (c.enableSecret) out.push(`enable secret ${c.enableSecret.type} ${c.enableSecret.value}`);
  if (c.enablePassword) out.push(`enable password ${passwordText(c.enablePassword, c.passwordEncryption)}`);
  return out;
}

export function renderUsers(c: RunningConfig): string[] {
  return [...c.users.values()].map((u) => {
    const parts = [`username ${u.name}`];
    if (u.privilege !== DEFAULT_USER_PRIVILEGE) parts.push(`privilege ${u.privilege}`);
    if (u.secret) parts.push(`secret ${u.secret.type} ${u.secret.value}`);
    else if (u.password) parts.push(`password ${passwordText(u.password, c.passwordEncryption)}`);
    else parts.push("nopassword");
    return parts.join(" ");
  });
}

/** `-0 30` must keep its sign (UTC-0:30), which String(-0) drops. */
function renderHours(hours: number): string {
  return Object.is(hours, -0) ? "-0" : String(hours);
}

function renderHhmm(hour: number, minute: number): string {
  return `${hour}:${String(minute).padStart(2, "0")}`;
}

function renderRecurringPoint(p: RecurringPoint): string {
  return `${p.week} ${weekdayAbbrev(p.weekday)} ${monthAbbrev(p.month)} ${renderHhmm(p.hour, p.minute)}`;
}

function renderDatePoint(p: DatePoint): string {
  return `${monthAbbrev(p.month)} ${p.day} ${p.year} ${renderHhmm(p.hour, p.minute)}`;
}

function renderSummerTime(s: SummerTimeConfig, bareRecurring: boolean): string {
  const offset = s.offsetMinutes === DEFAULT_SUMMER_OFFSET_MINUTES ? "" : ` ${s.offsetMinutes}`;
  if (s.kind === "date")
    return `clock summer-time ${s.name} date ${renderDatePoint(s.start)} ${renderDatePoint(s.end)}${offset}`;
  const rule =
    bareRecurring && isUsRule(s) ? "" : ` ${renderRecurringPoint(s.start)} ${renderRecurringPoint(s.end)}`;
  return `clock summer-time ${s.name} recurring${rule}${offset}`;
}

function isUsRule(s: { start: RecurringPoint; end: RecurringPoint }): boolean {
  const same = (a: RecurringPoint, b: RecurringPoint): boolean =>
    a.week === b.week &&
    a.weekday === b.weekday &&
    a.month === b.month &&
    a.hour === b.hour &&
    a.minute === b.minute;
  return same(s.start, US_SUMMER_RULE.start) && same(s.end, US_SUMMER_RULE.end);
}

/**
 * `clock timezone` (15.x/XE always print minutes), `clock summer-time` (3-letter names, `H:MM`,
 * offset only when not 60) and `clock calendar-valid` (ios-cli.md §1.6).
 */
export function renderClock(c: RunningConfig): string[] {
  const out: string[] = [];
  if (c.timezone) {
    const z = c.timezone;
    out.push(`clock timezone ${z.name} ${renderHours(z.hoursOffset)} ${z.minutesOffset}`);
  }
  if (c.summerTime) out.push(renderSummerTime(c.summerTime, c.summerTimeBareRecurring === true));
  if (c.calendarValid) out.push("clock calendar-valid");
  return out;
}

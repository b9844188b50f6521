/**
 * The PKI service: validates every trustpoint's chain at the SoftwareClock's time, again
 * whenever the configuration changes, the clock steps, becomes (non-)authoritative or
 * (un)synchronised, and once a minute as time passes. It logs the %PKI events of ios-cli.md
 * §2.8: NON_AUTHORITATIVE_CLOCK at boot without trustworthy time, AUTHORITATIVE_CLOCK when the
 * clock is set or gains authority, CERTIFICATE_INVALID_EXPIRED / _NOT_YET_VALID when a
 * certificate's own validity stops covering the current time, and expiry notices ahead of time
 * (expiryNotice.ts). Certificate verdicts are only announced while the clock is authoritative:
 * before that they are provisional and shown as such.
 */
import type { RunningConfig } from "../../config/model.js";
import type { ClockChange, SoftwareClock } from "../clock/softwareClock.js";
import type { ZoneSpec } from "../clock/timeZone.js";
import {
  pkiAuthoritativeClock,
  pkiCertificateExpired,
  pkiCertificateExpiring,
  pkiCertificateNotYetValid,
  pkiNonAuthoritativeClock,
} from "../syslog/syslogEvents.js";
import type { SyslogMessage } from "../syslog/syslogMessage.js";
import { CertificateCache } from "./certificateCache.js";
import type { CertificateInfo } from "./certificateInfo.js";
import { daysLeft, EXPIRY_WARNING_DAYS, expiryNoticeBucket } from "./expiryNotice.js";
import { formatPkiDate } from "./pkiDate.js";
import { type PkiSnapshot, pkiSnapshotOf } from "./pkiSnapshot.js";
import { evaluateTrustpoint, type TrustpointEvaluation } from "./trustpointEvaluation.js";

export interface PkiServiceOptions {
  /** Where %PKI events go (the syslog service's `log`). */
  readonly log: (message: SyslogMessage) => void;
  /** Re-validation period as time passes; 0 disables the timer (tests). Default 60 s. */
  readonly recheckIntervalMs?: number;
  /** Days before notAfter of the first expiry notice. Default 60, as IOS. */
  readonly expiryWarningDays?: number;
}

/** Often enough that an expiry is noticed within a minute; chains validate in about 1.5 ms. */
const DEFAULT_RECHECK_INTERVAL_MS = 60_000;

type DateState = "valid" | "expired" | "not-yet-valid";

function dateStateAt(info: CertificateInfo, atMs: number): DateState {
  if (atMs < info.notBeforeMs) return "not-yet-valid";
  if (atMs > info.notAfterMs) return "expired";
  return "valid";
}

export class PkiService {
  private readonly cache = new CertificateCache();
  private evaluations = new Map<string, TrustpointEvaluation>();
  /** Per certificate (SHA-1), the invalid date state last announced. */
  private readonly announced = new Map<string, DateState>();
  /** Per certificate (SHA-1), the expiry notice bucket last announced. */
  private readonly noticed = new Map<string, string>();
  private unsubscribe: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  /** The last failure of an evaluation run (a bug, not a certificate verdict). */
  lastError: unknown;

  constructor(
    private readonly clock: SoftwareClock,
    private config: RunningConfig,
    private readonly options: PkiServiceOptions,
  ) {}

  /** Boot: announce a clock without authority, validate everything, then follow the clock. */
  start(): Promise<void> {
    if (!this.clock.authoritative) this.options.log(pkiNonAuthoritativeClock());
    this.unsubscribe = this.clock.onChange((change) => this.clockChanged(change));
    const interval = this.options.recheckIntervalMs ?? DEFAULT_RECHECK_INTERVAL_MS;
    if (interval > 0) {
      this.timer = setInterval(() => void this.evaluate(), interval);
      this.timer.unref();
    }
    return this.evaluate();
  }

  /** A new running-config (trustpoints, chains, time zone): validate again. */
  reconfigure(config: RunningConfig): Promise<void> {
    this.config = config;
    return this.evaluate();
  }

  /**
   * Validate every chain now. Requests made while a run is in progress are folded into one
   * more run; the promise settles when a run that started after the request has finished.
   */
  evaluate(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.runUntilSettled();
    return this.running;
  }

  /** The trustpoints, their certificates and the latest verdicts (for show and checks). */
  snapshot(): PkiSnapshot {
    return pkiSnapshotOf(this.config, this.cache.parse, this.evaluations);
  }

  close(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async runUntilSettled(): Promise<void> {
    try {
      do {
        this.again = false;
        try {
          await this.runOnce();
        } catch (error) {
          this.lastError = error;
        }
      } while (this.again);
    } finally {
      this.running = undefined;
    }
  }

  private async runOnce(): Promise<void> {
    const atMs = this.clock.nowMs();
    const authoritative = this.clock.authoritative;
    const config = this.config;
    const results = await Promise.all(
      [...config.trustpoints.keys()].map((name) =>
        evaluateTrustpoint(config, name, atMs, authoritative, this.cache.parse),
      ),
    );
    this.evaluations = new Map(results.map((r) => [r.name, r]));
    this.cache.prune();
    if (authoritative) this.announce(results, atMs, this.zone());
  }

  private zone(): ZoneSpec {
    const { timezone, summerTime } = this.config;
    return { ...(timezone ? { zone: timezone } : {}), ...(summerTime ? { summer: summerTime } : {}) };
  }

  /** Log what changed since the last announcement, once per certificate however many chains hold it. */
  private announce(results: readonly TrustpointEvaluation[], atMs: number, zone: ZoneSpec): void {
    const present = new Set<string>();
    for (const result of results) {
      for (const { info } of result.certificates) {
        if (!info || present.has(info.sha1)) continue;
        present.add(info.sha1);
        this.announceDates(info, atMs, zone);
        this.announceExpiry(result.name, info, atMs, zone);
      }
    }
    for (const key of this.announced.keys()) if (!present.has(key)) this.announced.delete(key);
    for (const key of this.noticed.keys()) if (!present.has(key)) this.noticed.delete(key);
  }

  private announceDates(info: CertificateInfo, atMs: number, zone: ZoneSpec): void {
    const state = dateStateAt(info, atMs);
    if (state === "valid") {
      this.announced.delete(info.sha1);
      return;
    }
    if (this.announced.get(info.sha1) === state) return;
    this.announced.set(info.sha1, state);
    this.options.log(
      state === "expired"
        ? pkiCertificateExpired(info.serial, formatPkiDate(info.notAfterMs, zone))
        : pkiCertificateNotYetValid(info.serial, formatPkiDate(info.notBeforeMs, zone)),
    );
  }

  private announceExpiry(trustpoint: string, info: CertificateInfo, atMs: number, zone: ZoneSpec): void {
    if (dateStateAt(info, atMs) !== "valid") return;
    const warningDays = this.options.expiryWarningDays ?? EXPIRY_WARNING_DAYS;
    const bucket = expiryNoticeBucket(info.notAfterMs, atMs, warningDays);
    if (bucket === undefined || this.noticed.get(info.sha1) === bucket) return;
    this.noticed.set(info.sha1, bucket);
    this.options.log(
      pkiCertificateExpiring(
        trustpoint,
        info.serial,
        formatPkiDate(info.notAfterMs, zone),
        daysLeft(info.notAfterMs, atMs),
      ),
    );
  }

  /**
   * `clock set` (a step with authority) and gaining authority announce AUTHORITATIVE_CLOCK
   * (§2.8 [R]). Any step or change of authority or synchronisation re-validates; NTP's periodic
   * refresh of its system variables changes none of these and costs nothing.
   */
  private clockChanged(change: ClockChange): void {
    const authoritative = this.clock.authoritative;
    const gained = authoritative && (!change.wasAuthoritative || change.cause === "set");
    if (gained) this.options.log(pkiAuthoritativeClock());
    const moved =
      change.stepped ||
      change.wasAuthoritative !== authoritative ||
      change.wasSynchronized !== this.clock.synchronized;
    if (moved) void this.evaluate();
  }
}

/**
 * When to warn that a certificate is about to expire. Modelled on IOS's "PKI Credentials Expiry
 * Alerts" (Cisco PKI configuration guide): a first notice 60 days before expiry, then one a week,
 * then one a day during the last week. Each notice is identified by a bucket so it is logged
 * once, however often the chains are re-evaluated.
 */

/** First notice, days before notAfter. */
export const EXPIRY_WARNING_DAYS = 60;
/** From here on the notice is daily (and an alert). */
export const EXPIRY_ALERT_DAYS = 7;

const MS_PER_DAY = 86_400_000;
const DAYS_PER_WEEK = 7;

/** Whole days left until `notAfterMs`, rounded up (`1` on the last day). */
export function daysLeft(notAfterMs: number, nowMs: number): number {
  return Math.ceil((notAfterMs - nowMs) / MS_PER_DAY);
}

/**
 * The notice due at `nowMs`: `week-N` (N weeks after the first notice) while more than a week
 * remains, `day-N` (N days left) in the last week, undefined outside the warning window or once
 * expired.
 */
export function expiryNoticeBucket(
  notAfterMs: number,
  nowMs: number,
  warningDays: number = EXPIRY_WARNING_DAYS,
): string | undefined {
  if (nowMs > notAfterMs) return undefined;
  const days = daysLeft(notAfterMs, nowMs);
  if (days > warningDays) return undefined;
  if (days > EXPIRY_ALERT_DAYS) return `week-${Math.floor((warningDays - days) / DAYS_PER_WEEK)}`;
  return `day-${days}`;
}

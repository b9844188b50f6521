/**
 * NTPv4 protocol constants: the header enumerations (leap indicator, mode, stratum) and the
 * global parameters of RFC 5905. Kiss codes and reference-id helpers live in `kissCode.ts`.
 */

/** UDP port for NTP (RFC 5905 §7.2, PORT). */
export const NTP_PORT = 123;

/** Current protocol version (RFC 5905 §7.2, VERSION). */
export const NTP_VERSION = 4;

/**
 * Oldest version we decode. chrony (`NTP_MIN_COMPAT_VERSION`) and ntpd answer v1..v3 requests in
 * kind, and so do we.
 */
export const NTP_MIN_COMPATIBLE_VERSION = 1;

/** Leap indicator, the top two bits of the first header octet (RFC 5905 §7.3). */
export const Leap = {
  /** No warning. */
  NoWarning: 0,
  /** Last minute of the day has 61 seconds. */
  InsertSecond: 1,
  /** Last minute of the day has 59 seconds. */
  DeleteSecond: 2,
  /** Unknown: clock unsynchronized (the "alarm condition"). */
  Unsynchronized: 3,
} as const;
export type LeapIndicator = (typeof Leap)[keyof typeof Leap];

/** Association mode, the low three bits of the first header octet (RFC 5905 §7.3). */
export const Mode = {
  Reserved: 0,
  SymmetricActive: 1,
  SymmetricPassive: 2,
  Client: 3,
  Server: 4,
  Broadcast: 5,
  /** NTP control message (mode 6, `ntpq`); a different packet layout (RFC 9327). */
  Control: 6,
  /** Reserved for private use (mode 7, ntpd's `ntpdc`); a different packet layout. */
  Private: 7,
} as const;
export type NtpMode = (typeof Mode)[keyof typeof Mode];

/** Stratum 0: unspecified or invalid; a packet with stratum 0 carries a kiss code (RFC 5905 §7.3, §7.4). */
export const STRATUM_UNSPECIFIED = 0;

/** Stratum 1: primary server, synchronized to a reference clock (RFC 5905 §7.3). */
export const STRATUM_PRIMARY = 1;

/** Stratum 16: unsynchronized; also the maximum (RFC 5905 §7.2 MAXSTRAT, §7.3). */
export const MAX_STRATUM = 16;

/** Minimum poll exponent, log2 seconds: 16 s (RFC 5905 §7.2 MINPOLL). */
export const MIN_POLL_LOG2 = 4;

/** Maximum poll exponent, log2 seconds: 36.4 h (RFC 5905 §7.2 MAXPOLL). */
export const MAX_POLL_LOG2 = 17;

/** Maximum dispersion, seconds (RFC 5905 §7.2 MAXDISP). */
export const MAX_DISPERSION_SECONDS = 16;

/** Minimum dispersion increment, seconds (RFC 5905 §7.2 MINDISP). */
export const MIN_DISPERSION_SECONDS = 0.005;

/** Distance threshold, seconds (RFC 5905 §7.2 MAXDIST). */
export const MAX_DISTANCE_SECONDS = 1;

/** Frequency tolerance, 15 ppm (RFC 5905 §7.2 TOLERANCE). */
export const FREQUENCY_TOLERANCE = 15e-6;

/** Length of the fixed NTP header, octets (RFC 5905 §7.3, Figure 8). */
export const NTP_HEADER_LENGTH = 48;

/** Octet offsets of the header fields (RFC 5905 §7.3, Figure 8). */
export const HeaderOffset = {
  LeapVersionMode: 0,
  Stratum: 1,
  Poll: 2,
  Precision: 3,
  RootDelay: 4,
  RootDispersion: 8,
  ReferenceId: 12,
  ReferenceTimestamp: 16,
  OriginTimestamp: 24,
  ReceiveTimestamp: 32,
  TransmitTimestamp: 40,
} as const;

/**
 * The packet sanity tests of RFC 5905 §8 (Appendix A.5.1 `receive()` and `packet()`), applied
 * to a decoded packet that arrived for one of our associations. Cheapest checks first, as chrony
 * orders them (`ntp_core.c` tests 1-7): mode, duplicate, origin ("bogus"), then the MAC, then
 * the header. A kiss-o'-death is believed only after the origin test, so a spoofed KoD cannot
 * silence an association (RFC 5905 §7.4).
 */
import { kissCodeName, refIdToAscii } from "./kissCode.js";
import type { SymmetricKey } from "./mac.js";
import {
  isZeroTimestamp,
  type NtpTimestamp,
  ntpShortToSeconds,
  timestampDiffSeconds,
  timestampsEqual,
} from "./ntpTimestamp.js";
import { isCryptoNak, type NtpPacket, type PacketLayout } from "./packet.js";
import { verifyPacketMac } from "./packetMac.js";
import { Leap, MAX_DISPERSION_SECONDS, MAX_STRATUM, Mode, STRATUM_UNSPECIFIED } from "./protocolConstants.js";

/** Why a packet was not taken; each is a per-association counter. */
export type ReplyRejectReason =
  /** Not a mode this association answers to (4 for a server, 1 or 2 for a peer). */
  | "bad-mode"
  /** Same transmit timestamp as the last packet: a replay or a duplicate (RFC 5905 test 1). */
  | "duplicate"
  /** Origin timestamp is not our last transmit, or nothing was outstanding (test 2, "bogus"). */
  | "bogus"
  /** The server could not authenticate our request (RFC 5905 crypto-NAK). */
  | "crypto-nak"
  /** A MAC that does not verify, or under a key that is not this association's trusted key (test 5). */
  | "bad-mac"
  /** No MAC, but this association requires one (`key N` or `ntp authenticate`). */
  | "unauthenticated"
  /** Zero timestamps, root distance beyond MAXDISP, or a reference time after the transmit time (test 7). */
  | "bad-header";

/** What the packet tells the association. */
export type ReplyVerdict =
  | { readonly kind: "reject"; readonly reason: ReplyRejectReason }
  /** A symmetric peer's own transmission, not an answer to ours: remember its timestamps only. */
  | { readonly kind: "peer-request"; readonly authenticated: boolean }
  /** Kiss-o'-death (stratum 0 with an ASCII code, RFC 5905 §7.4). */
  | { readonly kind: "kiss"; readonly code: string; readonly authenticated: boolean }
  /** A genuine answer from a server that is not synchronized (leap 3, stratum 0 or ≥ 16, test 6). */
  | { readonly kind: "unsynchronized"; readonly authenticated: boolean }
  /** Passed every test: a usable time sample. */
  | { readonly kind: "sample"; readonly authenticated: boolean };

/** What the association expects of its next packet. */
export interface ReplyExpectation {
  readonly associationKind: "server" | "peer";
  /** Transmit timestamp of our outstanding request; undefined when none is outstanding. */
  readonly outstandingTransmit: NtpTimestamp | undefined;
  /** Transmit timestamp of the last packet accepted from this source. */
  readonly lastReceivedTransmit: NtpTimestamp | undefined;
  /** This association's key, when configured and trusted. */
  readonly key: SymmetricKey | undefined;
  /** A MAC is required: `key N` configured, or `ntp authenticate`. */
  readonly requireAuthentication: boolean;
}

export function validateReply(
  decoded: { readonly packet: NtpPacket; readonly layout: PacketLayout },
  expect: ReplyExpectation,
): ReplyVerdict {
  const { packet } = decoded;
  if (!modeAccepted(expect.associationKind, packet.mode)) return reject("bad-mode");
  if (
    expect.lastReceivedTransmit !== undefined &&
    timestampsEqual(packet.transmitTimestamp, expect.lastReceivedTransmit)
  ) {
    return reject("duplicate");
  }
  const answersUs =
    expect.outstandingTransmit !== undefined &&
    timestampsEqual(packet.originTimestamp, expect.outstandingTransmit);
  if (!answersUs && packet.mode !== Mode.SymmetricActive) return reject("bogus");
  const auth = checkMac(decoded, expect);
  if (typeof auth === "string") return reject(auth);
  if (!answersUs) return { kind: "peer-request", authenticated: auth };
  if (packet.stratum === STRATUM_UNSPECIFIED) {
    const code = kissCodeName(packet.referenceId) ?? refIdToAscii(packet.referenceId);
    if (code !== undefined && code !== "") return { kind: "kiss", code, authenticated: auth };
  }
  if (!headerValid(packet)) return reject("bad-header");
  if (
    packet.leap === Leap.Unsynchronized ||
    packet.stratum === STRATUM_UNSPECIFIED ||
    packet.stratum >= MAX_STRATUM
  ) {
    return { kind: "unsynchronized", authenticated: auth };
  }
  if (isZeroTimestamp(packet.referenceTimestamp)) return reject("bad-header");
  return { kind: "sample", authenticated: auth };
}

function modeAccepted(kind: "server" | "peer", mode: number): boolean {
  if (kind === "server") return mode === Mode.Server;
  return mode === Mode.SymmetricPassive || mode === Mode.SymmetricActive;
}

/** True when authenticated, false when there is no MAC and none is required, else the reason. */
function checkMac(
  decoded: { readonly packet: NtpPacket; readonly layout: PacketLayout },
  expect: ReplyExpectation,
): boolean | ReplyRejectReason {
  const mac = decoded.packet.mac;
  if (mac === undefined) return expect.requireAuthentication ? "unauthenticated" : false;
  if (isCryptoNak(mac)) return "crypto-nak";
  const key = expect.key;
  if (key === undefined || mac.keyId !== key.id || !verifyPacketMac(decoded, key)) return "bad-mac";
  return true;
}

/** RFC 5905 A.5.1.1 packet(): non-zero receive and transmit, root distance < MAXDISP, reftime ≤ xmt. */
function headerValid(packet: NtpPacket): boolean {
  if (isZeroTimestamp(packet.transmitTimestamp) || isZeroTimestamp(packet.receiveTimestamp)) return false;
  const rootDistance = ntpShortToSeconds(packet.rootDelay) / 2 + ntpShortToSeconds(packet.rootDispersion);
  if (rootDistance >= MAX_DISPERSION_SECONDS) return false;
  if (!isZeroTimestamp(packet.referenceTimestamp)) {
    if (timestampDiffSeconds(packet.referenceTimestamp, packet.transmitTimestamp) > 0) return false;
  }
  return true;
}

function reject(reason: ReplyRejectReason): ReplyVerdict {
  return { kind: "reject", reason };
}

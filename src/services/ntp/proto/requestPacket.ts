/**
 * The packets an association sends. Client mode (3) carries nothing but the version, the poll
 * and a random transmit timestamp: the server needs nothing else, and a random cookie tells an
 * observer nothing about our clock (data minimization, as chrony and ntpd-rs do); the real send
 * time stays local. Symmetric active mode (1) carries our system variables, the peer's last
 * transmit timestamp as origin and its arrival time as receive (RFC 5905 §9, A.5.7.3), because a
 * peer may synchronize to us.
 */
import type { SymmetricKey } from "./mac.js";
import { MAX_DIGEST_LENGTH } from "./mac.js";
import { type NtpTimestamp, secondsToNtpShort, ZERO_TIMESTAMP } from "./ntpTimestamp.js";
import { encodedPacketLength, encodePacket, KEY_ID_LENGTH, type NtpPacket } from "./packet.js";
import { encodeAuthenticatedPacket } from "./packetMac.js";
import { Leap, Mode, NTP_HEADER_LENGTH } from "./protocolConstants.js";
import type { SystemSnapshot } from "./serverClock.js";

export interface RequestFields {
  readonly symmetric: boolean;
  readonly version: number;
  readonly pollLog2: number;
  /** Our time now (the transmit timestamp of a symmetric packet). */
  readonly nowLocal: NtpTimestamp;
  readonly system: SystemSnapshot;
  /** Symmetric mode: the peer's last transmit timestamp, and when it arrived. */
  readonly peerTransmit: NtpTimestamp;
  readonly peerReceive: NtpTimestamp;
  readonly key: SymmetricKey | undefined;
  /** Uniform in [0, 1). */
  readonly random: () => number;
}

/** The datagram, and the transmit timestamp a reply must echo as its origin. */
export function buildRequest(fields: RequestFields): { datagram: Buffer; transmit: NtpTimestamp } {
  const packet = fields.symmetric ? symmetricPacket(fields) : clientPacket(fields);
  const transmit = packet.transmitTimestamp;
  if (fields.key === undefined) {
    const out = Buffer.alloc(encodedPacketLength(packet));
    encodePacket(packet, out);
    return { datagram: out, transmit };
  }
  const out = Buffer.alloc(NTP_HEADER_LENGTH + KEY_ID_LENGTH + MAX_DIGEST_LENGTH);
  const length = encodeAuthenticatedPacket(packet, fields.key, out);
  return { datagram: out.subarray(0, length), transmit };
}

function clientPacket(fields: RequestFields): NtpPacket {
  return {
    leap: Leap.NoWarning,
    version: fields.version,
    mode: Mode.Client,
    stratum: 0,
    pollLog2: fields.pollLog2,
    precisionLog2: 0,
    rootDelay: 0,
    rootDispersion: 0,
    referenceId: 0,
    referenceTimestamp: ZERO_TIMESTAMP,
    originTimestamp: ZERO_TIMESTAMP,
    receiveTimestamp: ZERO_TIMESTAMP,
    transmitTimestamp: randomTimestamp(fields.random),
    extensionFields: [],
    mac: undefined,
  };
}

function symmetricPacket(fields: RequestFields): NtpPacket {
  const system = fields.system;
  const synchronized = system.synchronized;
  return {
    leap: synchronized ? system.leap : Leap.Unsynchronized,
    version: fields.version,
    mode: Mode.SymmetricActive,
    stratum: synchronized ? system.stratum : 0,
    pollLog2: fields.pollLog2,
    precisionLog2: system.precisionLog2,
    rootDelay: secondsToNtpShort(system.rootDelaySeconds),
    rootDispersion: secondsToNtpShort(system.rootDispersionSeconds),
    referenceId: synchronized ? system.referenceId >>> 0 : 0,
    referenceTimestamp: synchronized ? system.referenceTimestamp : ZERO_TIMESTAMP,
    originTimestamp: fields.peerTransmit,
    receiveTimestamp: fields.peerReceive,
    transmitTimestamp: fields.nowLocal,
    extensionFields: [],
    mac: undefined,
  };
}

function randomTimestamp(random: () => number): NtpTimestamp {
  return { seconds: Math.floor(random() * 2 ** 32) >>> 0, fraction: Math.floor(random() * 2 ** 32) >>> 0 };
}

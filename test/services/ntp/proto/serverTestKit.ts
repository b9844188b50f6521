/** Shared fixtures for the server tests: a TestClock, policies, requests and response readers. */
import { refIdFromAscii } from "../../../../src/services/ntp/proto/kissCode.js";
import type { SymmetricKey } from "../../../../src/services/ntp/proto/mac.js";
import type { NtpTimestamp } from "../../../../src/services/ntp/proto/ntpTimestamp.js";
import {
  type DecodeResult,
  decodePacket,
  encodePacketToBuffer,
  type NtpPacket,
} from "../../../../src/services/ntp/proto/packet.js";
import { encodeAuthenticatedPacket } from "../../../../src/services/ntp/proto/packetMac.js";
import type { RandomBytes } from "../../../../src/services/ntp/proto/rateLimiter.js";
import {
  NtpServer,
  type NtpServerOptions,
  SERVER_RESPONSE_BUFFER_LENGTH,
} from "../../../../src/services/ntp/proto/server.js";
import type { ServerClock, SystemSnapshot } from "../../../../src/services/ntp/proto/serverClock.js";
import type { ServerDecision } from "../../../../src/services/ntp/proto/serverDecision.js";
import type { AccessDecision, ServerPolicy } from "../../../../src/services/ntp/proto/serverPolicy.js";

/** 10.0.0.1 as a reference id: a stratum-2 server synchronized to that address. */
export const UPSTREAM_REFID = 0x0a000001;

export const SYNCHRONIZED: SystemSnapshot = {
  synchronized: true,
  leap: 0,
  stratum: 2,
  precisionLog2: -24,
  rootDelaySeconds: 0.015625,
  rootDispersionSeconds: 0.0078125,
  referenceId: UPSTREAM_REFID,
  referenceTimestamp: { seconds: 0xe9a1_0000, fraction: 0x8000_0000 },
};

export const UNSYNCHRONIZED: SystemSnapshot = {
  synchronized: false,
  leap: 3,
  stratum: 16,
  precisionLog2: -24,
  rootDelaySeconds: 0,
  rootDispersionSeconds: 0,
  referenceId: refIdFromAscii("INIT"),
  referenceTimestamp: { seconds: 0, fraction: 0 },
};

/** The time the TestClock reports, and the server's receive timestamp (T2) in the tests. */
export const CLOCK_NOW: NtpTimestamp = { seconds: 0xe9a1_0100, fraction: 0x1234_5678 };
export const RECEIVE_TIME: NtpTimestamp = { seconds: 0xe9a1_0100, fraction: 0x1000_0000 };

/** A clock whose readings are fixed; it counts calls and can run a hook inside `now()`. */
export class TestClock implements ServerClock {
  nowValue: NtpTimestamp = CLOCK_NOW;
  systemValue: SystemSnapshot;
  nowCalls = 0;
  systemCalls = 0;
  onNow: (() => void) | undefined;

  constructor(system: SystemSnapshot = SYNCHRONIZED) {
    this.systemValue = system;
  }

  now(): NtpTimestamp {
    this.nowCalls++;
    this.onNow?.();
    return this.nowValue;
  }

  system(): SystemSnapshot {
    this.systemCalls++;
    return this.systemValue;
  }
}

export const OPEN_ACCESS: AccessDecision = { level: "unrestricted", kod: false };

/** A policy with no access groups, no keys, no limits; override what a test needs. */
export function testPolicy(overrides: Partial<ServerPolicy> = {}): ServerPolicy {
  return {
    access: () => OPEN_ACCESS,
    keys: new Map(),
    requireAuthentication: false,
    passive: false,
    peers: new Set(),
    allowControl: false,
    ...overrides,
  };
}

export const KEYS: Readonly<Record<SymmetricKey["algorithm"], SymmetricKey>> = {
  md5: { id: 1, algorithm: "md5", secret: Buffer.from("NTPKEY1") },
  sha1: { id: 2, algorithm: "sha1", secret: Buffer.from("sha1 secret") },
  sha256: { id: 3, algorithm: "sha256", secret: Buffer.from("sha2 secret") },
  "aes-128-cmac": {
    id: 4,
    algorithm: "aes-128-cmac",
    secret: Buffer.from("000102030405060708090a0b0c0d0e0f", "hex"),
  },
  "aes-256-cmac": { id: 5, algorithm: "aes-256-cmac", secret: Buffer.alloc(32, 7) },
};

export function keyMap(...keys: SymmetricKey[]): Map<number, SymmetricKey> {
  return new Map(keys.map((key) => [key.id, key]));
}

export const CLIENT_TRANSMIT: NtpTimestamp = { seconds: 0xe9a1_00ff, fraction: 0xdead_beef };

/** A client request (mode 3, NTPv4) as chrony sends one; fields overridable. */
export function requestPacket(overrides: Partial<NtpPacket> = {}): NtpPacket {
  return {
    leap: 0,
    version: 4,
    mode: 3,
    stratum: 0,
    pollLog2: 6,
    precisionLog2: -20,
    rootDelay: 0,
    rootDispersion: 0,
    referenceId: 0,
    referenceTimestamp: { seconds: 0, fraction: 0 },
    originTimestamp: { seconds: 0, fraction: 0 },
    receiveTimestamp: { seconds: 0, fraction: 0 },
    transmitTimestamp: CLIENT_TRANSMIT,
    extensionFields: [],
    mac: undefined,
    ...overrides,
  };
}

export function request(overrides: Partial<NtpPacket> = {}): Buffer {
  return encodePacketToBuffer(requestPacket(overrides));
}

export function signedRequest(key: SymmetricKey, overrides: Partial<NtpPacket> = {}): Buffer {
  const out = Buffer.alloc(256);
  const length = encodeAuthenticatedPacket(requestPacket(overrides), key, out);
  return Buffer.from(out.subarray(0, length));
}

/** Random octets from a fixed repeating pattern, for deterministic rate-limit leaks. */
export function patternRandom(byte: number): RandomBytes {
  return (size) => Buffer.alloc(size, byte);
}

export const CLIENT = "192.0.2.10";

/** A server plus one send buffer, with helpers that hand back decisions and response bytes. */
export class ServerHarness {
  readonly clock: TestClock;
  readonly server: NtpServer;
  readonly out = Buffer.alloc(SERVER_RESPONSE_BUFFER_LENGTH);
  monotonicSeconds = 1000;

  constructor(policy: ServerPolicy = testPolicy(), clock = new TestClock(), options: NtpServerOptions = {}) {
    this.clock = clock;
    this.server = new NtpServer(policy, clock, options);
  }

  send(datagram: Uint8Array, address = CLIENT): ServerDecision {
    return this.server.handle(address, RECEIVE_TIME, datagram, this.out, this.monotonicSeconds);
  }

  /** The response of the last `send`, copied. */
  response(decision: ServerDecision): Buffer {
    if (decision.action !== "respond") throw new Error(`expected a response, got ignore: ${decision.reason}`);
    return Buffer.from(this.out.subarray(0, decision.length));
  }

  /** Sends and decodes the NTP response. */
  exchange(datagram: Uint8Array, address = CLIENT): Extract<DecodeResult, { ok: true }> {
    const decoded = decodePacket(this.response(this.send(datagram, address)));
    if (!decoded.ok) throw new Error(`response does not decode: ${decoded.reason}`);
    return decoded;
  }
}

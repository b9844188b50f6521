/** Fixtures for the client tests: a manual clock, crafted replies, and action helpers. */
import type { ClientAction, ClientEvent } from "../../../../src/services/ntp/proto/clientActions.js";
import type { AssociationConfig, ClientConfig } from "../../../../src/services/ntp/proto/clientConfig.js";
import type { DisciplinedClock } from "../../../../src/services/ntp/proto/disciplinedClock.js";
import { refIdFromAscii } from "../../../../src/services/ntp/proto/kissCode.js";
import type { SymmetricKey } from "../../../../src/services/ntp/proto/mac.js";
import { NtpClient, type NtpClientOptions } from "../../../../src/services/ntp/proto/ntpClient.js";
import {
  addSeconds,
  fromUnixSeconds,
  type NtpTimestamp,
} from "../../../../src/services/ntp/proto/ntpTimestamp.js";
import {
  decodePacket,
  encodePacketToBuffer,
  type NtpPacket,
} from "../../../../src/services/ntp/proto/packet.js";
import { encodeAuthenticatedPacket } from "../../../../src/services/ntp/proto/packetMac.js";

/** 2024-03-01T00:00:00Z, as NTP. */
export const EPOCH = fromUnixSeconds(1_709_251_200);

/**
 * A clock on a perfect oscillator whose monotonic time the test moves: local = EPOCH +
 * monotonic + offset + frequency correction.
 */
export class ManualClock implements DisciplinedClock {
  mono = 1000;
  #offset: number;
  #ppm = 0;
  #anchor = 1000;
  readonly steps: number[] = [];

  constructor(initialErrorSeconds = 0) {
    this.#offset = initialErrorSeconds;
  }

  /** Local clock minus true time (true time = EPOCH + monotonic). */
  get errorSeconds(): number {
    return this.seconds() - this.mono;
  }

  seconds(): number {
    return this.mono + this.#offset + this.#ppm * 1e-6 * (this.mono - this.#anchor);
  }

  now(): NtpTimestamp {
    return addSeconds(EPOCH, this.seconds());
  }

  step(offsetSeconds: number): void {
    this.#offset += offsetSeconds;
    this.steps.push(offsetSeconds);
  }

  setFrequencyPpm(ppm: number): void {
    this.#offset += this.#ppm * 1e-6 * (this.mono - this.#anchor);
    this.#anchor = this.mono;
    this.#ppm = ppm;
  }

  frequencyPpm(): number {
    return this.#ppm;
  }
}

/** True time (a perfect server's clock) at the clock's monotonic time, plus `offset`. */
export function trueTime(clock: ManualClock, offsetSeconds = 0): NtpTimestamp {
  return addSeconds(EPOCH, clock.mono + offsetSeconds);
}

export function config(associations: AssociationConfig[], extra: Partial<ClientConfig> = {}): ClientConfig {
  return { associations, keys: new Map(), authenticate: false, ...extra };
}

export function newClient(
  clock: ManualClock,
  clientConfig: ClientConfig,
  extra: Partial<NtpClientOptions> = {},
): NtpClient {
  let seed = 1;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  return new NtpClient({ clock, config: clientConfig, nowMonotonicSeconds: clock.mono, random, ...extra });
}

export function sends(actions: readonly ClientAction[]): Extract<ClientAction, { kind: "send" }>[] {
  return actions.filter((a): a is Extract<ClientAction, { kind: "send" }> => a.kind === "send");
}

export function events(actions: readonly ClientAction[]): ClientEvent[] {
  return actions.flatMap((a) => (a.kind === "event" ? [a.event] : []));
}

export function timerOf(actions: readonly ClientAction[]): number | undefined {
  const timer = actions.find((a) => a.kind === "timer");
  return timer?.kind === "timer" ? timer.atMonotonicSeconds : undefined;
}

/** Runs the client's timer until it sends something; returns those actions. */
export function pollUntilSend(client: NtpClient, clock: ManualClock, maxSeconds = 5000): ClientAction[] {
  let actions = client.handleTimer(clock.mono);
  const end = clock.mono + maxSeconds;
  while (sends(actions).length === 0) {
    const next = timerOf(actions);
    if (next === undefined || next > end) throw new Error("client sent nothing");
    clock.mono = Math.max(clock.mono, next);
    actions = client.handleTimer(clock.mono);
  }
  return actions;
}

/** A stratum-1 server's time response to `request`, with overrides. */
export function replyTo(
  request: Buffer,
  serverTime: NtpTimestamp,
  overrides: Partial<NtpPacket> = {},
  key?: SymmetricKey,
): Buffer {
  const decoded = decodePacket(request);
  if (!decoded.ok) throw new Error("request does not decode");
  const packet: NtpPacket = {
    leap: 0,
    version: decoded.packet.version,
    mode: decoded.packet.mode === 1 ? 2 : 4,
    stratum: 1,
    pollLog2: decoded.packet.pollLog2,
    precisionLog2: -20,
    rootDelay: 0,
    rootDispersion: 16,
    referenceId: refIdFromAscii("GPS"),
    referenceTimestamp: addSeconds(serverTime, -8),
    originTimestamp: decoded.packet.transmitTimestamp,
    receiveTimestamp: serverTime,
    transmitTimestamp: serverTime,
    extensionFields: [],
    mac: undefined,
    ...overrides,
  };
  if (key === undefined) return encodePacketToBuffer(packet);
  const out = Buffer.alloc(200);
  return out.subarray(0, encodeAuthenticatedPacket(packet, key, out));
}

/** A kiss-o'-death for `request`. */
export function kissTo(request: Buffer, code: string, pollLog2?: number): Buffer {
  const decoded = decodePacket(request);
  if (!decoded.ok) throw new Error("request does not decode");
  const xmt = decoded.packet.transmitTimestamp;
  return replyTo(request, xmt, {
    leap: 3,
    stratum: 0,
    referenceId: refIdFromAscii(code),
    receiveTimestamp: xmt,
    transmitTimestamp: xmt,
    referenceTimestamp: { seconds: 0, fraction: 0 },
    ...(pollLog2 === undefined ? {} : { pollLog2 }),
  });
}

export const SERVER = { address: "10.0.0.1", port: 123 } as const;

/**
 * One complete poll/reply round against a perfect server `offsetSeconds` ahead of true time:
 * poll, answer each request after `delaySeconds`, return everything the client did.
 */
export function exchange(
  client: NtpClient,
  clock: ManualClock,
  offsetSeconds = 0,
  delaySeconds = 0.0002,
  source = SERVER,
): ClientAction[] {
  const polled = pollUntilSend(client, clock);
  const all: ClientAction[] = [...polled];
  for (const send of sends(polled)) {
    if (send.address !== source.address) continue;
    clock.mono += delaySeconds / 2;
    const reply = replyTo(send.datagram, trueTime(clock, offsetSeconds));
    clock.mono += delaySeconds / 2;
    all.push(...client.handlePacket(source, clock.now(), reply, clock.mono));
  }
  return all;
}

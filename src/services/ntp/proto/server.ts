/**
 * The NTP server decision core, sans I/O (ntpd-rs `ntp-proto/src/server.rs` is the model): the
 * I/O layer hands over one datagram with its source address and receive timestamp, and gets back
 * either "respond with these N octets of `out`" or "ignore", with a reason that is also counted.
 *
 * Pipeline for time requests (modes 3 and 1), cheapest checks first, as chrony's
 * `NCR_ProcessRxUnknown` orders them:
 *   1. decode (bad input is a counted reason; modes 0, 2, 4, 5 and 7 are never answered);
 *   2. access level of the source (IOS `ntp access-group`, ios-cli.md §1.4): denied requests are
 *      dropped, or get a DENY kiss-o'-death when the group has `kod`; a symmetric-active packet
 *      from a source that may get time but not peer gets RSTR with `kod`;
 *   3. rate limit (`rateLimiter.ts`): over the limit is a drop, or a RATE kiss-o'-death for one in
 *      2^leak. Limiting comes before any MAC work, so a flood cannot buy CPU time;
 *   4. authentication (RFC 5905 Appendix A.5.1, RFC 8573): a verified MAC gets a response signed
 *      with the same key; a MAC that fails or names an untrusted key gets a crypto-NAK (RFC 5905;
 *      chrony drops these instead); no MAC is served unless `requireAuthentication`;
 *   5. the response, with the transmit timestamp read last and the MAC computed after it.
 *
 * No amplification: a time response is the 48-octet header plus at most the request's own MAC
 * length, so it is never longer than the request (extension fields the server does not
 * understand are simply not echoed). This is checked on every response, as chrony does.
 *
 * Mode 6 is the exception, by necessity: a query is 12 octets and any useful answer is longer, so
 * "no longer than the request" would make ntpq useless. Instead, mode 6 is answered only when
 * `ntp allow mode control` is on, only to sources whose access level permits queries (peer,
 * serve, query-only), always rate limited (`DEFAULT_CONTROL_RATE_LIMIT` unless configured), and
 * with one fragment of at most 468 data octets — a bounded 40× factor behind three gates.
 */

import { decodeControlRequest, MAX_CONTROL_RESPONSE_LENGTH } from "./controlMessage.js";
import {
  answerControlRequest,
  type ControlInformation,
  DEFAULT_CONTROL_INFORMATION,
} from "./controlResponder.js";
import { type ExtensionField, NtsExtensionFieldType } from "./extensionField.js";
import type { NtpTimestamp } from "./ntpTimestamp.js";
import { decodePacket, type NtpPacket, type PacketLayout } from "./packet.js";
import { MAX_POLL_LOG2, MIN_POLL_LOG2, Mode } from "./protocolConstants.js";
import { ClientRateLimiter, type RandomBytes, type RateLimitVerdict } from "./rateLimiter.js";
import { authenticateRequest } from "./requestAuthentication.js";
import type { ServerClock } from "./serverClock.js";
import type { DropReason, ResponseMode, ResponseReason, ServerDecision } from "./serverDecision.js";
import {
  type AccessDecision,
  DEFAULT_CONTROL_RATE_LIMIT,
  permitsControl,
  permitsPeering,
  permitsTime,
  type RateLimitSettings,
  type ServerPolicy,
} from "./serverPolicy.js";
import {
  type ResponseContext,
  ServerKissCode,
  writeCryptoNak,
  writeKissOfDeath,
  writeTimeResponse,
} from "./serverResponse.js";
import { ServerStats } from "./serverStats.js";

/** Smallest send buffer `handle` accepts: the longest response it can write (a full mode-6 fragment). */
export const SERVER_RESPONSE_BUFFER_LENGTH = MAX_CONTROL_RESPONSE_LENGTH;

export interface NtpServerOptions {
  /** log2 of the rate-limit table size (records); default 16. */
  readonly rateLimitTableSizeLog2?: number;
  /** Random source for the rate-limit hash key and RATE leak; default node:crypto. */
  readonly randomBytes?: RandomBytes;
  /** Identity, discipline figures and associations for mode-6 answers. */
  readonly control?: ControlInformation;
}

/** How a time request is to be answered, before rate limiting and authentication. */
type Admission =
  | { readonly kind: "serve"; readonly mode: 4; readonly reason: ResponseReason }
  | { readonly kind: "passive"; readonly mode: 2; readonly reason: ResponseReason }
  | { readonly kind: "kod"; readonly mode: 2 | 4; readonly reason: ResponseReason; readonly code: number }
  | { readonly kind: "drop"; readonly reason: DropReason };

const SERVE: Admission = { kind: "serve", mode: 4, reason: "server" };
const PASSIVE: Admission = { kind: "passive", mode: 2, reason: "passive" };
const DENY_CLIENT: Admission = { kind: "kod", mode: 4, reason: "kod-deny", code: ServerKissCode.DENY };
const DENY_PEER: Admission = { kind: "kod", mode: 2, reason: "kod-deny", code: ServerKissCode.DENY };
const RSTR_PEER: Admission = { kind: "kod", mode: 2, reason: "kod-rstr", code: ServerKissCode.RSTR };

const NTS_FIELD_TYPES: ReadonlySet<number> = new Set(Object.values(NtsExtensionFieldType));

export class NtpServer {
  #policy: ServerPolicy;
  readonly #clock: ServerClock;
  readonly #limiter: ClientRateLimiter;
  readonly #control: ControlInformation;
  /** Counters of every decision; `stats.snapshot()` reads them as a plain object. */
  readonly stats: ServerStats;

  constructor(policy: ServerPolicy, clock: ServerClock, options: NtpServerOptions = {}) {
    this.#policy = policy;
    this.#clock = clock;
    this.#control = options.control ?? DEFAULT_CONTROL_INFORMATION;
    this.#limiter = new ClientRateLimiter({
      ...(options.rateLimitTableSizeLog2 === undefined
        ? {}
        : { tableSizeLog2: options.rateLimitTableSizeLog2 }),
      ...(options.randomBytes === undefined ? {} : { randomBytes: options.randomBytes }),
    });
    this.stats = new ServerStats(() => this.#limiter.stats());
  }

  /** Replaces the policy for the next packet; rate-limit records are kept. */
  updatePolicy(policy: ServerPolicy): void {
    this.#policy = policy;
  }

  /**
   * Decides what to do with one datagram from `clientAddress`, received at `receiveTime` (the
   * server's T2) and at `nowMonotonicSeconds` on the monotonic clock (for rate limiting). A
   * response is written at the start of `out`, which must hold `SERVER_RESPONSE_BUFFER_LENGTH`
   * octets. Never throws for any datagram.
   */
  handle(
    clientAddress: string,
    receiveTime: NtpTimestamp,
    datagram: Uint8Array,
    out: Buffer,
    nowMonotonicSeconds: number,
  ): ServerDecision {
    if (out.length < SERVER_RESPONSE_BUFFER_LENGTH) {
      throw new RangeError(`send buffer of ${out.length} octets; need ${SERVER_RESPONSE_BUFFER_LENGTH}`);
    }
    this.stats.countReceived(datagram);
    const bytes = Buffer.isBuffer(datagram)
      ? datagram
      : Buffer.from(datagram.buffer, datagram.byteOffset, datagram.byteLength);
    return this.stats.count(this.#decide(clientAddress, receiveTime, bytes, out, nowMonotonicSeconds));
  }

  #decide(
    address: string,
    receiveTime: NtpTimestamp,
    bytes: Buffer,
    out: Buffer,
    now: number,
  ): ServerDecision {
    if (bytes.length === 0) return ignore("too-short");
    const mode = (bytes[0] ?? 0) & 0x07;
    if (mode === Mode.Control) return this.#decideControl(address, bytes, out, now);
    if (mode === Mode.Private) return ignore("mode-private");
    const decoded = decodePacket(bytes);
    if (!decoded.ok)
      return ignore(decoded.reason === "unsupported-mode" ? "mode-not-served" : decoded.reason);
    const { packet } = decoded;
    if (packet.mode !== Mode.Client && packet.mode !== Mode.SymmetricActive) return ignore("mode-not-served");
    if (hasNtsFields(packet.extensionFields)) return ignore("nts-unavailable");
    return this.#decideTime(address, receiveTime, decoded, out, now);
  }

  #decideTime(
    address: string,
    receiveTime: NtpTimestamp,
    decoded: { readonly packet: NtpPacket; readonly layout: PacketLayout },
    out: Buffer,
    now: number,
  ): ServerDecision {
    const policy = this.#policy;
    const { packet, layout } = decoded;
    const admission = admit(packet.mode, policy.access(address), policy, address);
    if (admission.kind === "drop") return ignore(admission.reason);
    const rateLimit = policy.rateLimit;
    const verdict: RateLimitVerdict =
      rateLimit === undefined ? "pass" : this.#limiter.checkTime(address, now, rateLimit);
    // A limited KoD is never answered with another KoD: limiting bounds every response.
    if (verdict === "drop" || (verdict === "kod" && admission.kind === "kod")) return ignore("rate-limited");
    const context: ResponseContext = {
      mode: admission.mode,
      version: packet.version,
      pollLog2: responsePollLog2(packet.pollLog2, rateLimit),
      request: packet,
      layout,
      receiveTime,
    };
    // DENY and RSTR are decided from the address alone and sent unsigned: a denied source never
    // makes the server compute a MAC.
    if (admission.kind === "kod") {
      return respond(
        writeKissOfDeath(out, context, admission.code, undefined),
        admission.mode,
        admission.reason,
      );
    }
    const auth = authenticateRequest(decoded, policy.keys);
    switch (auth.kind) {
      case "crypto-nak":
        return ignore("crypto-nak-received");
      case "unknown-key":
      case "bad-mac": {
        // chrony sends no KoD when authentication fails either (NCR_ProcessRxUnknown).
        if (verdict === "kod") return ignore("rate-limited");
        const reason = auth.kind === "bad-mac" ? "crypto-nak-bad-mac" : "crypto-nak-unknown-key";
        return this.#checked(
          writeCryptoNak(out, context, this.#clock),
          layout,
          admission.mode,
          reason,
          false,
        );
      }
      case "none":
        if (policy.requireAuthentication) return ignore("authentication-required");
        break;
      case "verified":
        break;
    }
    const signature = auth.kind === "verified" ? auth : undefined;
    const authenticated = signature !== undefined;
    if (verdict === "kod") {
      const length = writeKissOfDeath(out, context, ServerKissCode.RATE, signature);
      return this.#checked(length, layout, admission.mode, "kod-rate", authenticated);
    }
    const length = writeTimeResponse(out, context, this.#clock, signature);
    return this.#checked(length, layout, admission.mode, admission.reason, authenticated);
  }

  #decideControl(address: string, bytes: Buffer, out: Buffer, now: number): ServerDecision {
    const policy = this.#policy;
    if (!policy.allowControl) return ignore("control-disabled");
    const decoded = decodeControlRequest(bytes);
    if (!decoded.ok) return ignore("control-malformed");
    if (!permitsControl(policy.access(address).level)) return ignore("access-denied");
    const limit = policy.controlRateLimit ?? DEFAULT_CONTROL_RATE_LIMIT;
    if (!this.#limiter.checkControl(address, now, limit)) return ignore("rate-limited");
    return respond(
      answerControlRequest(out, decoded.request, this.#clock, this.#control),
      Mode.Control,
      "control",
    );
  }

  /** The no-amplification guard: an NTP response longer than its request is not sent. */
  #checked(
    length: number,
    layout: PacketLayout,
    mode: ResponseMode,
    reason: ResponseReason,
    authenticated: boolean,
  ): ServerDecision {
    if (length > layout.bytes.length) return ignore("response-too-large");
    return respond(length, mode, reason, authenticated);
  }
}

/**
 * Access rules of ios-cli.md §1.4 applied to a time request: mode 3 needs a level that permits
 * time; mode 1 also needs `peer` (or no access-group at all) and either `ntp passive` or a
 * configured `ntp peer` at that address.
 */
function admit(mode: number, access: AccessDecision, policy: ServerPolicy, address: string): Admission {
  const isClient = mode === Mode.Client;
  if (!permitsTime(access.level)) {
    if (!access.kod) return { kind: "drop", reason: "access-denied" };
    return isClient ? DENY_CLIENT : DENY_PEER;
  }
  if (isClient) return SERVE;
  if (!permitsPeering(access.level)) {
    return access.kod ? RSTR_PEER : { kind: "drop", reason: "peering-not-permitted" };
  }
  if (!policy.passive && !policy.peers.has(address))
    return { kind: "drop", reason: "peering-not-configured" };
  return PASSIVE;
}

/**
 * The request's poll exponent, clamped to MINPOLL..MAXPOLL (RFC 5905 §7.2) and raised to the
 * rate-limit interval when limiting is on, which tells a client how often it may ask (chrony:
 * "Suggest the client to increase its polling interval", `NCR_ProcessRxUnknown`).
 */
export function responsePollLog2(requestPollLog2: number, rateLimit: RateLimitSettings | undefined): number {
  const floor = Math.max(
    MIN_POLL_LOG2,
    Math.min(MAX_POLL_LOG2, Math.ceil(rateLimit?.intervalLog2 ?? MIN_POLL_LOG2)),
  );
  return Math.max(floor, Math.min(MAX_POLL_LOG2, requestPollLog2));
}

function hasNtsFields(fields: readonly ExtensionField[]): boolean {
  for (const field of fields) if (NTS_FIELD_TYPES.has(field.type)) return true;
  return false;
}

function ignore(reason: DropReason): ServerDecision {
  return { action: "ignore", reason };
}

function respond(
  length: number,
  mode: ResponseMode,
  reason: ResponseReason,
  authenticated = false,
): ServerDecision {
  return { action: "respond", length, mode, reason, authenticated };
}

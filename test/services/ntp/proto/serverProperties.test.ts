import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAC_ALGORITHMS } from "../../../../src/services/ntp/proto/mac.js";
import { encodePacketToBuffer } from "../../../../src/services/ntp/proto/packet.js";
import { HeaderOffset } from "../../../../src/services/ntp/proto/protocolConstants.js";
import { SERVER_RESPONSE_BUFFER_LENGTH } from "../../../../src/services/ntp/proto/server.js";
import type { AccessLevel, ServerPolicy } from "../../../../src/services/ntp/proto/serverPolicy.js";
import { arbitraryPacket, arbitraryPlausibleDatagram, arbitraryTimestamp } from "./packetArbitraries.js";
import {
  KEYS,
  keyMap,
  request,
  ServerHarness,
  SYNCHRONIZED,
  signedRequest,
  TestClock,
  testPolicy,
  UNSYNCHRONIZED,
} from "./serverTestKit.js";

const LEVELS: readonly AccessLevel[] = ["unrestricted", "peer", "serve", "serve-only", "query-only", "none"];

/** Policies across the whole decision space: access, kod, keys, passive, control, rate limits. */
const arbitraryPolicy: fc.Arbitrary<ServerPolicy> = fc
  .record({
    level: fc.constantFrom(...LEVELS),
    kod: fc.boolean(),
    requireAuthentication: fc.boolean(),
    passive: fc.boolean(),
    allowControl: fc.boolean(),
    limited: fc.boolean(),
    burst: fc.integer({ min: 1, max: 4 }),
    leakLog2: fc.integer({ min: 0, max: 3 }),
  })
  .map((p) =>
    testPolicy({
      access: () => ({ level: p.level, kod: p.kod }),
      keys: keyMap(...Object.values(KEYS)),
      requireAuthentication: p.requireAuthentication,
      passive: p.passive,
      allowControl: p.allowControl,
      rateLimit: p.limited ? { intervalLog2: 3, burst: p.burst, leakLog2: p.leakLog2 } : undefined,
    }),
  );

/** Requests that authenticate, so the signed path is explored too. */
const arbitrarySignedRequest: fc.Arbitrary<Buffer> = fc
  .record({
    algorithm: fc.constantFrom(...MAC_ALGORITHMS),
    version: fc.integer({ min: 1, max: 4 }),
    mode: fc.constantFrom<1 | 3>(1, 3),
    pollLog2: fc.integer({ min: -128, max: 127 }),
    transmitTimestamp: arbitraryTimestamp,
  })
  .map(({ algorithm, ...fields }) => signedRequest(KEYS[algorithm], fields));

/** Datagrams shaped like mode-6 queries: mostly well formed, with random opcodes, names and counts. */
const arbitraryControlDatagram: fc.Arbitrary<Uint8Array> = fc
  .record({
    version: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 7 })),
    flags: fc.oneof(fc.integer({ min: 0, max: 31 }), fc.integer({ min: 0, max: 255 })),
    sequence: fc.integer({ min: 0, max: 0xffff }),
    associationId: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff })),
    data: fc.oneof(
      fc.constantFrom("", "stratum", "refid, leap", "bogus", "version,processor,system", "leap=1"),
      fc.string({ maxLength: 60 }),
    ),
    countDelta: fc.oneof(fc.constant(0), fc.integer({ min: -8, max: 8 })),
    trailer: fc.uint8Array({ maxLength: 24 }),
  })
  .map(({ version, flags, sequence, associationId, data, countDelta, trailer }) => {
    const body = Buffer.from(data, "latin1");
    const header = Buffer.alloc(12);
    header[0] = (version << 3) | 6;
    header[1] = flags;
    header.writeUInt16BE(sequence, 2);
    header.writeUInt16BE(associationId, 6);
    header.writeUInt16BE(Math.max(0, body.length + countDelta), 10);
    const padding = Buffer.alloc((4 - (body.length % 4)) % 4);
    return new Uint8Array(Buffer.concat([header, body, padding, Buffer.from(trailer)]));
  });

const arbitraryDatagram: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ minLength: 0, maxLength: 600 }),
  arbitraryPlausibleDatagram,
  arbitraryPacket.map((packet) => new Uint8Array(encodePacketToBuffer(packet))),
  arbitrarySignedRequest,
  arbitraryControlDatagram,
);

describe("server properties", () => {
  it("echoes the client's transmit timestamp bit for bit as the origin timestamp", () => {
    const harness = new ServerHarness(testPolicy({ keys: keyMap(KEYS.md5), passive: true }));
    fc.assert(
      fc.property(
        arbitraryTimestamp,
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom<1 | 3>(1, 3),
        fc.boolean(),
        (transmitTimestamp, version, mode, signed) => {
          const fields = { transmitTimestamp, version, mode };
          const datagram = signed ? signedRequest(KEYS.md5, fields) : request(fields);
          const response = harness.response(harness.send(datagram));
          expect(response.subarray(HeaderOffset.OriginTimestamp, HeaderOffset.ReceiveTimestamp)).toEqual(
            datagram.subarray(HeaderOffset.TransmitTimestamp, 48),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("echoes it bit for bit in kiss-o'-death and crypto-NAK answers too", () => {
    const deny = new ServerHarness(testPolicy({ access: () => ({ level: "none", kod: true }) }));
    const nak = new ServerHarness(testPolicy());
    fc.assert(
      fc.property(arbitraryTimestamp, (transmitTimestamp) => {
        for (const [harness, datagram] of [
          [deny, request({ transmitTimestamp })],
          [nak, signedRequest(KEYS.sha1, { transmitTimestamp })],
        ] as const) {
          const response = harness.response(harness.send(datagram));
          expect(response.subarray(24, 32)).toEqual(datagram.subarray(40, 48));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("never answers an NTP packet with more octets than the request (no amplification)", () => {
    const harness = new ServerHarness(testPolicy(), new TestClock(SYNCHRONIZED));
    fc.assert(
      fc.property(arbitraryPolicy, arbitraryDatagram, fc.ipV4(), (policy, datagram, address) => {
        harness.server.updatePolicy(policy);
        const decision = harness.send(datagram, address);
        if (decision.action === "respond" && decision.mode !== 6) {
          expect(decision.length).toBeLessThanOrEqual(datagram.length);
        }
      }),
      { numRuns: 3000 },
    );
    // The guard in the server never had to stop a response: they are short by construction.
    expect(harness.server.stats.snapshot().dropped["response-too-large"]).toBe(0);
  });

  it("handle() never throws on arbitrary datagrams, and responses stay within bounds", () => {
    const clocks = [new TestClock(SYNCHRONIZED), new TestClock(UNSYNCHRONIZED)];
    const harnesses = clocks.map((clock) => new ServerHarness(testPolicy(), clock));
    fc.assert(
      fc.property(
        arbitraryPolicy,
        arbitraryDatagram,
        fc.constantFrom(0, 1),
        fc.constantFrom("192.0.2.1", "192.0.2.2", "2001:db8::1"),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        (policy, datagram, which, address, now) => {
          const harness = harnesses[which] as ServerHarness;
          harness.server.updatePolicy(policy);
          harness.monotonicSeconds = now;
          const decision = harness.send(datagram, address);
          if (decision.action === "respond") {
            expect(decision.length).toBeGreaterThanOrEqual(12);
            expect(decision.length).toBeLessThanOrEqual(SERVER_RESPONSE_BUFFER_LENGTH);
            expect(decision.length % 4).toBe(0);
          }
        },
      ),
      { numRuns: 5000 },
    );
    const stats = harnesses.map((h) => h.server.stats.snapshot());
    expect(stats.reduce((sum, s) => sum + s.received, 0)).toBe(5000);
  });
});

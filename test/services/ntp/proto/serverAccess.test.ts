/**
 * IOS `ntp access-group` semantics (ios-cli.md §1.4) as a matrix: access level × packet kind ×
 * `kod`. peer: time + control + may peer; serve: time + control; serve-only: time only;
 * query-only: control only; none: nothing.
 */
import { describe, expect, it } from "vitest";
import { refIdFromAscii } from "../../../../src/services/ntp/proto/kissCode.js";
import { decodePacket } from "../../../../src/services/ntp/proto/packet.js";
import type { AccessLevel } from "../../../../src/services/ntp/proto/serverPolicy.js";
import {
  permitsControl,
  permitsPeering,
  permitsTime,
} from "../../../../src/services/ntp/proto/serverPolicy.js";
import { CLIENT_TRANSMIT, request, ServerHarness, TestClock, testPolicy } from "./serverTestKit.js";

/** A READVAR query for association 0 (what `ntpq -c rv` sends). */
const READVAR = Buffer.from([0x16, 0x02, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0]);

type Outcome = string;
const LEVELS: readonly AccessLevel[] = ["unrestricted", "peer", "serve", "serve-only", "query-only", "none"];

/** Expected outcome per level: [mode 3, mode 1, mode 6] without kod, then with kod. */
const EXPECTED: Readonly<Record<AccessLevel, readonly [Outcome[], Outcome[]]>> = {
  unrestricted: [
    ["server", "passive", "control"],
    ["server", "passive", "control"],
  ],
  peer: [
    ["server", "passive", "control"],
    ["server", "passive", "control"],
  ],
  serve: [
    ["server", "peering-not-permitted", "control"],
    ["server", "kod-rstr", "control"],
  ],
  "serve-only": [
    ["server", "peering-not-permitted", "access-denied"],
    ["server", "kod-rstr", "access-denied"],
  ],
  "query-only": [
    ["access-denied", "access-denied", "control"],
    ["kod-deny", "kod-deny", "control"],
  ],
  none: [
    ["access-denied", "access-denied", "access-denied"],
    ["kod-deny", "kod-deny", "access-denied"],
  ],
};

describe("access levels × modes", () => {
  for (const level of LEVELS) {
    for (const kod of [false, true]) {
      it(`${level}${kod ? " kod" : ""}`, () => {
        const policy = testPolicy({ access: () => ({ level, kod }), passive: true, allowControl: true });
        const harness = new ServerHarness(policy);
        const outcomes = [request(), request({ mode: 1 }), READVAR].map((datagram) => {
          const decision = harness.send(datagram);
          return decision.reason;
        });
        expect(outcomes).toEqual(EXPECTED[level][kod ? 1 : 0]);
      });
    }
  }

  it("the capability helpers agree with the table", () => {
    expect(LEVELS.filter(permitsTime)).toEqual(["unrestricted", "peer", "serve", "serve-only"]);
    expect(LEVELS.filter(permitsControl)).toEqual(["unrestricted", "peer", "serve", "query-only"]);
    expect(LEVELS.filter(permitsPeering)).toEqual(["unrestricted", "peer"]);
  });
});

describe("DENY kiss-o'-death (RFC 5905 §7.4)", () => {
  const clock = new TestClock();
  const harness = new ServerHarness(testPolicy({ access: () => ({ level: "none", kod: true }) }), clock);
  const datagram = request({ version: 3, pollLog2: 9, precisionLog2: -18, rootDelay: 0x1234 });
  const decision = harness.send(datagram);

  it("is leap 3, stratum 0, reference id DENY, in the request's version", () => {
    expect(decision).toMatchObject({ action: "respond", mode: 4, reason: "kod-deny", length: 48 });
    const decoded = decodePacket(harness.response(decision));
    if (!decoded.ok) throw new Error(decoded.reason);
    expect(decoded.packet).toMatchObject({
      leap: 3,
      version: 3,
      mode: 4,
      stratum: 0,
      pollLog2: 9,
      referenceId: refIdFromAscii("DENY"),
    });
  });

  it("reveals no local time: every timestamp is the client's own transmit timestamp (as ntpd)", () => {
    const decoded = decodePacket(harness.response(decision));
    if (!decoded.ok) throw new Error(decoded.reason);
    const { originTimestamp, receiveTimestamp, transmitTimestamp, precisionLog2, rootDelay } = decoded.packet;
    expect([originTimestamp, receiveTimestamp, transmitTimestamp]).toEqual([
      CLIENT_TRANSMIT,
      CLIENT_TRANSMIT,
      CLIENT_TRANSMIT,
    ]);
    expect([precisionLog2, rootDelay]).toEqual([-18, 0x1234]);
    expect(clock.nowCalls).toBe(0);
  });

  it("is counted by code", () => {
    expect(harness.server.stats.snapshot().kodSent.DENY).toBe(1);
  });

  it("is mode 2 in answer to a symmetric active packet", () => {
    const h = new ServerHarness(testPolicy({ access: () => ({ level: "query-only", kod: true }) }));
    expect(h.send(request({ mode: 1 }))).toMatchObject({ mode: 2, reason: "kod-deny" });
  });
});

describe("RSTR kiss-o'-death", () => {
  it("tells a serve-level source with kod that it may not peer, and is counted", () => {
    const harness = new ServerHarness(
      testPolicy({ access: () => ({ level: "serve", kod: true }), passive: true }),
    );
    const decision = harness.send(request({ mode: 1 }));
    const decoded = decodePacket(harness.response(decision));
    expect(decoded.ok && decoded.packet.referenceId).toBe(refIdFromAscii("RSTR"));
    expect(harness.server.stats.snapshot().kodSent.RSTR).toBe(1);
  });
});

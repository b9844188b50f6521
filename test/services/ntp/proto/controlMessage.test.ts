import { describe, expect, it } from "vitest";
import {
  ControlError,
  ControlOpcode,
  decodeControlRequest,
  MAX_CONTROL_DATA_LENGTH,
} from "../../../../src/services/ntp/proto/controlMessage.js";
import {
  type ControlInformation,
  DEFAULT_CONTROL_INFORMATION,
  formatSystemVariables,
  SYSTEM_VARIABLE_NAMES,
} from "../../../../src/services/ntp/proto/controlResponder.js";
import { refIdFromAscii } from "../../../../src/services/ntp/proto/kissCode.js";
import type { SystemSnapshot } from "../../../../src/services/ntp/proto/serverClock.js";
import {
  CLOCK_NOW,
  ServerHarness,
  SYNCHRONIZED,
  TestClock,
  testPolicy,
  UNSYNCHRONIZED,
} from "./serverTestKit.js";

/** A mode-6 request as ntpq builds it: version 2, opcode, sequence, association, data. */
function query(opcode: number, options: { associationId?: number; data?: string; sequence?: number } = {}) {
  const data = Buffer.from(options.data ?? "", "latin1");
  const datagram = Buffer.alloc(12 + Math.ceil(data.length / 4) * 4);
  datagram[0] = (2 << 3) | 6;
  datagram[1] = opcode;
  datagram.writeUInt16BE(options.sequence ?? 7, 2);
  datagram.writeUInt16BE(options.associationId ?? 0, 6);
  datagram.writeUInt16BE(data.length, 10);
  data.copy(datagram, 12);
  return datagram;
}

interface ParsedResponse {
  leap: number;
  version: number;
  response: boolean;
  error: boolean;
  more: boolean;
  opcode: number;
  sequence: number;
  status: number;
  associationId: number;
  offset: number;
  data: Buffer;
}

function parse(bytes: Buffer): ParsedResponse {
  const count = bytes.readUInt16BE(10);
  return {
    leap: (bytes[0] ?? 0) >>> 6,
    version: ((bytes[0] ?? 0) >>> 3) & 7,
    response: ((bytes[1] ?? 0) & 0x80) !== 0,
    error: ((bytes[1] ?? 0) & 0x40) !== 0,
    more: ((bytes[1] ?? 0) & 0x20) !== 0,
    opcode: (bytes[1] ?? 0) & 0x1f,
    sequence: bytes.readUInt16BE(2),
    status: bytes.readUInt16BE(4),
    associationId: bytes.readUInt16BE(6),
    offset: bytes.readUInt16BE(8),
    data: bytes.subarray(12, 12 + count),
  };
}

function variables(text: string): Map<string, string> {
  return new Map(
    text.split(", ").map((pair) => {
      const equals = pair.indexOf("=");
      return [pair.slice(0, equals), pair.slice(equals + 1)] as const;
    }),
  );
}

const control = (overrides = {}) => testPolicy({ allowControl: true, ...overrides });

describe("mode 6 is answered only with `ntp allow mode control`", () => {
  it("is ignored when off", () => {
    const harness = new ServerHarness(testPolicy());
    expect(harness.send(query(ControlOpcode.ReadVariables))).toEqual({
      action: "ignore",
      reason: "control-disabled",
    });
  });
});

describe("READVAR for association 0 (ntpq -c rv)", () => {
  const harness = new ServerHarness(control());
  const decision = harness.send(query(ControlOpcode.ReadVariables));
  const bytes = harness.response(decision);
  const response = parse(bytes);
  const vars = variables(response.data.toString("latin1"));

  it("is a single final fragment in the request's version, sequence echoed", () => {
    expect(decision).toMatchObject({ action: "respond", mode: 6, reason: "control" });
    expect(response).toMatchObject({
      version: 2,
      response: true,
      error: false,
      more: false,
      opcode: 2,
      sequence: 7,
      associationId: 0,
      offset: 0,
    });
    expect(bytes.length % 4).toBe(0);
    expect(bytes.length).toBeLessThanOrEqual(12 + MAX_CONTROL_DATA_LENGTH);
  });

  it("carries the system status word: leap, clock source UDP/NTP (6)", () => {
    expect(response.status).toBe((0 << 14) | (6 << 8));
  });

  it("lists the minimal variable set in ntpd's formats", () => {
    expect([...vars.keys()]).toEqual([...SYSTEM_VARIABLE_NAMES]);
    expect(Object.fromEntries(vars)).toMatchObject({
      version: '"meridian"',
      leap: "0",
      stratum: "2",
      precision: "-24",
      rootdelay: "15.625",
      rootdisp: "7.813",
      refid: "10.0.0.1",
      reftime: "0xe9a10000.80000000",
      clock: "0xe9a10100.12345678",
      offset: "0.000000",
      tc: "4",
    });
  });

  it("returns just the variables asked for", () => {
    const h = new ServerHarness(control());
    const answer = parse(h.response(h.send(query(ControlOpcode.ReadVariables, { data: "stratum, refid" }))));
    expect(answer.data.toString("latin1")).toBe("stratum=2, refid=10.0.0.1");
  });

  it("answers an unknown variable name with error 5", () => {
    const h = new ServerHarness(control());
    const answer = parse(h.response(h.send(query(ControlOpcode.ReadVariables, { data: "stratum,bogus" }))));
    expect(answer).toMatchObject({ error: true, status: ControlError.UnknownVariable << 8 });
    expect(answer.data.length).toBe(0);
  });
});

describe("system variables reflect the clock", () => {
  it("unsynchronized: leap 3, stratum 16, refid as text, clock source unspecified", () => {
    const harness = new ServerHarness(control(), new TestClock(UNSYNCHRONIZED));
    const response = parse(harness.response(harness.send(query(ControlOpcode.ReadVariables))));
    const vars = variables(response.data.toString("latin1"));
    expect([vars.get("leap"), vars.get("stratum"), vars.get("refid")]).toEqual(["3", "16", "INIT"]);
    expect(response.status).toBe(3 << 14);
    expect(response.leap).toBe(3);
  });

  it("stratum 1: the refid is the ASCII reference name (ntp master 1: LOCL)", () => {
    const system: SystemSnapshot = { ...SYNCHRONIZED, stratum: 1, referenceId: refIdFromAscii("LOCL") };
    const harness = new ServerHarness(control(), new TestClock(system));
    const response = parse(
      harness.response(harness.send(query(ControlOpcode.ReadVariables, { data: "refid" }))),
    );
    expect(response.data.toString("latin1")).toBe("refid=LOCL");
  });

  it("the default list fits one fragment whatever the values", () => {
    const extreme: SystemSnapshot = {
      ...SYNCHRONIZED,
      stratum: 15,
      precisionLog2: -128,
      rootDelaySeconds: -1e300,
      rootDispersionSeconds: Number.NaN,
      referenceId: 0xffffffff,
    };
    const information: ControlInformation = {
      identity: { version: "v".repeat(500), processor: '"",,\u00ff'.repeat(100), system: "s".repeat(500) },
      discipline: () => ({
        offsetSeconds: -1e12,
        frequencyPpm: -1e300,
        systemJitterSeconds: Number.POSITIVE_INFINITY,
        clockJitterSeconds: 1e20,
        clockWanderPpm: -1e20,
        pollLog2: -1e20,
        minPollLog2: -1e20,
        systemPeerAssociationId: -1e20,
      }),
      associations: () => [],
    };
    const text = formatSystemVariables(SYSTEM_VARIABLE_NAMES, extreme, information, CLOCK_NOW);
    expect(text.length).toBeLessThanOrEqual(MAX_CONTROL_DATA_LENGTH);
    expect([...variables(text).keys()]).toEqual([...SYSTEM_VARIABLE_NAMES]);
  });
});

describe("READSTAT for association 0 (ntpq -c as)", () => {
  it("lists association ids and status words from the control information", () => {
    const information: ControlInformation = {
      ...DEFAULT_CONTROL_INFORMATION,
      associations: () => [
        { associationId: 1, statusWord: 0x961a },
        { associationId: 2, statusWord: 0x9014 },
      ],
    };
    const harness = new ServerHarness(control(), new TestClock(), { control: information });
    const response = parse(harness.response(harness.send(query(ControlOpcode.ReadStatus))));
    expect(response).toMatchObject({ opcode: 1, error: false, status: 6 << 8 });
    expect(response.data).toEqual(Buffer.from("0001961a00029014", "hex"));
  });
});

describe("errors", () => {
  const harness = new ServerHarness(control({ controlRateLimit: { intervalLog2: 0, burst: 100 } }));
  const answer = (datagram: Buffer) => parse(harness.response(harness.send(datagram)));

  it("answers other opcodes with error 3 (invalid opcode)", () => {
    expect(answer(query(ControlOpcode.WriteVariables, { data: "leap=1" }))).toMatchObject({
      error: true,
      opcode: 3,
      status: ControlError.InvalidOpcode << 8,
    });
    expect(answer(query(10))).toMatchObject({ error: true, status: ControlError.InvalidOpcode << 8 });
  });

  it("answers other associations with error 4 (no peer variables served here)", () => {
    expect(answer(query(ControlOpcode.ReadVariables, { associationId: 12345 }))).toMatchObject({
      error: true,
      associationId: 12345,
      status: ControlError.UnknownAssociation << 8,
    });
  });

  it("ignores malformed requests and responses", () => {
    const response = query(ControlOpcode.ReadVariables);
    response[1] = 0x82;
    const overrun = query(ControlOpcode.ReadVariables);
    overrun.writeUInt16BE(100, 10);
    const fragment = query(ControlOpcode.ReadVariables);
    fragment.writeUInt16BE(4, 8);
    for (const datagram of [response, overrun, fragment, Buffer.from([0x16, 0x02, 0x00])]) {
      expect(harness.send(datagram)).toEqual({ action: "ignore", reason: "control-malformed" });
    }
  });

  it("decodes requests without throwing and says why it rejects", () => {
    expect(decodeControlRequest(Buffer.alloc(3))).toEqual({ ok: false, reason: "too-short" });
    const v0 = query(1);
    v0[0] = 6;
    expect(decodeControlRequest(v0)).toEqual({ ok: false, reason: "unsupported-version" });
  });
});

describe("access and rate limiting (the amplification gates)", () => {
  it("answers query-only sources and refuses serve-only ones", () => {
    const queryOnly = new ServerHarness(control({ access: () => ({ level: "query-only", kod: true }) }));
    expect(queryOnly.send(query(ControlOpcode.ReadVariables)).reason).toBe("control");
    const serveOnly = new ServerHarness(control({ access: () => ({ level: "serve-only", kod: true }) }));
    expect(serveOnly.send(query(ControlOpcode.ReadVariables))).toEqual({
      action: "ignore",
      reason: "access-denied",
    });
  });

  it("rate limits queries by default: 4 back to back, then one per 2 s", () => {
    const harness = new ServerHarness(control());
    const reasons = Array.from({ length: 6 }, () => harness.send(query(ControlOpcode.ReadVariables)).reason);
    expect(reasons).toEqual(["control", "control", "control", "control", "rate-limited", "rate-limited"]);
    harness.monotonicSeconds += 2;
    expect(harness.send(query(ControlOpcode.ReadVariables)).reason).toBe("control");
    expect(harness.server.stats.snapshot().answered.control).toBe(5);
  });
});

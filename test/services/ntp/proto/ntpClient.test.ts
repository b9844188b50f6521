import { describe, expect, it } from "vitest";
import { refIdFromAscii } from "../../../../src/services/ntp/proto/kissCode.js";
import type { SymmetricKey } from "../../../../src/services/ntp/proto/mac.js";
import { addSeconds, timestampDiffSeconds } from "../../../../src/services/ntp/proto/ntpTimestamp.js";
import { CRYPTO_NAK, decodePacket } from "../../../../src/services/ntp/proto/packet.js";
import { verifyPacketMac } from "../../../../src/services/ntp/proto/packetMac.js";
import { referenceIdForAddress } from "../../../../src/services/ntp/proto/referenceId.js";
import { NtpServer, SERVER_RESPONSE_BUFFER_LENGTH } from "../../../../src/services/ntp/proto/server.js";
import {
  config,
  events,
  exchange,
  kissTo,
  ManualClock,
  newClient,
  pollUntilSend,
  replyTo,
  SERVER,
  sends,
  timerOf,
  trueTime,
} from "./clientTestKit.js";
import { SYNCHRONIZED, TestClock, testPolicy } from "./serverTestKit.js";

const ONE_SERVER = config([{ kind: "server", address: "10.0.0.1" }]);
const KEY: SymmetricKey = { id: 7, algorithm: "sha1", secret: Buffer.from("shared secret") };

function row(client: ReturnType<typeof newClient>, clock: ManualClock, address = "10.0.0.1") {
  const found = client.snapshot(clock.mono).associations.find((a) => a.address === address);
  if (found === undefined) throw new Error(`no association ${address}`);
  return found;
}

describe("polling", () => {
  it("sends a data-minimized mode-3 request and asks for a timer", () => {
    const clock = new ManualClock();
    const client = newClient(clock, ONE_SERVER);
    const first = client.handleTimer(clock.mono);
    expect(sends(first)).toEqual([]);
    expect(timerOf(first)).toBeGreaterThanOrEqual(clock.mono);
    const actions = pollUntilSend(client, clock);
    const [send] = sends(actions);
    expect(send).toMatchObject({ address: "10.0.0.1", port: 123 });
    const decoded = decodePacket(send!.datagram);
    expect(decoded.ok && decoded.packet).toMatchObject({
      mode: 3,
      version: 4,
      stratum: 0,
      pollLog2: 6,
      originTimestamp: { seconds: 0, fraction: 0 },
      receiveTimestamp: { seconds: 0, fraction: 0 },
    });
    // The transmit timestamp is a random cookie, not our time (data minimization).
    const xmt = decoded.ok ? decoded.packet.transmitTimestamp : undefined;
    expect(Math.abs(timestampDiffSeconds(xmt!, clock.now()))).toBeGreaterThan(1);
    // While the frequency is unknown an unanswered request is resent after 2 s.
    expect(timerOf(actions)).toBeCloseTo(clock.mono + 2, 6);
  });

  it("resends an unanswered request three times while the frequency is unknown, then waits a poll", () => {
    const clock = new ManualClock();
    const client = newClient(clock, ONE_SERVER);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      pollUntilSend(client, clock);
      times.push(clock.mono);
    }
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(gaps.slice(0, 3)).toEqual([2, 2, 2]);
    expect(times[4]! - times[0]!).toBeCloseTo(64, 6);
  });

  it("does not resend once the request is answered", () => {
    const clock = new ManualClock();
    const client = newClient(clock, ONE_SERVER);
    const start = clock.mono;
    exchange(client, clock);
    const answeredAt = clock.mono;
    exchange(client, clock);
    expect(clock.mono - answeredAt).toBeGreaterThan(60);
    expect(client.counters()[0]?.counters.sent).toBe(2);
    expect(answeredAt - start).toBeLessThan(3);
  });

  it("honours the port, version and minpoll options", () => {
    const clock = new ManualClock();
    const client = newClient(
      clock,
      config([{ kind: "server", address: "10.0.0.1", port: 10123, version: 3, minpoll: 4 }]),
    );
    const [send] = sends(pollUntilSend(client, clock));
    expect(send?.port).toBe(10123);
    const decoded = decodePacket(send!.datagram);
    expect(decoded.ok && decoded.packet.version).toBe(3);
    expect(decoded.ok && decoded.packet.pollLog2).toBe(4);
  });

  it("iburst sends eight packets two seconds apart while unreachable", () => {
    const clock = new ManualClock();
    const client = newClient(clock, config([{ kind: "server", address: "10.0.0.1", iburst: true }]));
    const times: number[] = [];
    for (let i = 0; i < 8; i++) {
      pollUntilSend(client, clock);
      times.push(clock.mono);
    }
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(gaps).toEqual(new Array(7).fill(2));
    pollUntilSend(client, clock);
    expect(clock.mono - times[0]!).toBeCloseTo(64, 6);
  });

  it("reports a peer unreachable after eight unanswered polls, then backs off", () => {
    const clock = new ManualClock();
    const client = newClient(clock, ONE_SERVER);
    exchange(client, clock);
    const seen = [];
    const pollTimes: number[] = [];
    for (let i = 0; i < 40; i++) {
      seen.push(...events(pollUntilSend(client, clock)));
      pollTimes.push(clock.mono);
    }
    expect(seen).toContainEqual({ kind: "peer-unreachable", peer: "10.0.0.1" });
    expect(seen).toContainEqual({ kind: "sync-lost" });
    const lastGap = pollTimes[39]! - pollTimes[38]!;
    expect(lastGap).toBeGreaterThan(64);
    expect(row(client, clock).reach).toBe(0);
  });
});

describe("a reply", () => {
  it("makes the server reachable, the system peer, and slews the clock", () => {
    const clock = new ManualClock(0.05);
    const client = newClient(clock, ONE_SERVER);
    const actions = exchange(client, clock);
    expect(events(actions)).toEqual([
      { kind: "peer-reachable", peer: "10.0.0.1" },
      { kind: "sync-gained", peer: "10.0.0.1" },
    ]);
    const slew = actions.find((a) => a.kind === "clock");
    expect(slew?.kind === "clock" && slew.adjustment).toMatchObject({ type: "slew" });
    expect(slew?.kind === "clock" && slew.adjustment.offsetSeconds).toBeCloseTo(-0.05, 4);
    const association = row(client, clock);
    expect(association).toMatchObject({
      selection: "sys.peer",
      reach: 1,
      refid: ".GPS.",
      stratum: 1,
      whenSeconds: 0,
    });
    expect(association.offsetMs).toBeCloseTo(-50, 2);
    const system = client.systemSnapshot();
    expect(system).toMatchObject({ synchronized: true, stratum: 2, leap: 0, referenceId: 0x0a000001 });
    expect(client.snapshot(clock.mono).system).toMatchObject({
      synchronized: true,
      referenceName: "10.0.0.1",
    });
  });

  it("converges the clock on a server within a few polls", () => {
    const clock = new ManualClock(0.05);
    const client = newClient(clock, ONE_SERVER);
    for (let i = 0; i < 6; i++) exchange(client, clock);
    clock.mono += 100;
    client.handleTimer(clock.mono);
    expect(Math.abs(clock.errorSeconds)).toBeLessThan(1e-4);
    expect(client.snapshot(clock.mono).system.loopState).toBe("CTRL");
  });

  it("propagates the leap indicator to the system variables", () => {
    const clock = new ManualClock();
    const client = newClient(clock, ONE_SERVER);
    const [send] = sends(pollUntilSend(client, clock));
    client.handlePacket(
      SERVER,
      clock.now(),
      replyTo(send!.datagram, trueTime(clock), { leap: 1 }),
      clock.mono,
    );
    expect(client.systemSnapshot().leap).toBe(1);
  });

  it("from an IPv6 server matches however the address is written, and hashes into the refid", () => {
    const clock = new ManualClock();
    const client = newClient(clock, config([{ kind: "server", address: "2001:DB8:0:0:0:0:0:1" }]));
    const [send] = sends(pollUntilSend(client, clock));
    const actions = client.handlePacket(
      { address: "2001:db8::1", port: 123 },
      clock.now(),
      replyTo(send!.datagram, trueTime(clock)),
      clock.mono,
    );
    expect(events(actions)).toContainEqual({ kind: "sync-gained", peer: "2001:DB8:0:0:0:0:0:1" });
    expect(client.systemSnapshot().referenceId).toBe(referenceIdForAddress("2001:db8::1"));
    expect(client.systemSnapshot().referenceId).not.toBe(0);
  });
});

describe("ref-clock column states", () => {
  it("shows .INIT. and stratum 16 before the first reply, with the empty filter's dispersion", () => {
    const clock = new ManualClock();
    const client = newClient(clock, ONE_SERVER);
    expect(row(client, clock)).toMatchObject({
      refid: ".INIT.",
      stratum: 16,
      reach: 0,
      whenSeconds: undefined,
    });
    expect(row(client, clock).dispersionMs).toBe(15937.5);
    expect(client.snapshot(clock.mono).system).toMatchObject({
      synchronized: false,
      stratum: 16,
      referenceName: undefined,
      loopState: "NSET",
    });
  });

  it("steps a large first offset and shows .STEP. until the next reply", () => {
    const clock = new ManualClock(-1.5);
    const client = newClient(clock, ONE_SERVER);
    const actions = exchange(client, clock);
    const stepped = events(actions).find((e) => e.kind === "clock-stepped");
    expect(stepped).toMatchObject({ kind: "clock-stepped", peer: "10.0.0.1" });
    if (stepped?.kind !== "clock-stepped") throw new Error("no step");
    expect(stepped.offsetSeconds).toBeCloseTo(1.5, 4);
    expect(timestampDiffSeconds(stepped.to, stepped.from)).toBeCloseTo(1.5, 4);
    expect(clock.steps).toHaveLength(1);
    expect(Math.abs(clock.errorSeconds)).toBeLessThan(1e-3);
    expect(row(client, clock)).toMatchObject({
      refid: ".STEP.",
      stratum: 16,
      reach: 0,
      whenSeconds: undefined,
    });
    expect(client.systemSnapshot().synchronized).toBe(false);
    const next = exchange(client, clock);
    expect(events(next)).toContainEqual({ kind: "sync-gained", peer: "10.0.0.1" });
    expect(row(client, clock).refid).toBe(".GPS.");
  });

  it("shows .AUTH. when `ntp authenticate` is on and replies carry no MAC", () => {
    const clock = new ManualClock();
    const client = newClient(
      clock,
      config([{ kind: "server", address: "10.0.0.1" }], { authenticate: true }),
    );
    exchange(client, clock);
    expect(row(client, clock).refid).toBe(".AUTH.");
    expect(client.counters()[0]?.counters.rejected.unauthenticated).toBe(1);
    expect(client.systemSnapshot().synchronized).toBe(false);
  });

  it("shows .AUTH. for a crypto-NAK", () => {
    const clock = new ManualClock();
    const client = newClient(
      clock,
      config([{ kind: "server", address: "10.0.0.1", keyId: 7 }], { keys: new Map([[7, KEY]]) }),
    );
    const [send] = sends(pollUntilSend(client, clock));
    const nak = replyTo(send!.datagram, trueTime(clock), { mac: CRYPTO_NAK });
    client.handlePacket(SERVER, clock.now(), nak, clock.mono);
    expect(row(client, clock).refid).toBe(".AUTH.");
    expect(client.counters()[0]?.counters.rejected["crypto-nak"]).toBe(1);
  });
});

describe("symmetric-key authentication", () => {
  const keyed = config([{ kind: "server", address: "10.0.0.1", keyId: 7 }], {
    keys: new Map([[7, KEY]]),
    authenticate: true,
  });

  it("signs requests with the association's key and accepts signed replies", () => {
    const clock = new ManualClock();
    const client = newClient(clock, keyed);
    const [send] = sends(pollUntilSend(client, clock));
    const decoded = decodePacket(send!.datagram);
    expect(decoded.ok && decoded.packet.mac?.keyId).toBe(7);
    expect(decoded.ok && verifyPacketMac(decoded, KEY)).toBe(true);
    const actions = client.handlePacket(
      SERVER,
      clock.now(),
      replyTo(send!.datagram, trueTime(clock), {}, KEY),
      clock.mono,
    );
    expect(events(actions)).toContainEqual({ kind: "sync-gained", peer: "10.0.0.1" });
    expect(row(client, clock).authenticated).toBe(true);
  });

  it("rejects a reply signed with another key", () => {
    const clock = new ManualClock();
    const client = newClient(clock, keyed);
    const [send] = sends(pollUntilSend(client, clock));
    const wrong: SymmetricKey = { ...KEY, secret: Buffer.from("wrong secret") };
    client.handlePacket(SERVER, clock.now(), replyTo(send!.datagram, trueTime(clock), {}, wrong), clock.mono);
    expect(client.counters()[0]?.counters.rejected["bad-mac"]).toBe(1);
    expect(row(client, clock)).toMatchObject({ refid: ".AUTH.", reach: 0 });
  });

  it("works against the real server core with the same trusted key", () => {
    const clock = new ManualClock();
    const client = newClient(clock, keyed);
    const server = new NtpServer(testPolicy({ keys: new Map([[7, KEY]]) }), new TestClock(SYNCHRONIZED));
    const [send] = sends(pollUntilSend(client, clock));
    const out = Buffer.alloc(SERVER_RESPONSE_BUFFER_LENGTH);
    const decision = server.handle("192.0.2.1", trueTime(clock), send!.datagram, out, clock.mono);
    expect(decision).toMatchObject({ action: "respond", authenticated: true });
    if (decision.action !== "respond") return;
    client.handlePacket(SERVER, clock.now(), out.subarray(0, decision.length), clock.mono);
    expect(client.counters()[0]?.counters.errors).toBe(0);
    expect(row(client, clock).authenticated).toBe(true);
  });
});

describe("kiss-o'-death", () => {
  it("RATE doubles the poll interval and shows .RATE.", () => {
    const clock = new ManualClock();
    const client = newClient(clock, ONE_SERVER);
    const [send] = sends(pollUntilSend(client, clock));
    const actions = client.handlePacket(SERVER, clock.now(), kissTo(send!.datagram, "RATE"), clock.mono);
    expect(events(actions)).toContainEqual({ kind: "kiss-of-death", peer: "10.0.0.1", code: "RATE" });
    expect(row(client, clock)).toMatchObject({ refid: ".RATE.", pollSeconds: 128 });
    const sentAt = clock.mono;
    pollUntilSend(client, clock);
    expect(clock.mono - sentAt).toBeGreaterThanOrEqual(127);
  });

  it("RATE raises the poll to at least the server's", () => {
    const clock = new ManualClock();
    const client = newClient(clock, ONE_SERVER);
    const [send] = sends(pollUntilSend(client, clock));
    client.handlePacket(SERVER, clock.now(), kissTo(send!.datagram, "RATE", 10), clock.mono);
    expect(row(client, clock).pollSeconds).toBe(1024);
  });

  it.each(["DENY", "RSTR"])("%s stops polling for good", (code) => {
    const clock = new ManualClock();
    const client = newClient(clock, ONE_SERVER);
    const [send] = sends(pollUntilSend(client, clock));
    const actions = client.handlePacket(SERVER, clock.now(), kissTo(send!.datagram, code), clock.mono);
    expect(timerOf(actions)).toBeUndefined();
    expect(row(client, clock).refid).toBe(`.${code}.`);
    clock.mono += 100_000;
    expect(sends(client.handleTimer(clock.mono))).toEqual([]);
  });

  it("is ignored unless it answers our request (no spoofed silencing)", () => {
    const clock = new ManualClock();
    const client = newClient(clock, ONE_SERVER);
    const [send] = sends(pollUntilSend(client, clock));
    const spoofed = Buffer.from(kissTo(send!.datagram, "DENY"));
    spoofed.writeUInt32BE(0x12345678, 28); // origin timestamp fraction
    client.handlePacket(SERVER, clock.now(), spoofed, clock.mono);
    expect(row(client, clock).refid).toBe(".INIT.");
    expect(client.counters()[0]?.counters.rejected.bogus).toBe(1);
  });
});

describe("packet tests and counters", () => {
  it("counts a duplicate and a reply to nothing outstanding", () => {
    const clock = new ManualClock();
    const client = newClient(clock, ONE_SERVER);
    const [send] = sends(pollUntilSend(client, clock));
    const reply = replyTo(send!.datagram, trueTime(clock));
    client.handlePacket(SERVER, clock.now(), reply, clock.mono);
    client.handlePacket(SERVER, clock.now(), reply, clock.mono);
    const other = replyTo(send!.datagram, addSeconds(trueTime(clock), 1));
    client.handlePacket(SERVER, clock.now(), other, clock.mono);
    const counters = client.counters()[0]!.counters;
    expect(counters.rejected.duplicate).toBe(1);
    expect(counters.rejected.bogus).toBe(1);
    expect(counters.received).toBe(3);
    expect(row(client, clock)).toMatchObject({ inPackets: 3, outPackets: 1, errorPackets: 2 });
  });

  it("does not synchronize to an unsynchronized server, but counts it reachable", () => {
    const clock = new ManualClock();
    const client = newClient(clock, ONE_SERVER);
    const [send] = sends(pollUntilSend(client, clock));
    const reply = replyTo(send!.datagram, trueTime(clock), { leap: 3, stratum: 16, referenceId: 0 });
    const actions = client.handlePacket(SERVER, clock.now(), reply, clock.mono);
    expect(events(actions)).toEqual([{ kind: "peer-reachable", peer: "10.0.0.1" }]);
    expect(row(client, clock)).toMatchObject({ reach: 1, stratum: 16, selection: "reject" });
    expect(client.counters()[0]?.counters.unsynchronized).toBe(1);
  });

  it("rejects a reply from an unknown source or port without state change", () => {
    const clock = new ManualClock();
    const client = newClient(clock, ONE_SERVER);
    const [send] = sends(pollUntilSend(client, clock));
    const reply = replyTo(send!.datagram, trueTime(clock));
    client.handlePacket({ address: "10.0.0.1", port: 5000 }, clock.now(), reply, clock.mono);
    client.handlePacket({ address: "10.9.9.9", port: 123 }, clock.now(), reply, clock.mono);
    expect(row(client, clock).reach).toBe(0);
  });

  it("refuses an offset over the panic threshold after the first sync", () => {
    const clock = new ManualClock();
    const client = newClient(clock, ONE_SERVER);
    exchange(client, clock);
    exchange(client, clock);
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push(...events(exchange(client, clock, 5000)));
    expect(seen).toContainEqual({ kind: "panic", peer: "10.0.0.1", offsetSeconds: expect.closeTo(5000, 2) });
    expect(clock.steps).toEqual([]);
  });
});

describe("symmetric active peers", () => {
  it("sends mode 1 and takes the peer's mode-2 answer from the real server core", () => {
    const clock = new ManualClock(0.01);
    const client = newClient(clock, config([{ kind: "peer", address: "10.0.0.9" }]));
    const peerClock = new TestClock({
      ...SYNCHRONIZED,
      referenceTimestamp: addSeconds(trueTime(clock), -10),
    });
    const server = new NtpServer(testPolicy({ peers: new Set(["192.0.2.1"]) }), peerClock);
    const [send] = sends(pollUntilSend(client, clock));
    const decoded = decodePacket(send!.datagram);
    expect(decoded.ok && decoded.packet.mode).toBe(1);
    peerClock.nowValue = trueTime(clock);
    const out = Buffer.alloc(SERVER_RESPONSE_BUFFER_LENGTH);
    const decision = server.handle("192.0.2.1", trueTime(clock), send!.datagram, out, clock.mono);
    expect(decision).toMatchObject({ action: "respond", mode: 2 });
    if (decision.action !== "respond") return;
    const actions = client.handlePacket(
      { address: "10.0.0.9", port: 123 },
      clock.now(),
      out.subarray(0, decision.length),
      clock.mono,
    );
    expect(events(actions)).toContainEqual({ kind: "sync-gained", peer: "10.0.0.9" });
    expect(row(client, clock, "10.0.0.9")).toMatchObject({
      ourMode: "active",
      peerMode: "passive",
      kind: "peer",
    });
  });

  it("echoes the peer's transmit timestamp as origin in its next packet (RFC 5905 §9)", () => {
    const clock = new ManualClock();
    const client = newClient(clock, config([{ kind: "peer", address: "10.0.0.9" }]));
    pollUntilSend(client, clock);
    const peerTransmit = addSeconds(trueTime(clock), 0.5);
    const theirs = replyTo(Buffer.alloc(48, 0).fill(0x0b, 0, 1), trueTime(clock), {
      mode: 1,
      originTimestamp: { seconds: 1, fraction: 2 },
      transmitTimestamp: peerTransmit,
    });
    client.handlePacket({ address: "10.0.0.9", port: 123 }, clock.now(), theirs, clock.mono);
    const [next] = sends(pollUntilSend(client, clock));
    const decoded = decodePacket(next!.datagram);
    expect(decoded.ok && decoded.packet.originTimestamp).toEqual(peerTransmit);
    expect(client.counters()[0]?.counters.errors).toBe(0);
  });
});

describe("configuration updates", () => {
  it("keeps the state of associations that stay, and reports losing the system peer", () => {
    const clock = new ManualClock();
    const client = newClient(clock, ONE_SERVER);
    exchange(client, clock);
    const before = row(client, clock);
    const two = config([
      { kind: "server", address: "10.0.0.1", prefer: true },
      { kind: "server", address: "10.0.0.2" },
    ]);
    client.updateConfig(two, clock.mono);
    const after = row(client, clock);
    expect(after).toMatchObject({ id: before.id, reach: before.reach, selection: "sys.peer" });
    expect(row(client, clock, "10.0.0.2")).toMatchObject({ reach: 0, refid: ".INIT." });
    const removed = client.updateConfig(config([{ kind: "server", address: "10.0.0.2" }]), clock.mono);
    expect(events(removed)).toEqual([{ kind: "sync-lost" }]);
    expect(client.snapshot(clock.mono).associations.map((a) => a.address)).toEqual(["10.0.0.2"]);
  });

  it("applies new poll limits to a live association", () => {
    const clock = new ManualClock();
    const client = newClient(clock, ONE_SERVER);
    exchange(client, clock);
    client.updateConfig(
      config([{ kind: "server", address: "10.0.0.1", minpoll: 8, maxpoll: 9 }]),
      clock.mono,
    );
    expect(row(client, clock)).toMatchObject({ pollSeconds: 256, minpoll: 8, maxpoll: 9 });
  });
});

describe("poll adjustment (RFC 5905 §13)", () => {
  it("lengthens the poll while updates are unsurprising, up to maxpoll", () => {
    const clock = new ManualClock();
    const client = newClient(clock, config([{ kind: "server", address: "10.0.0.1", maxpoll: 8 }]));
    const polls: number[] = [];
    for (let i = 0; i < 40; i++) {
      exchange(client, clock);
      polls.push(row(client, clock).pollSeconds);
    }
    expect(polls[0]).toBe(64);
    expect(Math.max(...polls)).toBe(256);
    expect(client.snapshot(clock.mono).system.systemPollSeconds).toBe(256);
  });
});

describe("ntp master", () => {
  it("synchronizes to the local clock at stratum N when there is no upstream", () => {
    const clock = new ManualClock();
    const client = newClient(clock, config([], { masterStratum: 8 }));
    const actions = client.handleTimer(clock.mono);
    expect(events(actions)).toEqual([{ kind: "sync-gained", peer: "127.127.1.1" }]);
    expect(client.systemSnapshot()).toMatchObject({
      synchronized: true,
      stratum: 8,
      referenceId: 0x7f7f0101,
      leap: 0,
    });
    const snapshot = client.snapshot(clock.mono);
    expect(snapshot.associations[0]).toMatchObject({
      address: "127.127.1.1",
      kind: "local",
      refid: ".LOCL.",
      stratum: 7,
      pollSeconds: 16,
      selection: "sys.peer",
    });
    expect(snapshot.system).toMatchObject({ synchronized: true, stratum: 8, referenceName: "127.127.1.1" });
    expect(timerOf(actions)).toBe(clock.mono + 16);
  });

  it("advertises .LOCL. as an ASCII reference at stratum 1", () => {
    const clock = new ManualClock();
    const client = newClient(clock, config([], { masterStratum: 1 }));
    client.handleTimer(clock.mono);
    expect(client.systemSnapshot()).toMatchObject({ stratum: 1, referenceId: refIdFromAscii("LOCL") });
    expect(client.snapshot(clock.mono).system.referenceName).toBe(".LOCL.");
  });

  it("gives way to an upstream source when one answers", () => {
    const clock = new ManualClock();
    const client = newClient(clock, config([{ kind: "server", address: "10.0.0.1" }], { masterStratum: 8 }));
    const actions = exchange(client, clock);
    expect(events(actions)).toContainEqual({ kind: "sync-gained", peer: "10.0.0.1" });
    expect(client.systemSnapshot()).toMatchObject({ stratum: 2, referenceId: 0x0a000001 });
    expect(row(client, clock, "127.127.1.1").selection).toBe("reject");
  });
});

describe("drift", () => {
  it("exports and restores the frequency correction", () => {
    const clock = new ManualClock();
    const client = newClient(clock, ONE_SERVER);
    client.restoreFrequencyPpm(-12.5, clock.mono);
    expect(client.frequencyPpm()).toBeCloseTo(-12.5, 9);
    expect(clock.frequencyPpm()).toBeCloseTo(-12.5, 9);
    expect(client.snapshot(clock.mono).system.drift).toBeCloseTo(-12.5e-6, 12);
  });
});

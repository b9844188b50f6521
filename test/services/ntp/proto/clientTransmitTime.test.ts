/**
 * The runtime refines a request's t1 to when it was really sent (NtpService reads the clock
 * right before the socket send): the time between building and sending must not become offset.
 */
import { describe, expect, it } from "vitest";
import {
  config,
  ManualClock,
  newClient,
  pollUntilSend,
  replyTo,
  SERVER,
  sends,
  trueTime,
} from "./clientTestKit.js";

/** One request built at mono=T, sent `sendLagSeconds` later, answered by a perfect server after 200 µs. */
function measuredOffset(refine: boolean, sendLagSeconds: number): number {
  const clock = new ManualClock();
  const client = newClient(clock, config([{ kind: "server", address: SERVER.address, iburst: true }]));
  const request = sends(pollUntilSend(client, clock))[0]!;
  clock.mono += sendLagSeconds;
  if (refine) client.requestSent(request, request.datagram, clock.now());
  clock.mono += 0.0001;
  const reply = replyTo(request.datagram, trueTime(clock));
  clock.mono += 0.0001;
  client.handlePacket(SERVER, clock.now(), reply, clock.mono);
  const association = client.snapshot(clock.mono).associations.find((a) => a.address === SERVER.address)!;
  return association.filterOffsetMs[0]! / 1000;
}

describe("t1 refined at send time", () => {
  it("a 300 µs lag between building and sending skews the offset by half of it unless refined", () => {
    expect(measuredOffset(false, 0.0003)).toBeCloseTo(0.00015, 6);
    expect(measuredOffset(true, 0.0003)).toBeCloseTo(0, 6);
  });

  it("ignores a sent report for another request or endpoint", () => {
    const clock = new ManualClock();
    const client = newClient(clock, config([{ kind: "server", address: SERVER.address, iburst: true }]));
    const request = sends(pollUntilSend(client, clock))[0]!;
    const other = Buffer.from(request.datagram);
    other[47] = (other[47] ?? 0) ^ 0xff;
    clock.mono += 0.0003;
    client.requestSent(request, other, clock.now());
    client.requestSent({ address: "10.9.9.9", port: 123 }, request.datagram, clock.now());
    clock.mono += 0.0001;
    const reply = replyTo(request.datagram, trueTime(clock));
    clock.mono += 0.0001;
    client.handlePacket(SERVER, clock.now(), reply, clock.mono);
    const offset = client.snapshot(clock.mono).associations.find((a) => a.address === SERVER.address)!
      .filterOffsetMs[0]!;
    expect(offset / 1000).toBeCloseTo(0.00015, 6);
  });
});

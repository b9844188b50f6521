import { afterEach, describe, expect, it } from "vitest";
import { createHostClock } from "../../../../src/services/clock/hostClock.js";
import type {
  DatagramTransport,
  ReceivedDatagram,
} from "../../../../src/services/ntp/io/datagramTransport.js";
import { openDgramTransport } from "../../../../src/services/ntp/io/dgramTransport.js";
import { until } from "./waitUntil.js";

const open: DatagramTransport<unknown>[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

async function openTracked<Time>(address: string, receiveClock: () => Time, port = 0) {
  const transport = await openDgramTransport({ address, port, receiveClock });
  open.push(transport);
  return transport;
}

/** Resolves with the next batch `transport` receives, or rejects after `ms`. */
function nextBatch<Time>(transport: DatagramTransport<Time>, ms = 2000): Promise<ReceivedDatagram<Time>[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no datagram within timeout")), ms);
    transport.onBatch((batch) => {
      clearTimeout(timer);
      // Copy: the batch is only valid during the call.
      resolve(batch.map((d) => ({ ...d, data: Buffer.from(d.data) })));
    });
  });
}

for (const [name, address, family] of [
  ["IPv4", "127.0.0.1", 4],
  ["IPv6", "::1", 6],
] as const) {
  describe(`dgram transport over ${name} loopback`, () => {
    it("binds port 0 to a real port and reports it", async () => {
      const transport = await openTracked(address, () => 0);
      expect(transport.localAddress).toBe(address);
      expect(transport.localPort).toBeGreaterThan(0);
      expect(transport.family).toBe(family);
    });

    it("carries a request and its echo, with source address, port, family and receive time", async () => {
      let ticks = 0;
      const server = await openTracked(address, () => ++ticks);
      const client = await openTracked(address, () => -1);
      server.onBatch((batch) => {
        for (const d of batch) server.send(d.data, d.data.length, d.address, d.port);
      });
      const reply = nextBatch(client);
      const request = Buffer.from("0123456789abcdef0123456789abcdef0123456789abcdef");
      client.send(request, request.length, address, server.localPort);
      const [received, ...rest] = await reply;
      expect(rest).toEqual([]);
      expect(received?.data).toEqual(request);
      expect(received?.address).toBe(address);
      expect(received?.port).toBe(server.localPort);
      expect(received?.family).toBe(family);
      expect(received?.receivedAt).toBe(-1);
      expect(ticks).toBe(1);
      expect(server.stats).toMatchObject({ received: 1, sent: 1, sendErrors: 0 });
      expect(client.stats).toMatchObject({ received: 1, sent: 1, sendErrors: 0 });
    });

    it("sends only the first `length` octets and lets the caller reuse its buffer at once", async () => {
      const server = await openTracked(address, () => 0);
      const client = await openTracked(address, () => 0);
      const arrivals = new Promise<Buffer[]>((resolve) => {
        const got: Buffer[] = [];
        server.onBatch((batch) => {
          for (const d of batch) got.push(Buffer.from(d.data));
          if (got.length === 2) resolve(got);
        });
      });
      const scratch = Buffer.alloc(64, 0xaa);
      client.send(scratch, 48, address, server.localPort);
      scratch.fill(0xbb);
      client.sendBatch([{ data: scratch, length: 20, address, port: server.localPort }]);
      scratch.fill(0xcc);
      const got = await arrivals;
      expect(got.map((b) => [b.length, b[0]])).toEqual(
        expect.arrayContaining([
          [48, 0xaa],
          [20, 0xbb],
        ]),
      );
    });

    it("releases the port on close", async () => {
      const first = await openDgramTransport({ address, port: 0, receiveClock: () => 0 });
      const port = first.localPort;
      await first.close();
      await first.close();
      const second = await openTracked(address, () => 0, port);
      expect(second.localPort).toBe(port);
    });

    it("rejects a port that is taken", async () => {
      const holder = await openTracked(address, () => 0);
      await expect(
        openDgramTransport({ address, port: holder.localPort, receiveClock: () => 0 }),
      ).rejects.toThrow(/EADDRINUSE/);
    });
  });
}

describe("dgram transport receive time", () => {
  it("reads the receive clock between the send and the handler, at sub-microsecond resolution", async () => {
    const clock = createHostClock({ edges: 5 });
    const server = await openTracked("127.0.0.1", () => clock.nowNs());
    const client = await openTracked("127.0.0.1", () => 0n);
    const stamps: { sentNs: bigint; receivedNs: bigint; handledNs: bigint }[] = [];
    let sentNs = 0n;
    let done: () => void = () => {};
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    server.onBatch((batch) => {
      const handledNs = clock.nowNs();
      for (const d of batch) stamps.push({ sentNs, receivedNs: d.receivedAt, handledNs });
      if (stamps.length === 20) done();
      else send();
    });
    const send = (): void => {
      sentNs = clock.nowNs();
      client.send(Buffer.alloc(48), 48, "127.0.0.1", server.localPort);
    };
    send();
    await finished;
    for (const s of stamps) {
      expect(s.receivedNs).toBeGreaterThan(s.sentNs);
      expect(s.receivedNs).toBeLessThanOrEqual(s.handledNs);
    }
    // Not millisecond-quantised: Date.now()-based stamps would all end in 000000.
    expect(stamps.some((s) => s.receivedNs % 1_000_000n !== 0n)).toBe(true);
  });

  it("host clock agrees with Date.now() to the millisecond", () => {
    const clock = createHostClock({ edges: 5 });
    const before = BigInt(Date.now()) * 1_000_000n;
    const ns = clock.nowNs();
    const after = BigInt(Date.now() + 1) * 1_000_000n;
    expect(ns).toBeGreaterThanOrEqual(before);
    expect(ns).toBeLessThanOrEqual(after);
    const parts = clock.now();
    expect(parts.nanos).toBeGreaterThanOrEqual(0);
    expect(parts.nanos).toBeLessThan(1e9);
    expect(Math.abs(parts.seconds * 1000 + parts.nanos / 1e6 - Date.now())).toBeLessThan(2);
    expect(clock.recheck()).toBe(false);
  });
});

describe("dgram transport errors", () => {
  it("counts a send the kernel refuses instead of throwing", async () => {
    const v6only = await openTracked("::1", () => 0);
    v6only.send(Buffer.alloc(48), 48, "127.0.0.1", 9);
    await until(() => v6only.stats.sendErrors === 1);
    expect(v6only.stats.sent).toBe(1);
  });

  it("counts a send after close", async () => {
    const transport = await openDgramTransport({ address: "127.0.0.1", port: 0, receiveClock: () => 0 });
    await transport.close();
    transport.send(Buffer.alloc(48), 48, "127.0.0.1", 9);
    expect(transport.stats.sendErrors).toBe(1);
  });

  it("rejects an address that is not an IP literal", async () => {
    await expect(
      openDgramTransport({ address: "localhost", port: 0, receiveClock: () => 0 }),
    ).rejects.toThrow(TypeError);
  });
});

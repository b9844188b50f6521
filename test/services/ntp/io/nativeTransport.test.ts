/**
 * The native transport (native/udpsock) on loopback. CI builds the addon at `npm ci`, so these
 * tests fail, not skip, when it is missing: a silent fallback to dgram is what they guard against.
 */
import { spawnSync } from "node:child_process";
import { createSocket, type Socket } from "node:dgram";
import { afterEach, describe, expect, it } from "vitest";
import { createHostClock } from "../../../../src/services/clock/hostClock.js";
import type {
  DatagramTransport,
  ReceivedDatagram,
} from "../../../../src/services/ntp/io/datagramTransport.js";
import { findNativeAddon } from "../../../../src/services/ntp/io/nativeAddon.js";
import {
  loadNativeTransport,
  type NativeTransportOptions,
  nativeTransportUnavailableReason,
} from "../../../../src/services/ntp/io/nativeTransport.js";
import {
  addSeconds,
  fromUnixNs,
  type NtpTimestamp,
  timestampDiffSeconds,
} from "../../../../src/services/ntp/proto/ntpTimestamp.js";
import { until } from "./waitUntil.js";

type Transport = DatagramTransport<NtpTimestamp>;

const open: Transport[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
  for (const s of sockets.splice(0)) s.close();
});

const hostClock = createHostClock({ edges: 5 });
const hostNow = (): NtpTimestamp => fromUnixNs(hostClock.nowNs());

async function openNative(
  options: Partial<NativeTransportOptions> & { address: string },
): Promise<Transport> {
  const openTransport = loadNativeTransport();
  if (openTransport === undefined)
    throw new Error(`udpsock addon unavailable: ${nativeTransportUnavailableReason()}`);
  const transport = await openTransport({ port: 0, receiveClock: hostNow, ...options });
  open.push(transport);
  return transport;
}

/** A plain dgram client socket, bound so replies can reach it. */
async function dgramClient(address: string): Promise<Socket> {
  const socket = createSocket(address.includes(":") ? "udp6" : "udp4");
  sockets.push(socket);
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  return socket;
}

function messages(socket: Socket, count: number, ms = 2000): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const got: Buffer[] = [];
    const timer = setTimeout(
      () => reject(new Error(`${got.length} of ${count} datagrams within ${ms} ms`)),
      ms,
    );
    socket.on("message", (m) => {
      got.push(m);
      if (got.length === count) {
        clearTimeout(timer);
        resolve(got);
      }
    });
  });
}

/** Collects every datagram (copied) with the size of the batch it came in. */
function collect(transport: Transport): {
  datagrams: ReceivedDatagram<NtpTimestamp>[];
  batchSizes: number[];
} {
  const datagrams: ReceivedDatagram<NtpTimestamp>[] = [];
  const batchSizes: number[] = [];
  transport.onBatch((batch) => {
    batchSizes.push(batch.length);
    for (const d of batch) datagrams.push({ ...d, data: Buffer.from(d.data) });
  });
  return { datagrams, batchSizes };
}

describe("udpsock addon", () => {
  it("is built and loads (CI builds it at npm ci; see npm run build:native)", () => {
    expect(findNativeAddon("udpsock"), nativeTransportUnavailableReason()).toBeDefined();
    expect(nativeTransportUnavailableReason()).toBeUndefined();
    expect(loadNativeTransport()).toBeTypeOf("function");
  });
});

for (const [name, address, family] of [
  ["IPv4", "127.0.0.1", 4],
  ["IPv6", "::1", 6],
] as const) {
  describe(`native transport over ${name} loopback`, () => {
    it("binds port 0 to a real port and reports it", async () => {
      const transport = await openNative({ address });
      expect(transport.localAddress).toBe(address);
      expect(transport.localPort).toBeGreaterThan(0);
      expect(transport.family).toBe(family);
    });

    it("round trip: source address, port, family, and a reply to the source as received", async () => {
      const server = await openNative({ address });
      server.onBatch((batch) => {
        server.replyBatch(
          batch.map((d) => ({
            to: d,
            data: Buffer.concat([Buffer.from("re:"), d.data]),
            length: d.data.length + 3,
          })),
        );
      });
      const client = await dgramClient(address);
      const replies = messages(client, 1);
      client.send("hello", server.localPort, address);
      expect((await replies)[0]?.toString()).toBe("re:hello");
      expect(server.stats).toMatchObject({ received: 1, sent: 1, sendErrors: 0, oversized: 0 });

      const seen = collect(server);
      client.send("again", server.localPort, address);
      await until(() => seen.datagrams.length === 1);
      const [d] = seen.datagrams;
      expect(d?.data.toString()).toBe("again");
      expect(d?.address).toBe(address);
      expect(d?.port).toBe(client.address().port);
      expect(d?.family).toBe(family);
    });

    it("sends to an address given as text (send, sendBatch, and a reply after its batch ended)", async () => {
      const server = await openNative({ address });
      const client = await dgramClient(address);
      const got = messages(client, 4);
      const port = client.address().port;
      const scratch = Buffer.from("one.");
      server.send(scratch, 3, address, port);
      scratch.fill(0x78); // the transport copied it: reuse is allowed at once
      server.sendBatch([
        { data: Buffer.from("two"), length: 3, address, port },
        { data: Buffer.from("three"), length: 5, address, port },
      ]);
      let kept: ReceivedDatagram<NtpTimestamp> | undefined;
      server.onBatch((batch) => {
        kept = { ...batch[0]! };
      });
      client.send("x", server.localPort, address);
      await until(() => kept !== undefined);
      server.replyBatch([{ to: kept!, data: Buffer.from("late"), length: 4 }]);
      expect((await got).map(String).sort()).toEqual(["late", "one", "three", "two"]);
      expect(server.stats.sent).toBe(4);
    });
  });
}

describe("native transport receive time", () => {
  it("is the kernel arrival time mapped onto the receive clock, whatever the clock's offset", async () => {
    // The appliance clock runs 1000 s ahead of the host: t2 must follow it, not CLOCK_REALTIME.
    const applianceOffsetSeconds = 1000;
    const server = await openNative({
      address: "127.0.0.1",
      receiveClock: () => addSeconds(hostNow(), applianceOffsetSeconds),
    });
    const client = await dgramClient("127.0.0.1");
    const sentAt: NtpTimestamp[] = [];
    const handledAt: NtpTimestamp[] = [];
    const receivedAt: NtpTimestamp[] = [];
    server.onBatch((batch) => {
      handledAt.push(hostNow());
      for (const d of batch) receivedAt.push(d.receivedAt);
    });
    for (let i = 0; i < 20; i++) {
      sentAt.push(hostNow());
      client.send(Buffer.alloc(48), server.localPort, "127.0.0.1");
      await until(() => receivedAt.length === i + 1);
    }
    for (let i = 0; i < 20; i++) {
      const t2 = addSeconds(receivedAt[i]!, -applianceOffsetSeconds);
      const afterSend = timestampDiffSeconds(t2, sentAt[i]!);
      const beforeHandler = timestampDiffSeconds(handledAt[i]!, t2);
      expect(afterSend).toBeGreaterThan(0);
      expect(afterSend).toBeLessThan(0.05);
      expect(beforeHandler).toBeGreaterThanOrEqual(-2e-6); // two clock reads apart
    }
  });

  it("does not include the time the event loop was busy", async () => {
    const server = await openNative({ address: "127.0.0.1" });
    const seen = collect(server);
    const client = await dgramClient("127.0.0.1");
    await new Promise<void>((resolve) =>
      client.send("warm-up", server.localPort, "127.0.0.1", () => resolve()),
    );
    await until(() => seen.datagrams.length === 1);
    // The sender hands the datagram to the kernel in the callback; then the loop stalls 30 ms.
    let sentAt: NtpTimestamp | undefined;
    const stall = new Promise<void>((resolve) => {
      client.send("stalled", server.localPort, "127.0.0.1", () => {
        sentAt = hostNow();
        const until = Date.now() + 30;
        while (Date.now() < until) {}
        resolve();
      });
    });
    await stall;
    await until(() => seen.datagrams.length === 2);
    const waited = timestampDiffSeconds(hostNow(), sentAt!);
    const t2AfterSend = timestampDiffSeconds(seen.datagrams[1]!.receivedAt, sentAt!);
    expect(waited).toBeGreaterThan(0.03);
    // Arrival precedes the send callback on loopback; it must not be ~30 ms late.
    expect(Math.abs(t2AfterSend)).toBeLessThan(0.005);
  });
});

describe("native transport batches", () => {
  it("delivers a burst in few batches, in order, with one handler call per batch", async () => {
    const server = await openNative({ address: "127.0.0.1", batchSize: 8 });
    const seen = collect(server);
    const sender = await openNative({ address: "127.0.0.1" });
    const burst = Array.from({ length: 40 }, (_, i) => ({
      data: Buffer.from(`packet ${i}`),
      length: `packet ${i}`.length,
      address: "127.0.0.1",
      port: server.localPort,
    }));
    sender.sendBatch(burst); // one sendmmsg: all queued before the server's next wake-up
    await until(() => seen.datagrams.length === 40);
    expect(seen.datagrams.map((d) => d.data.toString())).toEqual(burst.map((b) => b.data.toString()));
    expect(Math.max(...seen.batchSizes)).toBe(8);
    expect(seen.batchSizes.length).toBeLessThanOrEqual(10);
    expect(sender.stats).toMatchObject({ sent: 40, sendErrors: 0 });
  });

  it("batch data is a view: valid in the handler, reused afterwards", async () => {
    const server = await openNative({ address: "127.0.0.1", batchSize: 4 });
    const views: Buffer[] = [];
    const copies: string[] = [];
    server.onBatch((batch) => {
      for (const d of batch) {
        views.push(d.data);
        copies.push(d.data.toString());
      }
    });
    const client = await dgramClient("127.0.0.1");
    for (const text of ["first", "second"]) {
      client.send(text, server.localPort, "127.0.0.1");
      await until(() => copies.length === (text === "first" ? 1 : 2));
    }
    expect(copies).toEqual(["first", "second"]);
    expect(views[0]?.buffer).toBe(views[1]?.buffer); // one shared memory, no copy per datagram
  });
});

describe("native transport close", () => {
  it("can close from inside the batch handler: no more batches, no crash, the port is free", async () => {
    const server = await openNative({ address: "127.0.0.1", batchSize: 2 });
    let calls = 0;
    server.onBatch(() => {
      calls++;
      void server.close();
    });
    const sender = await openNative({ address: "127.0.0.1" });
    const port = server.localPort;
    sender.sendBatch(
      Array.from({ length: 10 }, () => ({ data: Buffer.alloc(48), length: 48, address: "127.0.0.1", port })),
    );
    await until(() => calls > 0);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toBe(1);
    server.send(Buffer.alloc(48), 48, "127.0.0.1", sender.localPort);
    expect(server.stats.sendErrors).toBe(1);
    await server.close(); // idempotent
    const again = await openNative({ address: "127.0.0.1", port });
    expect(again.localPort).toBe(port);
  });

  it("rejects a taken port and a non-literal address", async () => {
    const holder = await openNative({ address: "127.0.0.1" });
    await expect(openNative({ address: "127.0.0.1", port: holder.localPort })).rejects.toThrow(/EADDRINUSE/);
    await expect(openNative({ address: "localhost" })).rejects.toThrow(TypeError);
  });
});

describe("native transport errors", () => {
  it("counts what the kernel refuses instead of throwing", async () => {
    const v6only = await openNative({ address: "::1" });
    v6only.send(Buffer.alloc(48), 48, "127.0.0.1", 9); // IPv4-mapped on an IPv6-only socket
    v6only.send(Buffer.alloc(48), 48, "not an address", 9);
    v6only.send(Buffer.alloc(4096), 4096, "::1", 9); // larger than a transmit slot
    expect(v6only.stats).toMatchObject({ sent: 0, sendErrors: 3 });
  });

  it("drops and counts datagrams larger than a receive slot", async () => {
    const server = await openNative({ address: "127.0.0.1" });
    const seen = collect(server);
    const client = await dgramClient("127.0.0.1");
    client.send(Buffer.alloc(3000), server.localPort, "127.0.0.1");
    client.send("small", server.localPort, "127.0.0.1");
    await until(() => seen.datagrams.length === 1);
    expect(seen.datagrams[0]?.data.toString()).toBe("small");
    expect(server.stats).toMatchObject({ received: 2, oversized: 1 });
  });

  it("sends an exception thrown by the handler to 'uncaughtException' and keeps serving", () => {
    const script = `
      import { loadNativeTransport } from "./src/services/ntp/io/nativeTransport.ts";
      import { createSocket } from "node:dgram";
      const transport = await loadNativeTransport()({ address: "127.0.0.1", port: 0, receiveClock: () => ({ seconds: 0, fraction: 0 }) });
      let batches = 0;
      const order = [];
      process.on("uncaughtException", (e) => order.push("uncaught:" + e.message));
      transport.onBatch(() => {
        batches++;
        order.push("batch" + batches);
        process.nextTick(() => order.push("tick" + batches));
        if (batches === 1) throw new Error("boom");
        transport.close();
        setTimeout(() => { console.log(JSON.stringify(order)); client.close(); }, 10);
      });
      const client = createSocket("udp4");
      client.send("a", transport.localPort, "127.0.0.1", () => setTimeout(() => client.send("b", transport.localPort, "127.0.0.1"), 20));
    `;
    const result = runChild(["--import", "tsx", "--input-type=module", "-e", script]);
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(["batch1", "uncaught:boom", "tick1", "batch2", "tick2"]);
  });

  it("releases an open socket when a worker thread exits without closing it (env cleanup hook)", () => {
    const addon = findNativeAddon("udpsock");
    expect(addon).toBeDefined();
    const script = `
      const { Worker } = require("node:worker_threads");
      const dgram = require("node:dgram");
      const worker = new Worker(\`
        const { parentPort } = require("node:worker_threads");
        const udp = require(${JSON.stringify(addon)});
        const s = udp.open("127.0.0.1", 0, true, 8, 2048, 0, 0, () => {});
        parentPort.postMessage(s.port);
      \`, { eval: true });
      worker.once("message", async (port) => {
        await worker.terminate();
        const probe = dgram.createSocket("udp4");
        probe.bind(port, "127.0.0.1", () => { console.log("rebound " + (probe.address().port === port)); probe.close(); });
      });
    `;
    const result = runChild(["-e", script]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe("rebound true");
  });
});

function runChild(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, args, { cwd: process.cwd(), encoding: "utf8", timeout: 20_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

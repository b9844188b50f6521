/**
 * The `logging host` transports on real loopback sockets (ports chosen by the kernel): UDP
 * datagrams, TCP with RFC 6587 octet counting, a collector that is down (bounded queue, drops
 * counted, reconnect with backoff) and one that restarts. Nothing may block the caller.
 */
import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { LoggingHostConfig } from "../../src/config/model.js";
import type { RemoteHostLimits } from "../../src/services/syslog/remoteHost.js";
import { TcpHostSink } from "../../src/services/syslog/tcpHostSink.js";
import { UdpHostSink } from "../../src/services/syslog/udpHostSink.js";

const FAST: RemoteHostLimits = { queueLimit: 64, reconnectInitialMs: 20, reconnectMaxMs: 100 };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function until(done: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}

async function udpCollector(): Promise<{ port: number; received: string[] }> {
  const socket: UdpSocket = createSocket("udp4");
  const received: string[] = [];
  socket.on("message", (m) => received.push(m.toString("utf8")));
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise((resolve) => socket.close(() => resolve())));
  return { port: socket.address().port, received };
}

/** Splits an RFC 6587 octet-counted stream into messages. */
function octetCounted(stream: Buffer): string[] {
  const out: string[] = [];
  let at = 0;
  while (at < stream.length) {
    const space = stream.indexOf(0x20, at);
    if (space < 0) break;
    const length = Number(stream.subarray(at, space).toString("ascii"));
    out.push(stream.subarray(space + 1, space + 1 + length).toString("utf8"));
    at = space + 1 + length;
  }
  return out;
}

interface TcpCollector {
  port: number;
  server: Server;
  streams: Buffer[];
  sockets: Set<Socket>;
  messages(): string[];
}

async function tcpCollector(port = 0): Promise<TcpCollector> {
  const streams: Buffer[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    const index = streams.push(Buffer.alloc(0)) - 1;
    socket.on("data", (d) => {
      streams[index] = Buffer.concat([streams[index] ?? Buffer.alloc(0), d]);
    });
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address();
  const bound = typeof address === "object" && address ? address.port : 0;
  const collector: TcpCollector = {
    port: bound,
    server,
    streams,
    sockets,
    messages: () => streams.flatMap(octetCounted),
  };
  cleanups.push(() => stopServer(collector));
  return collector;
}

async function stopServer(c: TcpCollector): Promise<void> {
  for (const s of c.sockets) s.destroy();
  await new Promise<void>((resolve) => c.server.close(() => resolve()));
}

/** A loopback TCP port with nothing listening (just released by the kernel). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === "object" && address ? address.port : 0;
}

function host(transport: "udp" | "tcp", port: number): LoggingHostConfig {
  return { host: "127.0.0.1", transport, port };
}

describe("UDP", () => {
  it("one datagram per message, byte for byte", async () => {
    const collector = await udpCollector();
    const sink = new UdpHostSink(host("udp", collector.port), FAST);
    cleanups.push(() => sink.close());
    const messages = [
      "<189>1: *Sep 13 09:18:06.323: %SYS-5-CONFIG_I: Configured from console by console",
      "<190>2: é",
    ];
    for (const m of messages) sink.send(m);
    await until(() => collector.received.length === 2);
    expect(collector.received).toEqual(messages);
    await until(() => sink.stats().logged === 2);
    expect(sink.stats()).toEqual({ logged: 2, dropped: 0, linkUp: true });
    expect(sink.localAddress()).toBe("127.0.0.1");
  });

  it("a collector that is not there costs nothing and never throws", async () => {
    const sink = new UdpHostSink(host("udp", await closedPort()), FAST);
    cleanups.push(() => sink.close());
    for (let i = 0; i < 20; i++) {
      sink.send(`<190>${i}: x`);
      await new Promise((r) => setTimeout(r, 2));
    }
    await until(() => sink.stats().logged + sink.stats().dropped === 20);
    expect(sink.stats().logged + sink.stats().dropped).toBe(20);
  });
});

describe("TCP", () => {
  it("octet-counting frames on one connection", async () => {
    const collector = await tcpCollector();
    const sink = new TcpHostSink(host("tcp", collector.port), FAST);
    cleanups.push(() => sink.close());
    const messages = Array.from(
      { length: 50 },
      (_, i) => `<190>${i + 1}: *Sep 13 09:18:06.323: %SYS-6-X: message ${i}`,
    );
    for (const m of messages) sink.send(m);
    await until(() => collector.messages().length === 50);
    expect(collector.messages()).toEqual(messages);
    expect(collector.streams).toHaveLength(1);
    expect(sink.stats()).toEqual({ logged: 50, dropped: 0, linkUp: true });
  });

  it("collector down: a bounded queue keeps the newest, counts the drops, delivers on reconnect", async () => {
    const port = await closedPort();
    const sink = new TcpHostSink(host("tcp", port), { ...FAST, queueLimit: 10 });
    cleanups.push(() => sink.close());
    const started = performance.now();
    for (let i = 0; i < 100; i++) sink.send(`<190>${i}: m${i}`);
    expect(performance.now() - started).toBeLessThan(50);
    await until(() => sink.attempts >= 2);
    expect(sink.stats()).toEqual({ logged: 0, dropped: 90, linkUp: false });
    const collector = await tcpCollector(port);
    await until(() => collector.messages().length === 10);
    expect(collector.messages()).toEqual(Array.from({ length: 10 }, (_, i) => `<190>${90 + i}: m${90 + i}`));
    expect(sink.stats()).toEqual({ logged: 10, dropped: 90, linkUp: true });
  });

  it("a collector restart: the link goes down, comes back, and logging resumes", async () => {
    const first = await tcpCollector();
    const port = first.port;
    const sink = new TcpHostSink(host("tcp", port), FAST);
    cleanups.push(() => sink.close());
    sink.send("<190>1: before");
    await until(() => first.messages().length === 1);
    await stopServer(first);
    await until(() => !sink.stats().linkUp);
    expect(sink.stats().linkUp).toBe(false);
    sink.send("<190>2: during");
    const second = await tcpCollector(port);
    await until(() => second.messages().length === 1);
    sink.send("<190>3: after");
    await until(() => second.messages().length === 2);
    expect(second.messages()).toEqual(["<190>2: during", "<190>3: after"]);
    expect(sink.stats().linkUp).toBe(true);
  });

  it("100,000 messages to a dead collector return at once", async () => {
    const sink = new TcpHostSink(host("tcp", await closedPort()), { ...FAST, queueLimit: 1024 });
    cleanups.push(() => sink.close());
    const started = performance.now();
    for (let i = 0; i < 100_000; i++) sink.send(`<190>${i}: *Sep 13 09:18:06.323: %SYS-6-X: message ${i}`);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(sink.stats().dropped).toBe(100_000 - 1024);
  });
});

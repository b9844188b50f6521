/**
 * Messages per second through the logging pipeline (stamp, sequence, buffer, wire format, UDP
 * send) to a UDP collector in a worker thread on loopback, against a baseline in the same
 * process: the same number of pre-formatted datagrams sent straight from a dgram socket, the
 * floor any Node syslog sender pays. Also the pipeline alone (buffer, no collector).
 */
import { createSocket } from "node:dgram";
import { Worker } from "node:worker_threads";
import { emptyConfig, type RunningConfig } from "../src/config/model.js";
import { SoftwareClock } from "../src/services/clock/softwareClock.js";
import { userLogWarning } from "../src/services/syslog/syslogEvents.js";
import { SyslogService } from "../src/services/syslog/syslogService.js";

export type SyslogBenchRow = Record<string, string | number>;

export interface SyslogBenchOptions {
  readonly messages?: number;
  /** Messages logged per event-loop turn (a busy box logs in bursts, then yields). */
  readonly burst?: number;
}

/** A UDP sink on its own thread: counts datagrams, reports the count when asked. */
const COLLECTOR_SOURCE = `
const { parentPort } = require("node:worker_threads");
const dgram = require("node:dgram");
const socket = dgram.createSocket("udp4");
let count = 0;
socket.on("message", () => { count++; });
socket.bind(0, "127.0.0.1", () => {
  try { socket.setRecvBufferSize(8 * 1024 * 1024); } catch {}
  parentPort.postMessage({ port: socket.address().port });
});
parentPort.on("message", (m) => {
  if (m === "count") parentPort.postMessage({ count });
  if (m === "close") socket.close(() => parentPort.close());
});
`;

interface Collector {
  readonly port: number;
  count(): Promise<number>;
  close(): Promise<void>;
}

async function startCollector(): Promise<Collector> {
  const worker = new Worker(COLLECTOR_SOURCE, { eval: true });
  const port = await new Promise<number>((resolve) =>
    worker.once("message", (m: { port: number }) => resolve(m.port)),
  );
  return {
    port,
    count: () =>
      new Promise<number>((resolve) => {
        worker.once("message", (m: { count: number }) => resolve(m.count));
        worker.postMessage("count");
      }),
    close: async () => {
      worker.postMessage("close");
      await worker.terminate();
    },
  };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** How long the count must stay still before we call everything landed. */
const SETTLE_MS = 100;
const POLL_MS = 5;

/**
 * Wait until the collector's count stops growing; returns it and when it last grew, so the
 * settling wait itself is not charged to the sender.
 */
async function settled(collector: Collector): Promise<{ count: number; atMs: number }> {
  let count = await collector.count();
  let atMs = performance.now();
  while (performance.now() - atMs < SETTLE_MS) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    const now = await collector.count();
    if (now !== count) {
      count = now;
      atMs = performance.now();
    }
  }
  return { count, atMs };
}

function configWith(lines: (c: RunningConfig) => void): RunningConfig {
  const config = emptyConfig();
  lines(config);
  return config;
}

async function baseline(
  collector: Collector,
  messages: number,
  burst: number,
): Promise<{ ms: number; received: number }> {
  const socket = createSocket("udp4");
  await new Promise<void>((resolve) => socket.connect(collector.port, "127.0.0.1", () => resolve()));
  const before = (await settled(collector)).count;
  const text = Buffer.from(
    "<188>233: *Sep 13 09:18:12.291: %SYS-4-USERLOG_WARNING: Message from tty0(user id: ): bench",
  );
  const t0 = performance.now();
  for (let sent = 0; sent < messages; ) {
    for (let i = 0; i < burst && sent < messages; i++, sent++) socket.send(text);
    await turn();
  }
  const end = await settled(collector);
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return { ms: end.atMs - t0, received: end.count - before };
}

async function pipeline(
  config: RunningConfig,
  collector: Collector | undefined,
  messages: number,
  burst: number,
): Promise<{ ms: number; received: number; dropped: number }> {
  const service = new SyslogService(new SoftwareClock(), config);
  // Let the LOGGINGHOST_STARTSTOP line land first so only the benchmark's messages are counted.
  const before = collector ? (await settled(collector)).count : 0;
  const message = userLogWarning("Message from tty0(user id: ): bench");
  const t0 = performance.now();
  for (let logged = 0; logged < messages; ) {
    for (let i = 0; i < burst && logged < messages; i++, logged++) service.log(message);
    await turn();
  }
  const end = collector ? await settled(collector) : { count: messages, atMs: performance.now() };
  const received = end.count - before;
  const ms = end.atMs - t0;
  const dropped = service.status().dropped;
  await service.close();
  return { ms, received, dropped };
}

export async function runSyslogBench(options: SyslogBenchOptions = {}): Promise<SyslogBenchRow[]> {
  const messages = options.messages ?? 200_000;
  const burst = options.burst ?? 256;
  const collector = await startCollector();
  try {
    const udpConfig = configWith((c) =>
      c.logging.hosts.set("udp", { host: "127.0.0.1", transport: "udp", port: collector.port }),
    );
    // Warm both paths up (JIT, socket buffers) before measuring either.
    await baseline(collector, messages / 10, burst);
    await pipeline(udpConfig, collector, messages / 10, burst);
    const base = await baseline(collector, messages, burst);
    const udp = await pipeline(udpConfig, collector, messages, burst);
    const local = await pipeline(emptyConfig(), undefined, messages, burst);
    const perSecond = (n: number, ms: number) => Math.round((n / ms) * 1000);
    const baseRate = perSecond(base.received, base.ms);
    const row = (
      measure: string,
      received: number,
      ms: number,
      dropped: number | string,
    ): SyslogBenchRow => ({
      measure,
      "messages/s": perSecond(received, ms),
      delivered: `${received}/${messages}`,
      dropped,
      "x baseline": (perSecond(received, ms) / baseRate).toFixed(2),
    });
    return [
      row("raw dgram send, pre-formatted (baseline)", base.received, base.ms, "-"),
      row("SyslogService.log -> UDP collector", udp.received, udp.ms, udp.dropped),
      row("SyslogService.log -> buffer only", local.received, local.ms, 0),
    ];
  } finally {
    await collector.close();
  }
}

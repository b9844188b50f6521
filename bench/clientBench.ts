/**
 * Offset error of our NTP client against chronyd on loopback, side by side with a chronyd
 * client of the same server (issue 4). Client and server share the host clock, so every offset
 * a client measures is its error. Both poll every 16 s (IOS minpoll 4); the first samples
 * (convergence) are discarded.
 */
import { Agent } from "../src/agent.js";
import { MemoryStartupStore } from "../src/config/startupStore.js";
import { ChronyClient, ChronyServer, freeUdpPort } from "../test/interop/chronyd.js";

export interface ClientBenchRow extends Record<string, string | number> {
  readonly client: string;
  readonly samples: number;
  readonly "mean µs": string;
  readonly "sd µs": string;
  readonly "max |err| µs": string;
}

const POLL_LOG2 = 4;
const WARMUP_SAMPLES = 2;

function summarize(client: string, offsetsUs: readonly number[]): ClientBenchRow {
  const used = offsetsUs.slice(WARMUP_SAMPLES);
  const mean = used.reduce((a, b) => a + b, 0) / Math.max(1, used.length);
  const sd = Math.sqrt(used.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, used.length - 1));
  const max = used.reduce((a, b) => Math.max(a, Math.abs(b)), 0);
  return {
    client,
    samples: used.length,
    "mean µs": mean.toFixed(1),
    "sd µs": sd.toFixed(1),
    "max |err| µs": max.toFixed(1),
  };
}

export async function runClientBench(durationSeconds = 180): Promise<ClientBenchRow[]> {
  const port = await freeUdpPort();
  const server = new ChronyServer(port);
  server.start();
  const agent = await Agent.start({
    startup: new MemoryStartupStore(
      `ntp server 127.0.0.1 port ${port} iburst minpoll ${POLL_LOG2} maxpoll ${POLL_LOG2}\n`,
    ),
    ntp: { addresses: ["127.0.0.1"], port: 0 },
  });
  const chrony = new ChronyClient({ serverPort: port, pollLog2: POLL_LOG2 });
  chrony.start();
  const ours: number[] = [];
  const theirs: number[] = [];
  let lastOurs: string | undefined;
  let lastTheirs: string | undefined;
  try {
    const deadline = Date.now() + durationSeconds * 1000;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      const a = agent.ntp?.snapshot().associations.find((x) => x.address === "127.0.0.1");
      if (a && a.whenSeconds !== undefined) {
        const key = `${a.receiveTime.seconds}.${a.receiveTime.fraction}`;
        if (key !== lastOurs) {
          lastOurs = key;
          ours.push(a.filterOffsetMs[0] !== undefined ? a.filterOffsetMs[0] * 1000 : a.offsetMs * 1000);
        }
      }
      const t = chrony.tracking();
      const ref = t.get("Ref time (UTC)");
      const last = Number.parseFloat(t.get("Last offset") ?? "NaN");
      if (ref && ref !== lastTheirs && Number.isFinite(last)) {
        lastTheirs = ref;
        theirs.push(last * 1e6);
      }
    }
  } finally {
    await chrony.stop();
    await agent.close();
    await server.stop();
  }
  return [summarize("Meridian client", ours), summarize("chronyd -x client (reference)", theirs)];
}

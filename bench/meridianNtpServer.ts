/**
 * The Meridian appliance serving NTP as a standalone process, for `ntpServerBench.ts`:
 *
 *   node dist/bench/meridianNtpServer.js --port P [--address A] [--key ID:ALGO:HEX]...
 *
 * It boots the real agent from a startup-config (`ntp master 3`, `no ntp rate-limit`, and each
 * key as `ntp authentication-key` + `ntp trusted-key`) — the same code path as the appliance.
 * ALGO is a chrony keyfile name: MD5 (HEX of printable ASCII, as IOS keys are typed) or AES128.
 * Once bound it prints `serving udp=native|dgram mac=native|js` (MERIDIAN_UDP / MERIDIAN_MAC choose)
 * and `listening ADDRESS PORT`. SIGTERM/SIGINT close it.
 */
import { Agent } from "../src/agent.js";
import { MemoryStartupStore } from "../src/config/startupStore.js";

interface ServerArguments {
  readonly address: string;
  readonly port: number;
  readonly keyLines: readonly string[];
}

function keyLines(text: string): string[] {
  const match = /^(\d+):(MD5|SHA1|AES128):([0-9A-Fa-f]+)$/i.exec(text);
  if (!match) throw new Error(`bad --key ${text}: want ID:MD5|SHA1|AES128:HEX`);
  const [, id, algo, hex] = match as unknown as [string, string, string, string];
  const upper = algo.toUpperCase();
  const secret = upper === "AES128" ? hex : Buffer.from(hex, "hex").toString("latin1");
  if (upper !== "AES128" && !/^[\x21-\x7e]+$/.test(secret))
    throw new Error(`--key ${text}: MD5/SHA1 keys must be printable ASCII`);
  const ios = upper === "AES128" ? "cmac-aes-128" : upper.toLowerCase();
  return [`ntp authentication-key ${id} ${ios} ${secret}`, `ntp trusted-key ${id}`];
}

function parseArguments(argv: readonly string[]): ServerArguments {
  let address = "127.0.0.1";
  let port: number | undefined;
  const lines: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`${argv[i]} needs a value`);
    if (argv[i] === "--port") port = Number(value);
    else if (argv[i] === "--address") address = value;
    else if (argv[i] === "--key") lines.push(...keyLines(value));
    else throw new Error(`unknown argument ${argv[i]}`);
    i++;
  }
  if (port === undefined || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error("--port P (0..65535) is required");
  }
  return { address, port, keyLines: lines };
}

async function main(): Promise<void> {
  const args = parseArguments(process.argv.slice(2));
  const startup = ["ntp master 3", "no ntp rate-limit", ...args.keyLines, ""].join("\n");
  const agent = await Agent.start({
    startup: new MemoryStartupStore(startup),
    ntp: { addresses: [args.address], port: args.port },
  });
  if (agent.bootDiagnostics.length)
    throw new Error(`bad bench config: ${JSON.stringify(agent.bootDiagnostics)}`);
  const stop = (): void => {
    void agent.close().then(() => process.exit(0));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  const io = agent.ntp?.io;
  if (io)
    process.stdout.write(
      `serving udp=${io.udp} mac=${io.mac}${io.fallbacks.map((f) => `; ${f}`).join("")}\n`,
    );
  process.stdout.write(`listening ${args.address} ${agent.ntp?.ports[0]}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`meridianNtpServer: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

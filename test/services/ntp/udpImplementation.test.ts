/**
 * The NTP service on either UDP implementation: how it is chosen (listen option, MERIDIAN_UDP,
 * auto), and that a burst is answered correctly when responses go out in chunks from separate
 * reply buffers (origin echoed per request, T2 <= T3, MACs intact).
 */
import { createHash } from "node:crypto";
import { createSocket, type Socket } from "node:dgram";
import { afterEach, describe, expect, it } from "vitest";
import { Agent } from "../../../src/agent.js";
import { MemoryStartupStore } from "../../../src/config/startupStore.js";
import {
  chooseUdpImplementation,
  type UdpImplementation,
} from "../../../src/services/ntp/io/udpImplementation.js";

const running: Agent[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await Promise.all(running.splice(0).map((a) => a.close()));
});

describe("choosing the UDP implementation", () => {
  it("auto takes the native transport where the addon loads (it does on CI)", () => {
    expect(chooseUdpImplementation(undefined, {})).toMatchObject({
      implementation: "native",
      fallbackReason: undefined,
    });
    expect(chooseUdpImplementation("auto", {}).implementation).toBe("native");
  });

  it("MERIDIAN_UDP forces one; an explicit option wins over it; a bad value is an error", () => {
    expect(chooseUdpImplementation(undefined, { MERIDIAN_UDP: "dgram" }).implementation).toBe("dgram");
    expect(chooseUdpImplementation(undefined, { MERIDIAN_UDP: "native" }).implementation).toBe("native");
    expect(chooseUdpImplementation("native", { MERIDIAN_UDP: "dgram" }).implementation).toBe("native");
    expect(chooseUdpImplementation("dgram", { MERIDIAN_UDP: "native" }).implementation).toBe("dgram");
    expect(() => chooseUdpImplementation(undefined, { MERIDIAN_UDP: "fast" })).toThrow(/MERIDIAN_UDP/);
  });
});

const MD5_SECRET = "BurstKey01";
const REQUEST_COUNT = 24;
const NTP_UNIX_OFFSET = 2_208_988_800;

/** A v4 client request with a distinct transmit timestamp; signed with key 9 (MD5) when asked. */
function request(index: number, signed: boolean): Buffer {
  const packet = Buffer.alloc(signed ? 68 : 48);
  packet[0] = 0x23;
  packet.writeUInt32BE(0x1234_0000 + index, 40);
  packet.writeUInt32BE(0xabc0_0000 + index, 44);
  if (signed) {
    packet.writeUInt32BE(9, 48);
    createHash("md5").update(MD5_SECRET).update(packet.subarray(0, 48)).digest().copy(packet, 52);
  }
  return packet;
}

function seconds(packet: Buffer, offset: number): number {
  return packet.readUInt32BE(offset) + packet.readUInt32BE(offset + 4) / 2 ** 32;
}

async function burst(
  udp: UdpImplementation,
  signed: boolean,
): Promise<{ agent: Agent; replies: Buffer[]; sentAt: number }> {
  const config = `ntp master 3\nno ntp rate-limit\nntp authentication-key 9 md5 ${MD5_SECRET}\nntp trusted-key 9\n`;
  const agent = await Agent.start({
    startup: new MemoryStartupStore(config),
    ntp: { addresses: ["127.0.0.1"], port: 0, udp },
  });
  running.push(agent);
  const port = agent.ntp!.ports[0]!;
  const client = createSocket("udp4");
  sockets.push(client);
  await new Promise<void>((resolve) => client.bind(0, "127.0.0.1", resolve));
  const replies = new Promise<Buffer[]>((resolve, reject) => {
    const got: Buffer[] = [];
    const timer = setTimeout(() => reject(new Error(`${got.length} of ${REQUEST_COUNT} replies`)), 3000);
    client.on("message", (m) => {
      got.push(m);
      if (got.length === REQUEST_COUNT) {
        clearTimeout(timer);
        resolve(got);
      }
    });
  });
  const sentAt = Date.now() / 1000 + NTP_UNIX_OFFSET;
  for (let i = 0; i < REQUEST_COUNT; i++) client.send(request(i, signed), port, "127.0.0.1");
  return { agent, replies: await replies, sentAt };
}

for (const udp of ["native", "dgram"] as const) {
  describe(`NtpService on ${udp}`, () => {
    for (const signed of [false, true]) {
      it(`answers a burst of ${REQUEST_COUNT} ${signed ? "MD5-signed" : "plain"} requests, each with its own origin`, async () => {
        const { agent, replies, sentAt } = await burst(udp, signed);
        expect(agent.ntp!.io).toMatchObject({ udp, mac: "native", fallbacks: [] });
        const origins = new Set<number>();
        for (const reply of replies) {
          expect(reply.length).toBe(signed ? 68 : 48);
          expect(reply[0]! & 7).toBe(4);
          expect(reply[1]).toBe(3);
          // The origin timestamp (offset 24) echoes this request's transmit timestamp bit for bit.
          const index = reply.readUInt32BE(24) - 0x1234_0000;
          expect(reply.readUInt32BE(28)).toBe(0xabc0_0000 + index);
          origins.add(index);
          const t2 = seconds(reply, 32);
          const t3 = seconds(reply, 40);
          expect(t3).toBeGreaterThanOrEqual(t2);
          expect(Math.abs(t2 - sentAt)).toBeLessThan(1);
          if (signed) {
            expect(reply.readUInt32BE(48)).toBe(9);
            const mac = createHash("md5").update(MD5_SECRET).update(reply.subarray(0, 48)).digest();
            expect(reply.subarray(52)).toEqual(mac);
          }
        }
        expect(origins.size).toBe(REQUEST_COUNT);
        expect(agent.ntp!.stats.authenticated).toBe(signed ? REQUEST_COUNT : 0);
      });
    }
  });
}

/**
 * The SSH server (ssh2): one listening socket, admission of each connection (login block,
 * a free vty, the vty's `access-class`), and the connections themselves. Closing it stops
 * listening and ends every session.
 */
import { type AddressInfo, createServer, type Server } from "node:net";
import type { Logger } from "pino";
import ssh2, { type ClientInfo, type Connection } from "ssh2";
import { aclPermits } from "../../config/areas/accessConfig.js";
import type { Appliance, SshServerInfo } from "../appliance.js";
import type { HostKey } from "./hostKey.js";
import { LoginGuard } from "./loginGuard.js";
import {
  CIPHERS,
  HOST_KEY_ALGORITHM,
  KEX_ALGORITHMS,
  MACS,
  PUBLIC_KEY_ALGORITHMS,
  SERVER_ALGORITHMS,
} from "./sshAlgorithms.js";
import { SshConnection } from "./sshConnection.js";
import { VtyPool, vtyLine } from "./vtyPool.js";

export interface SshListenOptions {
  readonly address: string;
  /** 0 = a free port (tests). */
  readonly port: number;
}

/** Software version string in the SSH identification (`SSH-2.0-Meridian_0.1`), as IOS sends `Cisco-1.25`. */
const IDENT = "Meridian_0.1";
const CLOSE_GRACE_MS = 2000;

/** `::ffff:10.0.0.1` as `10.0.0.1`: how IOS shows a v4 peer. */
export function plainAddress(address: string | undefined): string {
  if (!address) return "unknown";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped?.[1] ?? address;
}

export class SshServer {
  private readonly vtys = new VtyPool();
  private readonly connections = new Set<SshConnection>();
  private readonly guard: LoginGuard;
  private readonly server: ssh2.Server;
  private readonly listener: Server;

  private constructor(
    private readonly host: Appliance,
    readonly hostKey: HostKey,
    private readonly log: Logger,
  ) {
    this.guard = new LoginGuard(() => host.clock.monotonicMs());
    this.server = new ssh2.Server(
      { hostKeys: [hostKey.privateKey], algorithms: SERVER_ALGORITHMS, ident: IDENT },
      (client, info) => this.admit(client, info),
    );
    // Our own listener hands the sockets to ssh2, with Nagle's algorithm off: otherwise a
    // keystroke's echo can wait for the client's delayed ACK (~40 ms, measured by bench/sshBench).
    this.listener = createServer((socket) => {
      socket.setNoDelay(true);
      this.server.injectSocket(socket);
    });
  }

  /** Listen on `listen` with `hostKey`; resolves once the socket is bound. */
  static async start(
    host: Appliance,
    listen: SshListenOptions,
    hostKey: HostKey,
    log: Logger,
  ): Promise<SshServer> {
    const server = new SshServer(host, hostKey, log);
    const { listener } = server;
    await new Promise<void>((resolve, reject) => {
      listener.once("error", reject);
      listener.listen(listen.port, listen.address, () => {
        listener.off("error", reject);
        listener.on("error", (error: Error) => log.error({ err: error.message }, "ssh server error"));
        resolve();
      });
    });
    return server;
  }

  get port(): number {
    return (this.listener.address() as AddressInfo).port;
  }

  get address(): string {
    return (this.listener.address() as AddressInfo).address;
  }

  /** What `show ip ssh` prints about this server. */
  get info(): SshServerInfo {
    return {
      hostKeyAlgorithm: HOST_KEY_ALGORITHM,
      hostKeyFingerprint: this.hostKey.fingerprint,
      hostPublicKey: this.hostKey.publicKey,
      kex: KEX_ALGORITHMS,
      ciphers: CIPHERS,
      macs: MACS,
      publicKeyAlgorithms: PUBLIC_KEY_ALGORITHMS,
    };
  }

  /** Sessions open now. */
  get sessionCount(): number {
    return this.connections.size;
  }

  /** Stop listening and end every connection. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.listener.close(() => resolve()));
    for (const c of this.connections) c.hangUp("shutdown");
    // A client that never acknowledges the close must not hold the shutdown up.
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CLOSE_GRACE_MS);
    });
    await Promise.race([closed, grace]);
    clearTimeout(timer);
  }

  /** Why a connection from `address` is refused, or the vty it gets. */
  private refusal(address: string): string | { vty: number } {
    if (!this.guard.admits(address)) return "login blocked";
    const config = this.host.config;
    const vty = this.vtys.allocate(config);
    if (vty === undefined) return "no free vty";
    const acl = vtyLine(config, vty)?.accessClass;
    if (acl !== undefined && aclPermits(config, acl, address) === false) {
      this.vtys.release(vty);
      return `access-class ${acl}`;
    }
    return { vty };
  }

  private admit(client: Connection, info: ClientInfo): void {
    const address = plainAddress(info.ip);
    const refusal = this.refusal(address);
    if (typeof refusal === "string") {
      this.log.warn({ source: address, reason: refusal }, "ssh connection refused");
      client.on("error", () => {});
      client.end();
      return;
    }
    const vty = refusal.vty;
    const connection: SshConnection = new SshConnection(
      {
        host: this.host,
        guard: this.guard,
        log: this.log,
        localPort: this.port,
        released: () => {
          this.vtys.release(vty);
          this.connections.delete(connection);
        },
      },
      client,
      address,
      vty,
    );
    this.connections.add(connection);
  }
}

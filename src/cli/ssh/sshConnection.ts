/**
 * One SSH connection on one vty: authentication (publickey, keyboard-interactive, password)
 * under `ip ssh time-out` and `ip ssh authentication-retries`, the login guard, the IOS login
 * messages, and then its session channels — a pty shell, a plain shell, or an exec request.
 */
import type { Logger } from "pino";
import ssh2, { type AuthContext, type Connection, type Session } from "ssh2";
import { DEFAULT_SSH_RETRIES, DEFAULT_SSH_TIMEOUT_SECONDS } from "../../config/areas/accessConfig.js";
import { formatClockUpdate } from "../../services/clock/timeFormat.js";
import type { Appliance } from "../appliance.js";
import { zoneSpec } from "../execCommands.js";
import { CliSession } from "../session.js";
import { runExecRequest } from "./execChannel.js";
import { blockPolicyOf, type LoginGuard } from "./loginGuard.js";
import { ShellChannel } from "./shellChannel.js";
import { type Grant, knowsPublicKey, passwordLogin, publicKeyLogin } from "./userAuth.js";
import { vtyLine } from "./vtyPool.js";

export interface ConnectionContext {
  readonly host: Appliance;
  readonly guard: LoginGuard;
  readonly log: Logger;
  readonly localPort: number;
  /** The vty was given back (the connection closed). */
  readonly released: () => void;
}

const METHODS: ("publickey" | "keyboard-interactive" | "password")[] = [
  "publickey",
  "keyboard-interactive",
  "password",
];
const MS_PER_SECOND = 1000;
const PASSWORD_PROMPT = "Password: ";

export class SshConnection {
  private failures = 0;
  private grant: Grant | undefined;
  private authTimer: NodeJS.Timeout | undefined;
  private readonly shells = new Set<ShellChannel>();
  private closed = false;

  constructor(
    private readonly ctx: ConnectionContext,
    private readonly client: Connection,
    readonly address: string,
    readonly vty: number,
  ) {
    const timeout = ctx.host.config.sshTimeout ?? DEFAULT_SSH_TIMEOUT_SECONDS;
    this.authTimer = setTimeout(() => this.hangUp("authentication timeout"), timeout * MS_PER_SECOND);
    this.authTimer.unref();
    client.on("authentication", (auth) => this.authenticate(auth));
    client.on("ready", () => this.ready());
    client.on("session", (accept) => this.session(accept()));
    client.on("error", (error) =>
      ctx.log.debug({ vty: vty, source: address, err: error.message }, "ssh connection error"),
    );
    client.on("close", () => this.onClose());
  }

  /** End the connection (shutdown, timeouts). */
  hangUp(reason: string): void {
    if (this.closed) return;
    this.ctx.log.info(
      { vty: this.vty, source: this.address, user: this.grant?.name, reason },
      "ssh session closed",
    );
    this.client.end();
  }

  private get line() {
    return vtyLine(this.ctx.host.config, this.vty);
  }

  private authenticate(auth: AuthContext): void {
    const config = this.ctx.host.config;
    switch (auth.method) {
      case "password":
        this.verdict(auth, passwordLogin(config, this.line, auth.username, auth.password));
        break;
      case "keyboard-interactive":
        auth.prompt([{ prompt: PASSWORD_PROMPT, echo: false }], (answers) =>
          this.verdict(auth, passwordLogin(this.ctx.host.config, this.line, auth.username, answers[0] ?? "")),
        );
        break;
      case "publickey":
        this.publicKey(auth);
        break;
      default:
        auth.reject(METHODS);
    }
  }

  /**
   * A key is first offered without a signature (the client asks whether it would do), then
   * signed; only a signature made with a key of the user's pubkey-chain logs in. SHA-1 RSA
   * signatures (`ssh-rsa`) are refused.
   */
  private publicKey(auth: Extract<AuthContext, { method: "publickey" }>): void {
    const config = this.ctx.host.config;
    // ssh2 reports rsa-sha2-256/512 as key type ssh-rsa with a hash; without one it is SHA-1.
    const sha1Rsa = auth.key.algo === "ssh-rsa" && auth.hashAlgo === undefined;
    if (sha1Rsa || !knowsPublicKey(config, auth.username, auth.key.data)) {
      auth.reject(METHODS);
      return;
    }
    if (!auth.signature || !auth.blob) {
      auth.accept(); // the query stage: yes, this key would do
      return;
    }
    const parsed = ssh2.utils.parseKey(`${auth.key.algo} ${auth.key.data.toString("base64")}`);
    const valid = !(parsed instanceof Error) && parsed.verify(auth.blob, auth.signature, auth.hashAlgo);
    this.verdict(auth, valid ? publicKeyLogin(config, this.line, auth.username) : undefined);
  }

  private verdict(auth: AuthContext, grant: Grant | undefined): void {
    if (this.closed) return;
    if (grant) {
      this.grant = grant;
      this.ctx.guard.recordSuccess(this.address);
      auth.accept();
      return;
    }
    this.failed(auth.username, auth.method);
    const retries = this.ctx.host.config.sshRetries ?? DEFAULT_SSH_RETRIES;
    if (++this.failures >= Math.max(1, retries)) {
      auth.reject();
      this.hangUp("authentication retries exceeded");
      return;
    }
    auth.reject(METHODS);
  }

  /** `%SEC_LOGIN-4-LOGIN_FAILED`, pino, and the login guard's count (which may start a block). */
  private failed(user: string, method: string): void {
    const { host, guard, log, localPort } = this.ctx;
    const where = `[user: ${user}] [Source: ${this.address}] [localport: ${localPort}]`;
    host.event(
      `%SEC_LOGIN-4-LOGIN_FAILED: Login failed ${where} [Reason: Login Authentication Failed] at ${this.now()}`,
    );
    log.warn({ user, source: this.address, method, vty: this.vty }, "ssh login failed");
    const policy = blockPolicyOf(host.config);
    const outcome = guard.recordFailure(this.address, policy);
    if (outcome.blockedSeconds === undefined) return;
    log.warn(
      { source: this.address, seconds: outcome.blockedSeconds, scope: outcome.scope },
      "login blocked",
    );
    if (outcome.scope !== "device") return;
    host.event(
      `%SEC_LOGIN-1-QUIET_MODE_ON: Still timeleft for watching failures is ${policy.within} secs, ${where} [Reason: Login Authentication Failed] [ACL: sl_def_acl] at ${this.now()}`,
    );
    setTimeout(
      () =>
        host.event(
          `%SEC_LOGIN-5-QUIET_MODE_OFF: Quiet Mode is OFF, because block period timed out at ${this.now()}`,
        ),
      outcome.blockedSeconds * MS_PER_SECOND,
    ).unref();
  }

  private now(): string {
    const { host } = this.ctx;
    return formatClockUpdate(host.clock.nowMs(), zoneSpec(host));
  }

  private ready(): void {
    if (this.authTimer) clearTimeout(this.authTimer);
    this.authTimer = undefined;
    const { host, log, localPort } = this.ctx;
    const user = this.grant?.name ?? "";
    host.event(
      `%SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: ${user}] [Source: ${this.address}] [localport: ${localPort}] at ${this.now()}`,
    );
    log.info({ user, source: this.address, vty: this.vty, privilege: this.grant?.privilege }, "ssh login");
  }

  private newCliSession(): CliSession {
    const grant = this.grant ?? { name: "", privilege: 1 };
    return new CliSession(this.ctx.host, grant, { line: `vty${this.vty}`, address: this.address });
  }

  private session(session: Session): void {
    let pty: { cols: number; rows: number } | undefined;
    let shell: ShellChannel | undefined;
    session.on("pty", (accept, _reject, info) => {
      pty = { cols: info.cols, rows: info.rows };
      accept?.();
    });
    session.on("window-change", (accept, _reject, info) => {
      if (pty) pty = { cols: info.cols, rows: info.rows };
      shell?.resize(info.cols, info.rows);
      accept?.();
    });
    session.on("env", (accept) => accept?.());
    session.on("shell", (accept) => {
      const channel = accept();
      shell = new ShellChannel(this.ctx.host, this.newCliSession(), channel, {
        pty,
        vty: this.vty,
        hangUp: (reason) => this.hangUp(reason),
      });
      this.shells.add(shell);
      channel.on("close", () => shell && this.shells.delete(shell));
    });
    session.on("exec", (accept, _reject, info) => {
      const channel = accept();
      this.ctx.log.debug({ user: this.grant?.name, vty: this.vty, command: info.command }, "ssh exec");
      runExecRequest(this.newCliSession(), channel, info.command, pty !== undefined);
    });
    session.on("subsystem", (_accept, reject) => reject?.());
    session.on("sftp", (_accept, reject) => reject?.());
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.authTimer) clearTimeout(this.authTimer);
    for (const shell of this.shells) shell.dispose();
    this.shells.clear();
    this.ctx.released();
  }
}

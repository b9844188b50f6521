/**
 * What the daemon prints for a human at start: how to SSH in (the exact command, with port and
 * user), the first-start password once, and the host key fingerprint to check on first contact.
 */
import type { RunningConfig } from "../config/model.js";
import type { FirstBoot } from "./firstBoot.js";

const SSH_PORT = 22;
const PRIVILEGED = 15;

/** The address to type for a listener bound to a wildcard address. */
function reachable(address: string): string {
  if (address === "0.0.0.0") return "127.0.0.1";
  if (address === "::") return "::1";
  return address;
}

/** The user to suggest: the first privilege-15 user, else the first user. */
export function loginUser(config: RunningConfig): string | undefined {
  const users = [...config.users.values()];
  return (users.find((u) => u.privilege >= PRIVILEGED) ?? users[0])?.name;
}

export function sshCommand(user: string, address: string, port: number): string {
  const portOption = port === SSH_PORT ? "" : `-p ${port} `;
  return `ssh ${portOption}${user}@${reachable(address)}`;
}

export interface HintInput {
  readonly config: RunningConfig;
  readonly ssh: { address: string; port: number; fingerprint: string } | undefined;
  readonly firstBoot: FirstBoot | undefined;
}

export function loginHint({ config, ssh, firstBoot }: HintInput): string {
  if (!ssh) return "Meridian is running (no SSH server configured in the settings).\n";
  const user = firstBoot?.user ?? loginUser(config) ?? "USER";
  const lines = [
    "",
    "Meridian is running. Log in with:",
    "",
    `    ${sshCommand(user, ssh.address, ssh.port)}`,
    "",
  ];
  if (firstBoot) {
    lines.push(`Password for ${firstBoot.user}: ${firstBoot.password}`);
    lines.push("(shown this once; the startup-config keeps only its type 9 hash)");
  } else
    lines.push(
      `Password: the one printed at first start (or as configured with 'username ${user} secret ...').`,
    );
  lines.push(`Host key fingerprint: ${ssh.fingerprint}`, "");
  return `${lines.join("\n")}\n`;
}

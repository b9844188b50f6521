/**
 * What a configuration command handler sees: the configuration it changes, the mode frame it
 * runs in (which trustpoint, which line range ...), the parsed arguments, and ways to enter a
 * submode or print an IOS message.
 */
import type { Args } from "../parser/matcher.js";
import type { LineConfig, RunningConfig } from "./model.js";

export type ModeFrame =
  | { readonly mode: "config" }
  | { readonly mode: "config-if"; readonly iface: string }
  | { readonly mode: "config-line"; readonly line: LineConfig }
  | { readonly mode: "config-std-nacl"; readonly acl: string }
  | { readonly mode: "ca-trustpoint"; readonly trustpoint: string }
  | { readonly mode: "config-cert-chain"; readonly chain: string }
  | { readonly mode: "conf-ssh-pubkey" }
  | { readonly mode: "conf-ssh-pubkey-user"; readonly user: string }
  /** Raw entry: certificate hex lines until `quit`. */
  | {
      readonly mode: "cert-hex";
      readonly chain: string;
      readonly kind: "ca" | "self-signed" | "rollover" | "certificate";
      readonly serial: string;
      readonly hex: string[];
    }
  /** Raw entry: an SSH public key typed after `key-string`, until `exit`. */
  | { readonly mode: "key-data"; readonly user: string; readonly data: string[] };

export interface ApplyContext {
  readonly config: RunningConfig;
  readonly frame: ModeFrame;
  readonly args: Args;
  readonly negated: boolean;
  enter(frame: ModeFrame): void;
  /** An informational line the operator sees (IOS prints these without failing the command). */
  say(text: string): void;
}

/** A handler returns an error message (shown as is, e.g. `% Invalid ...`) or nothing. */
export type ConfigHandler = (ctx: ApplyContext) => string | undefined;

export type HandlerTable = Readonly<Record<string, ConfigHandler>>;

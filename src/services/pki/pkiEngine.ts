/**
 * pkijs does its signature checks through a WebCrypto engine; on Node that is node:crypto's
 * webcrypto (node-notes §5). Installed once per process, before the first validation.
 */
import { webcrypto } from "node:crypto";
import * as pkijs from "pkijs";

const ENGINE_NAME = "node";
/** The DOM `Crypto` type pkijs expects (this project compiles without the DOM lib). */
type EngineCrypto = ConstructorParameters<typeof pkijs.CryptoEngine>[0]["crypto"];

let installed = false;

export function ensurePkiEngine(): void {
  if (installed) return;
  // node:crypto's webcrypto implements the DOM Crypto interface pkijs is typed against.
  pkijs.setEngine(
    ENGINE_NAME,
    new pkijs.CryptoEngine({ name: ENGINE_NAME, crypto: webcrypto as unknown as EngineCrypto }),
  );
  installed = true;
}

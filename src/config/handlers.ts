/** Every configuration command handler, by command id (the ids of grammar/*.yaml). */
import type { HandlerTable } from "./applyContext.js";
import { accessHandlers } from "./areas/accessConfig.js";
import { loggingHandlers } from "./areas/loggingConfig.js";
import { ntpHandlers } from "./areas/ntpConfig.js";
import { pkiHandlers } from "./areas/pkiConfig.js";
import { systemHandlers } from "./areas/systemConfig.js";

export const configHandlers: HandlerTable = {
  ...ntpHandlers,
  ...systemHandlers,
  ...loggingHandlers,
  ...pkiHandlers,
  ...accessHandlers,
};

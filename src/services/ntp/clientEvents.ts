/**
 * The NTP client's events as IOS syslog messages (ios-cli.md §2.8), gated on `ntp logging`
 * like IOS gates every %NTP message and the NTP-driven CLOCKUPDATE.
 */

import { formatClockUpdate } from "../clock/timeFormat.js";
import type { ZoneSpec } from "../clock/timeZone.js";
import {
  byNtpPeer,
  clockUpdate,
  ntpPeerReachable,
  ntpPeerSync,
  ntpPeerUnreachable,
  ntpUnsync,
} from "../syslog/syslogEvents.js";
import type { SyslogMessage } from "../syslog/syslogMessage.js";
import type { ClientEvent } from "./proto/clientActions.js";
import { NTP_UNIX_EPOCH_OFFSET_SECONDS, type NtpTimestamp } from "./proto/ntpTimestamp.js";

function unixMs(ts: NtpTimestamp): number {
  // Era 0 spans 1900-2036; later eras come with the 2036 rollover handling of the codec.
  return (ts.seconds - NTP_UNIX_EPOCH_OFFSET_SECONDS) * 1000 + Math.floor((ts.fraction / 2 ** 32) * 1000);
}

/** The syslog message for an event, or undefined for events IOS does not log. */
export function clientEventMessage(event: ClientEvent, zone: ZoneSpec): SyslogMessage | undefined {
  switch (event.kind) {
    case "sync-gained":
      return ntpPeerSync(event.peer);
    case "sync-lost":
      return ntpUnsync();
    case "peer-reachable":
      return ntpPeerReachable(event.peer);
    case "peer-unreachable":
      return ntpPeerUnreachable(event.peer);
    case "clock-stepped":
      return clockUpdate(
        formatClockUpdate(unixMs(event.from), zone),
        formatClockUpdate(unixMs(event.to), zone),
        byNtpPeer(event.peer),
      );
    default:
      return undefined;
  }
}

import { describe, expect, it } from "vitest";
import { renderLoggingRemote, renderLoggingTop } from "../../src/config/areas/loggingConfig.js";
import { emptyConfig } from "../../src/config/model.js";
import { applyLine, configOf } from "../fixtures/handlerHarness.js";

const apply = applyLine;

const top = (...lines: string[]): string[] => renderLoggingTop(configOf(...lines));
const remote = (...lines: string[]): string[] => renderLoggingRemote(configOf(...lines));

describe("defaults", () => {
  it("prints nothing for the factory settings", () => {
    expect(renderLoggingTop(emptyConfig())).toEqual([]);
    expect(renderLoggingRemote(emptyConfig())).toEqual([]);
  });
});

describe("logging buffered", () => {
  it("prints only the non-default parts", () => {
    expect(top("logging buffered 16384 informational")).toEqual(["logging buffered 16384 informational"]);
    expect(top("logging buffered 16384")).toEqual(["logging buffered 16384"]);
    expect(top("logging buffered informational")).toEqual(["logging buffered informational"]);
    expect(top("logging buffered 65535 debugging")).toEqual(["logging buffered 65535"]);
    expect(top("logging buffered 4096 7")).toEqual([]);
  });

  it("accepts a level by number", () => {
    expect(top("logging buffered 3")).toEqual(["logging buffered errors"]);
    expect(top("logging buffered 8192 0")).toEqual(["logging buffered 8192 emergencies"]);
  });

  it("changes only what is typed on re-entry", () => {
    expect(top("logging buffered informational", "logging buffered 16384")).toEqual([
      "logging buffered 16384 informational",
    ]);
    expect(top("logging buffered 16384", "logging buffered warnings")).toEqual([
      "logging buffered 16384 warnings",
    ]);
    expect(top("logging buffered 16384 notifications", "logging buffered")).toEqual([
      "logging buffered 16384 notifications",
    ]);
  });

  it("is off after `no`, and back at defaults when enabled again", () => {
    const c = configOf("logging buffered 16384 informational", "no logging buffered");
    expect(c.logging.buffered).toBeNull();
    expect(renderLoggingTop(c)).toEqual(["no logging buffered"]);
    apply(c, "logging buffered");
    expect(c.logging.buffered).toEqual({ size: 4096, level: 7 });
  });
});

describe("logging console and monitor", () => {
  it("prints `no logging console` when off", () => {
    const c = configOf("no logging console");
    expect(c.logging.console).toBeNull();
    expect(renderLoggingTop(c)).toEqual(["no logging console"]);
    apply(c, "logging console");
    expect(c.logging.console).toBe(7);
    expect(renderLoggingTop(c)).toEqual([]);
  });

  it("prints a non-default level by name", () => {
    expect(top("logging console 4", "logging monitor informational")).toEqual([
      "logging console warnings",
      "logging monitor informational",
    ]);
    expect(top("no logging monitor", "logging buffered 16384")).toEqual([
      "logging buffered 16384",
      "no logging monitor",
    ]);
  });
});

describe("trap, facility, source-interface, origin-id", () => {
  it("prints the trap level only when not informational", () => {
    expect(remote("logging trap debugging")).toEqual(["logging trap debugging"]);
    expect(remote("logging trap 3")).toEqual(["logging trap errors"]);
    expect(remote("logging trap warnings", "no logging trap")).toEqual([]);
    expect(remote("logging trap 2", "logging trap")).toEqual([]);
  });

  it("prints the facility only when not local7", () => {
    expect(remote("logging facility local5")).toEqual(["logging facility local5"]);
    expect(remote("logging facility sys10", "no logging facility")).toEqual([]);
    expect(configOf("logging fac syslog").logging.facility).toBe("syslog");
  });

  it("keeps one source interface, with its VRF", () => {
    expect(remote("logging source-interface Loopback0")).toEqual(["logging source-interface Loopback0"]);
    expect(remote("logging source-interface Loopback0", "logging source-interface Gi0/0 vrf Mgmt")).toEqual([
      "logging source-interface Gi0/0 vrf Mgmt",
    ]);
    expect(remote("logging source-interface Loopback0", "no logging source-interface")).toEqual([]);
  });

  it("prints the origin id", () => {
    expect(remote("logging origin-id hostname")).toEqual(["logging origin-id hostname"]);
    expect(remote("logging origin-id ip")).toEqual(["logging origin-id ip"]);
    expect(remote("logging origin-id string edge-01")).toEqual(["logging origin-id string edge-01"]);
    expect(remote("logging origin-id ip", "no logging origin-id")).toEqual([]);
  });
});

describe("logging host", () => {
  it("prints UDP/514 in the plain form, also when typed the legacy way", () => {
    expect(remote("logging host 10.1.1.1")).toEqual(["logging host 10.1.1.1"]);
    expect(remote("logging 192.168.99.50")).toEqual(["logging host 192.168.99.50"]);
    expect(remote("logging host 10.1.1.1 transport udp port 514")).toEqual(["logging host 10.1.1.1"]);
  });

  it("keeps a non-default transport or port", () => {
    expect(remote("logging host 10.1.10.6 transport udp port 5514")).toEqual([
      "logging host 10.1.10.6 transport udp port 5514",
    ]);
    expect(remote("logging host 10.1.1.1 vrf Mgmt transport tcp")).toEqual([
      "logging host 10.1.1.1 vrf Mgmt transport tcp port 601",
    ]);
    expect(remote("logging host syslog.example transport tcp port 6514")).toEqual([
      "logging host syslog.example transport tcp port 6514",
    ]);
  });

  it("prints nothing at the CLI when a host is added (the STARTSTOP event is the service's)", () => {
    expect(apply(emptyConfig(), "logging host 10.1.10.6 transport udp port 5514").said).toEqual([]);
  });

  it("keys hosts by address, VRF, transport and port", () => {
    const c = configOf(
      "logging host 10.1.1.1",
      "logging host 10.1.1.1 transport udp port 5514",
      "logging host 10.1.1.1 vrf Mgmt",
      "logging 10.1.1.1",
      "logging host 10.1.1.1 transport tcp port 601",
      "logging host 10.1.1.1 transport tcp",
    );
    expect(renderLoggingRemote(c)).toEqual([
      "logging host 10.1.1.1",
      "logging host 10.1.1.1 transport udp port 5514",
      "logging host 10.1.1.1 vrf Mgmt",
      "logging host 10.1.1.1 transport tcp port 601",
    ]);
    apply(c, "no logging host 10.1.1.1 transport udp port 5514");
    expect(c.logging.hosts.size).toBe(3);
    apply(c, "no logging host 10.1.1.1");
    expect(renderLoggingRemote(c)).toEqual(["logging host 10.1.1.1 vrf Mgmt"]);
    apply(c, "no logging 10.1.1.1 vrf Mgmt");
    expect(c.logging.hosts.size).toBe(0);
  });

  it("takes IPv6 addresses and host names", () => {
    expect(remote("logging host 2001:db8::1", "logging host logs.example")).toEqual([
      "logging host 2001:db8::1",
      "logging host logs.example",
    ]);
  });
});

describe("render -> parse -> render", () => {
  it("gives the same text and the same configuration", () => {
    const original = configOf(
      "logging buffered 16384 informational",
      "no logging console",
      "logging monitor 5",
      "logging trap debugging",
      "logging origin-id string edge-01",
      "logging facility local5",
      "logging source-interface Loopback0 vrf Mgmt",
      "logging 192.168.99.50",
      "logging host 10.1.10.6 transport udp port 5514",
      "logging host 10.1.1.1 vrf Mgmt transport tcp",
      "logging host 2001:db8::1",
    );
    const text = [...renderLoggingTop(original), ...renderLoggingRemote(original)];
    const reparsed = configOf(...text);
    expect([...renderLoggingTop(reparsed), ...renderLoggingRemote(reparsed)]).toEqual(text);
    expect(reparsed).toEqual(original);
  });
});

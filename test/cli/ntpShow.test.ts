import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ASSOCIATION_COLUMNS,
  ASSOCIATIONS_HEADER,
  formatListMs,
  renderNtpAssociations,
  renderNtpAssociationsDetail,
  renderNtpStatus,
} from "../../src/cli/show/ntpShow.js";
import type { ZoneSpec } from "../../src/services/clock/timeZone.js";
import type { AssociationSnapshot, SystemStatusSnapshot } from "../../src/services/ntp/ntpSnapshot.js";
import { type NtpTimestamp, ZERO_TIMESTAMP } from "../../src/services/ntp/proto/ntpTimestamp.js";

const LEGEND = " * sys.peer, # selected, + candidate, - outlyer, x falseticker, ~ configured";
const UTC: ZoneSpec = {};
/** The Genie IOS XE detail fixture was captured in JST and relabelled `EST`: a +9 zone. */
const GENIE_EST_PLUS9: ZoneSpec = { zone: { name: "EST", hoursOffset: 9, minutesOffset: 0 } };
/** The IOSv status fixtures: DFA02517 is 18:40:23 UTC, printed 13:40:23 EST. */
const IOSV_EST: ZoneSpec = { zone: { name: "EST", hoursOffset: -5, minutesOffset: 0 } };

/** `DBAB02D6.9E354130` as printed by IOS. */
function ts(hex: string): NtpTimestamp {
  const [seconds = "", fraction = ""] = hex.split(".");
  return { seconds: Number.parseInt(seconds, 16), fraction: Number.parseInt(fraction, 16) };
}

function association(fields: Partial<AssociationSnapshot>): AssociationSnapshot {
  return {
    id: 1,
    address: "192.0.2.1",
    configured: true,
    kind: "server",
    refid: ".INIT.",
    stratum: 16,
    whenSeconds: undefined,
    pollSeconds: 64,
    reach: 0,
    delayMs: 0,
    offsetMs: 0,
    dispersionMs: 15937,
    jitterMs: 0,
    selection: "reject",
    authenticated: false,
    sane: false,
    valid: false,
    ourMode: "client",
    peerMode: "server",
    ourPollSeconds: 64,
    peerPollSeconds: 64,
    rootDelayMs: 0,
    rootDispersionMs: 0,
    syncDistanceMs: 0,
    precisionLog2: -10,
    version: 4,
    inPackets: 0,
    outPackets: 0,
    errorPackets: 0,
    referenceTime: ZERO_TIMESTAMP,
    originTime: ZERO_TIMESTAMP,
    receiveTime: ZERO_TIMESTAMP,
    transmitTime: ZERO_TIMESTAMP,
    filterDelayMs: [0, 0, 0, 0, 0, 0, 0, 0],
    filterOffsetMs: [0, 0, 0, 0, 0, 0, 0, 0],
    filterErrorMs: [0, 0, 0, 0, 0, 0, 0, 0],
    minpoll: 6,
    maxpoll: 10,
    ...fields,
  };
}

function status(fields: Partial<SystemStatusSnapshot>): SystemStatusSnapshot {
  return {
    synchronized: false,
    stratum: 16,
    referenceName: undefined,
    nominalFreqHz: 250,
    actualFreqHz: 250,
    precisionLog2: -10,
    uptimeCentiseconds: 0,
    resolution: 4000,
    referenceTime: ZERO_TIMESTAMP,
    clockOffsetMs: 0,
    rootDelayMs: 0,
    rootDispersionMs: 0,
    peerDispersionMs: 0,
    loopState: "NSET",
    drift: 0,
    systemPollSeconds: 64,
    lastUpdateSecondsAgo: 0,
    ...fields,
  };
}

describe("show ntp associations (ios-cli.md §2.1)", () => {
  it("reproduces the CSR1000v table", () => {
    const rows = [
      association({
        address: "129.6.15.28",
        refid: ".ACTS.",
        stratum: 1,
        whenSeconds: 10,
        pollSeconds: 64,
        reach: 0o3,
        delayMs: 103.59,
        offsetMs: 3.391,
        dispersionMs: 937.9,
        selection: "candidate",
      }),
      association({
        address: "24.56.178.140",
        refid: ".ACTS.",
        stratum: 1,
        whenSeconds: 6,
        pollSeconds: 64,
        reach: 0o3,
        delayMs: 35.535,
        offsetMs: -26.338,
        dispersionMs: 63.457,
        selection: "sys.peer",
      }),
      association({
        address: "128.138.140.44",
        refid: ".NIST.",
        stratum: 1,
        whenSeconds: 67,
        pollSeconds: 128,
        reach: 0o1,
        delayMs: 37.997,
        offsetMs: -23.927,
        dispersionMs: 187.58,
        selection: "candidate",
      }),
    ];
    expect(renderNtpAssociations(rows).join("\n")).toBe(
      [
        "",
        "  address         ref clock       st   when   poll reach  delay  offset   disp",
        "+~129.6.15.28     .ACTS.           1     10     64     3 103.59   3.391 937.90",
        "*~24.56.178.140   .ACTS.           1      6     64     3 35.535 -26.338 63.457",
        "+~128.138.140.44  .NIST.           1     67    128     1 37.997 -23.927 187.58",
        LEGEND,
      ].join("\n"),
    );
  });

  it("reproduces the IOS XE 17.15 ntp master table", () => {
    const master = association({
      address: "127.127.1.1",
      kind: "local",
      refid: ".LOCL.",
      stratum: 7,
      whenSeconds: 7,
      pollSeconds: 16,
      reach: 0o377,
      dispersionMs: 1.204,
      selection: "sys.peer",
    });
    expect(renderNtpAssociations([master])).toEqual([
      "",
      "  address         ref clock       st   when   poll reach  delay  offset   disp",
      "*~127.127.1.1     .LOCL.           7      7     16   377  0.000   0.000  1.204",
      LEGEND,
    ]);
  });

  it("reproduces the unreachable rows: never heard, 15937. dispersion", () => {
    const step = association({ address: "10.36.3.3", refid: ".STEP.", pollSeconds: 512 });
    const init = association({ address: "10.99.12.2", refid: ".INIT.", pollSeconds: 64 });
    expect(renderNtpAssociations([step, init]).slice(2, 4)).toEqual([
      " ~10.36.3.3       .STEP.          16      -    512     0  0.000   0.000 15937.",
      " ~10.99.12.2      .INIT.          16      -     64     0  0.000   0.000 15937.",
    ]);
  });

  it("marks every tally and dynamic associations", () => {
    const tallies = (["sys.peer", "selected", "candidate", "outlyer", "falseticker", "reject"] as const).map(
      (selection) => renderNtpAssociations([association({ selection })])[2]?.slice(0, 1),
    );
    expect(tallies).toEqual(["*", "#", "+", "-", "x", " "]);
    expect(renderNtpAssociations([association({ configured: false })])[2]?.slice(0, 2)).toBe("  ");
  });

  it("lets a long IPv6 address push the row right", () => {
    const row = renderNtpAssociations([association({ address: "2001:db8:1234:5678::123" })])[2] ?? "";
    expect(row).toBe(
      " ~2001:db8:1234:5678::123 .INIT.          16      -     64     0  0.000   0.000 15937.",
    );
  });

  it("fits numbers with up to three decimals (every §2.1 sample value)", () => {
    const samples: Array<[number, number, string]> = [
      [103.59, 6, "103.59"],
      [3.391, 7, "  3.391"],
      [937.9, 6, "937.90"],
      [35.535, 6, "35.535"],
      [-26.338, 7, "-26.338"],
      [63.457, 6, "63.457"],
      [0, 6, " 0.000"],
      [15937, 6, "15937."],
      [1405.39, 7, "1405.39"],
      [1.204, 6, " 1.204"],
      [5.61, 6, " 5.610"],
    ];
    for (const [valueMs, width, text] of samples) expect(formatListMs(valueMs, width)).toBe(text);
  });

  it("keeps every row within the column widths for values in range", () => {
    const c = ASSOCIATION_COLUMNS;
    const fieldEnds = columnEnds();
    const inField = (width: number) =>
      fc.double({ min: -(10 ** (width - 2) - 1), max: 10 ** (width - 1) - 1, noNaN: true });
    const arbitraryRow = fc.record({
      address: fc.ipV4(),
      refid: fc.oneof(fc.ipV4(), fc.constantFrom(".LOCL.", ".INIT.", ".GNSS.", ".AUTH.", ".RATE.")),
      stratum: fc.integer({ min: 0, max: 16 }),
      whenSeconds: fc.option(fc.integer({ min: 0, max: 10 ** c.when - 1 }), { nil: undefined }),
      pollSeconds: fc.integer({ min: 4, max: 17 }).map((log2) => 2 ** log2),
      reach: fc.integer({ min: 0, max: 0o377 }),
      delayMs: inField(c.delay),
      offsetMs: inField(c.offset),
      dispersionMs: inField(c.dispersion),
      selection: fc.constantFrom("sys.peer", "selected", "candidate", "outlyer", "falseticker", "reject"),
      configured: fc.boolean(),
    });
    fc.assert(
      fc.property(arbitraryRow, (fields) => {
        const row = renderNtpAssociations([association(fields)])[2] ?? "";
        expect(row.length).toBe(ASSOCIATIONS_HEADER.length);
        expectNear(row.slice(fieldEnds.delay - c.delay, fieldEnds.delay), fields.delayMs);
        expectNear(row.slice(fieldEnds.offset - c.offset, fieldEnds.offset), fields.offsetMs);
        expectNear(row.slice(fieldEnds.disp - c.dispersion, fieldEnds.disp), fields.dispersionMs);
        expect(Number.parseInt(row.slice(fieldEnds.reach - c.reach, fieldEnds.reach), 8)).toBe(fields.reach);
      }),
      { numRuns: 500 },
    );
  });
});

/** Where each right-aligned column ends: under the last letter of its header word. */
function columnEnds(): { delay: number; offset: number; disp: number; reach: number } {
  const endOf = (word: string) => ASSOCIATIONS_HEADER.indexOf(word) + word.length;
  return { delay: endOf(" delay"), offset: endOf(" offset"), disp: endOf(" disp"), reach: endOf(" reach") };
}

/** The field is the value rounded to the decimals it shows. */
function expectNear(field: string, valueMs: number): void {
  const decimals = field.trim().split(".")[1]?.length ?? 0;
  expect(Math.abs(Number.parseFloat(field) - valueMs)).toBeLessThanOrEqual(0.5 * 10 ** -decimals + 1e-9);
}

describe("show ntp associations detail (ios-cli.md §2.2)", () => {
  const rejected = association({
    id: 62758,
    address: "192.168.255.254",
    refid: "172.16.255.254",
    stratum: 3,
    authenticated: true,
    selection: "reject",
    sane: false,
    valid: false,
    ourPollSeconds: 512,
    peerPollSeconds: 512,
    rootDelayMs: 0,
    rootDispersionMs: 14.52,
    reach: 0o377,
    syncDistanceMs: 28.4,
    delayMs: 0,
    offsetMs: 0,
    dispersionMs: 7.23,
    jitterMs: 0.97,
    precisionLog2: -10,
    inPackets: 27,
    outPackets: 27,
    referenceTime: ts("DBAB02D6.9E354130"),
    originTime: ZERO_TIMESTAMP,
    receiveTime: ts("DBAB046D.A8B43B28"),
    transmitTime: ts("DBAB046D.A8B43B28"),
    filterDelayMs: [0, 1, 0, 0, 0, 0, 0, 0],
    filterOffsetMs: [0, 0.5, 0, 1, 1, 1, 1, 1],
    filterErrorMs: [1.95, 5.89, 9.88, 13.89, 15.84, 17.79, 19.74, 21.76],
  });
  const ourMaster = association({
    id: 62756,
    address: "172.16.255.254",
    refid: "127.127.1.1",
    stratum: 2,
    authenticated: true,
    selection: "sys.peer",
    sane: true,
    valid: true,
    ourPollSeconds: 512,
    peerPollSeconds: 512,
    rootDispersionMs: 2.18,
    reach: 0o177,
    syncDistanceMs: 9.47,
    offsetMs: -1,
    dispersionMs: 5.64,
    jitterMs: 0.97,
    inPackets: 38,
    outPackets: 50,
    referenceTime: ts("DBAB05B9.753F7E30"),
    receiveTime: ts("DBAB05BA.A8B43B28"),
    transmitTime: ts("DBAB05BA.A8B43B28"),
    filterDelayMs: [1, 1, 1, 1, 0, 1, 1, 0],
    filterOffsetMs: [-0.5, -0.5, -0.5, -0.5, -1, -0.5, -0.5, -1],
    filterErrorMs: [1.95, 2.88, 3.81, 4.74, 5.08, 5.11, 7.53, 8.46],
  });

  it("reproduces the Genie IOS XE blocks, times in the +9 EST zone", () => {
    expect(renderNtpAssociationsDetail([rejected, ourMaster], GENIE_EST_PLUS9)).toEqual([
      "192.168.255.254 configured, ipv4, authenticated (' ' reject), insane, invalid, stratum 3",
      // Genie's fixture reads `ref ID 172.16.255.254, time`: its anonymiser swapped the captured
      // 15-character refid 106.162.197.252 for a 14-character one without re-padding (next test).
      "ref ID 172.16.255.254 , time DBAB02D6.9E354130 (16:08:06.618 EST Fri Oct 14 2016)",
      "our mode client, peer mode server, our poll intvl 512, peer poll intvl 512",
      "root delay 0.00 msec, root disp 14.52, reach 377, sync dist 28.40",
      "delay 0.00 msec, offset 0.0000 msec, dispersion 7.23, jitter 0.97 msec",
      "precision 2**10, version 4",
      "assoc id 62758, assoc name 192.168.255.254",
      "assoc in packets 27, assoc out packets 27, assoc error packets 0",
      "org time 00000000.00000000 (09:00:00.000 EST Mon Jan 1 1900)",
      "rec time DBAB046D.A8B43B28 (16:14:53.659 EST Fri Oct 14 2016)",
      "xmt time DBAB046D.A8B43B28 (16:14:53.659 EST Fri Oct 14 2016)",
      "filtdelay =     0.00    1.00    0.00    0.00    0.00    0.00    0.00    0.00",
      "filtoffset =    0.00    0.50    0.00    1.00    1.00    1.00    1.00    1.00",
      "filterror =     1.95    5.89    9.88   13.89   15.84   17.79   19.74   21.76",
      "minpoll = 6, maxpoll = 10",
      "",
      "172.16.255.254 configured, ipv4, authenticated, our_master, sane, valid, stratum 2",
      "ref ID 127.127.1.1    , time DBAB05B9.753F7E30 (16:20:25.458 EST Fri Oct 14 2016)",
      "our mode client, peer mode server, our poll intvl 512, peer poll intvl 512",
      "root delay 0.00 msec, root disp 2.18, reach 177, sync dist 9.47",
      "delay 0.00 msec, offset -1.0000 msec, dispersion 5.64, jitter 0.97 msec",
      "precision 2**10, version 4",
      "assoc id 62756, assoc name 172.16.255.254",
      "assoc in packets 38, assoc out packets 50, assoc error packets 0",
      "org time 00000000.00000000 (09:00:00.000 EST Mon Jan 1 1900)",
      "rec time DBAB05BA.A8B43B28 (16:20:26.659 EST Fri Oct 14 2016)",
      "xmt time DBAB05BA.A8B43B28 (16:20:26.659 EST Fri Oct 14 2016)",
      "filtdelay =     1.00    1.00    1.00    1.00    0.00    1.00    1.00    0.00",
      "filtoffset =   -0.50   -0.50   -0.50   -0.50   -1.00   -0.50   -0.50   -1.00",
      "filterror =     1.95    2.88    3.81    4.74    5.08    5.11    7.53    8.46",
      "minpoll = 6, maxpoll = 10",
    ]);
  });

  it("pads the ref ID to 15 as in the un-anonymised capture", () => {
    const original = { ...rejected, refid: "106.162.197.252" };
    expect(renderNtpAssociationsDetail([original], GENIE_EST_PLUS9)[1]).toBe(
      "ref ID 106.162.197.252, time DBAB02D6.9E354130 (16:08:06.618 EST Fri Oct 14 2016)",
    );
  });

  it("words dynamic, IPv6 and unauthenticated associations", () => {
    const dynamic = association({
      address: "2001:db8::1",
      configured: false,
      selection: "candidate",
      sane: true,
      valid: true,
      stratum: 2,
    });
    expect(renderNtpAssociationsDetail([dynamic], UTC)[0]).toBe(
      "2001:db8::1 dynamic, ipv6, candidate, sane, valid, stratum 2",
    );
    expect(renderNtpAssociationsDetail([association({})], UTC)[0]).toBe(
      "192.0.2.1 configured, ipv4 (' ' reject), insane, invalid, stratum 16",
    );
  });

  it("renders nothing for no associations", () => {
    expect(renderNtpAssociationsDetail([], UTC)).toEqual([]);
  });
});

describe("show ntp status (ios-cli.md §2.3)", () => {
  it("reproduces the IOSv 15.x synchronised sample", () => {
    const synchronised = status({
      synchronized: true,
      stratum: 4,
      // The capture's reference; Genie later anonymised it to 10.16.2.2 keeping the 8 spaces.
      referenceName: "2.2.2.2",
      nominalFreqHz: 1000.0003,
      actualFreqHz: 1000.4589,
      precisionLog2: -14,
      uptimeCentiseconds: 239700,
      resolution: 1000,
      referenceTime: ts("DFA02517.D2F7B9F6"),
      clockOffsetMs: 27.0279,
      rootDelayMs: 5.61,
      rootDispersionMs: 273.61,
      peerDispersionMs: 3.34,
      loopState: "CTRL",
      drift: -0.000458631,
      systemPollSeconds: 64,
      lastUpdateSecondsAgo: 182,
    });
    expect(renderNtpStatus(synchronised, IOSV_EST)).toEqual([
      "Clock is synchronized, stratum 4, reference is 2.2.2.2        ",
      "nominal freq is 1000.0003 Hz, actual freq is 1000.4589 Hz, precision is 2**14",
      "ntp uptime is 239700 (1/100 of seconds), resolution is 1000",
      "reference time is DFA02517.D2F7B9F6 (13:40:23.824 EST Wed Nov 21 2018)",
      "clock offset is 27.0279 msec, root delay is 5.61 msec",
      "root dispersion is 273.61 msec, peer dispersion is 3.34 msec",
      "loopfilter state is 'CTRL' (Normal Controlled Loop), drift is -0.000458631 s/s",
      "system poll interval is 64, last update was 182 sec ago.",
    ]);
  });

  it("reproduces the IOSv unsynchronised sample", () => {
    const lost = status({
      nominalFreqHz: 1000.0003,
      actualFreqHz: 1000.4923,
      precisionLog2: -13,
      uptimeCentiseconds: 1938800,
      resolution: 1000,
      referenceTime: ts("DFA98D6B.F2F229A7"),
      rootDispersionMs: 18.84,
      loopState: "SPIK",
      drift: -0.000491998,
      lastUpdateSecondsAgo: 1301,
    });
    expect(renderNtpStatus(lost, IOSV_EST)).toEqual([
      "Clock is unsynchronized, stratum 16, no reference clock",
      "nominal freq is 1000.0003 Hz, actual freq is 1000.4923 Hz, precision is 2**13",
      "ntp uptime is 1938800 (1/100 of seconds), resolution is 1000",
      "reference time is DFA98D6B.F2F229A7 (16:55:55.949 EST Wed Nov 28 2018)",
      "clock offset is 0.0000 msec, root delay is 0.00 msec",
      "root dispersion is 18.84 msec, peer dispersion is 0.00 msec",
      "loopfilter state is 'SPIK' (Spike), drift is -0.000491998 s/s",
      "system poll interval is 64, last update was 1301 sec ago.",
    ]);
  });

  it("reproduces the IOS XE 17.15 lines right after ntp master 5", () => {
    const settling = status({
      stratum: 5,
      referenceName: "127.127.1.1",
      uptimeCentiseconds: 800,
      resolution: 4000,
      rootDispersionMs: 7939.08,
      peerDispersionMs: 7937.98,
      loopState: "FREQ",
      drift: 0,
      systemPollSeconds: 16,
      lastUpdateSecondsAgo: 9,
    });
    const out = renderNtpStatus(settling, UTC);
    expect(out).toHaveLength(8);
    expect(out[0]).toBe("Clock is unsynchronized, stratum 5, reference is 127.127.1.1    ");
    expect(out[2]).toBe("ntp uptime is 800 (1/100 of seconds), resolution is 4000");
    expect(out[5]).toBe("root dispersion is 7939.08 msec, peer dispersion is 7937.98 msec");
    expect(out[6]).toBe("loopfilter state is 'FREQ' (Drift being measured), drift is 0.000000000 s/s");
    expect(out[7]).toBe("system poll interval is 16, last update was 9 sec ago.");
  });

  it("reproduces the IOS XE 16/17 synchronised values", () => {
    const xe = status({
      synchronized: true,
      stratum: 2,
      referenceName: "216.239.35.12",
      nominalFreqHz: 250,
      actualFreqHz: 249.875,
      precisionLog2: -10,
      uptimeCentiseconds: 97700,
      resolution: 4016,
    });
    const out = renderNtpStatus(xe, UTC);
    expect(out[0]).toBe("Clock is synchronized, stratum 2, reference is 216.239.35.12  ");
    expect(out[1]).toBe("nominal freq is 250.0000 Hz, actual freq is 249.8750 Hz, precision is 2**10");
    expect(out[2]).toBe("ntp uptime is 97700 (1/100 of seconds), resolution is 4016");
  });

  it("shows a never-synchronised client", () => {
    const out = renderNtpStatus(status({ loopState: "NSET" }), UTC);
    expect(out[0]).toBe("Clock is unsynchronized, stratum 16, no reference clock");
    expect(out[3]).toBe("reference time is 00000000.00000000 (00:00:00.000 UTC Mon Jan 1 1900)");
    expect(out[6]).toBe("loopfilter state is 'NSET' (Never set), drift is 0.000000000 s/s");
  });

  it("shows a stratum 1 master's ASCII reference", () => {
    const master = status({ synchronized: true, stratum: 1, referenceName: ".LOCL." });
    expect(renderNtpStatus(master, UTC)[0]).toBe(
      "Clock is synchronized, stratum 1, reference is .LOCL.         ",
    );
  });

  it("places timestamps with the top bit clear after 2036 (RFC 4330 §3)", () => {
    const after2036 = status({ referenceTime: ts("00000001.00000000") });
    expect(renderNtpStatus(after2036, UTC)[3]).toBe(
      "reference time is 00000001.00000000 (06:28:17.000 UTC Thu Feb 7 2036)",
    );
  });
});

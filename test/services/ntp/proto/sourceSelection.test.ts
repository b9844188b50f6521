import { describe, expect, it } from "vitest";
import {
  cluster,
  combine,
  intersect,
  type SelectionCandidate,
  selectSources,
} from "../../../../src/services/ntp/proto/sourceSelection.js";

let nextId = 1;
function source(
  offsetMs: number,
  distanceMs: number,
  extra: Partial<SelectionCandidate> = {},
): SelectionCandidate {
  return {
    id: nextId++,
    offsetSeconds: offsetMs / 1000,
    rootDistanceSeconds: distanceMs / 1000,
    stratum: 1,
    jitterSeconds: 0.0001,
    prefer: false,
    ...extra,
  };
}

describe("intersection (Marzullo, RFC 5905 A.5.5.1)", () => {
  it("with one source is that source's interval", () => {
    expect(intersect([source(5, 2)])).toMatchObject({ lowSeconds: 0.003, highSeconds: 0.007, allowed: 0 });
  });

  it("of agreeing sources is where they all overlap", () => {
    const result = intersect([source(0, 10), source(5, 10), source(8, 10)]);
    expect(result?.allowed).toBe(0);
    expect(result?.lowSeconds).toBeCloseTo(-0.002, 9);
    expect(result?.highSeconds).toBeCloseTo(0.01, 9);
  });

  it("allows one falseticker among four", () => {
    const result = intersect([source(0, 1), source(0.5, 1), source(-0.3, 1), source(1000, 1)]);
    expect(result?.allowed).toBe(1);
    expect(result?.highSeconds).toBeLessThan(0.002);
  });

  it("finds no majority between two disjoint sources", () => {
    expect(intersect([source(0, 1), source(100, 1)])).toBeUndefined();
  });

  it("finds no majority when two of four disagree with the other two", () => {
    expect(intersect([source(0, 1), source(0.5, 1), source(100, 1), source(100.5, 1)])).toBeUndefined();
  });

  it("requires the intersection to hold the truechimers' midpoints (RFC 5905), not just to overlap", () => {
    expect(intersect([source(0, 5), source(7, 5)])).toBeUndefined();
    expect(intersect([source(0, 10), source(3, 5)])).toMatchObject({ allowed: 0 });
  });

  it("with three sources, one disjoint, keeps the two that agree", () => {
    const a = source(0, 2);
    const b = source(1, 2);
    const c = source(50, 2);
    const result = selectSources([a, b, c], undefined);
    expect(result.falsetickers).toEqual([c.id]);
    expect([...result.survivors].sort()).toEqual([a.id, b.id].sort());
  });
});

describe("selection", () => {
  it("marks the falseticker and never makes it the system peer", () => {
    const good = [source(0, 1), source(0.2, 1), source(-0.1, 1)];
    const liar = source(1000, 1, { stratum: 1 });
    const result = selectSources([liar, ...good], undefined);
    expect(result.falsetickers).toEqual([liar.id]);
    expect(result.systemPeer).not.toBe(liar.id);
    expect(result.survivors).toHaveLength(3);
  });

  it("marks everyone falseticker when there is no majority", () => {
    const result = selectSources([source(0, 1), source(100, 1)], undefined);
    expect(result.systemPeer).toBeUndefined();
    expect(result.falsetickers).toHaveLength(2);
  });

  it("prefers the lowest stratum, then the shortest distance", () => {
    const far = source(0, 5, { stratum: 1 });
    const near = source(0, 1, { stratum: 2 });
    const best = source(0, 2, { stratum: 1 });
    expect(selectSources([near, far, best], undefined).systemPeer).toBe(best.id);
  });

  it("honours prefer among the survivors", () => {
    const best = source(0, 1);
    const preferred = source(0.1, 3, { prefer: true, stratum: 2 });
    expect(selectSources([best, preferred], undefined).systemPeer).toBe(preferred.id);
  });

  it("does not honour prefer on a falseticker", () => {
    const good = [source(0, 1), source(0.1, 1), source(0.2, 1)];
    const preferredLiar = source(500, 1, { prefer: true });
    expect(selectSources([...good, preferredLiar], undefined).systemPeer).not.toBe(preferredLiar.id);
  });

  it("keeps the incumbent system peer when it survives at the best stratum (no clock hopping)", () => {
    const a = source(0, 1);
    const b = source(0.1, 2);
    expect(selectSources([a, b], b.id).systemPeer).toBe(b.id);
  });
});

describe("clustering (RFC 5905 A.5.5.2)", () => {
  it("drops the survivor farthest from the others while more than three remain and it is noisier than the sources", () => {
    const steady = { jitterSeconds: 0.002 };
    const close = [
      source(0, 50, steady),
      source(1, 50, steady),
      source(-1, 50, steady),
      source(0.5, 50, steady),
    ];
    const outlier = source(30, 50, steady);
    const { survivors, outlyers } = cluster([...close, outlier]);
    expect(outlyers.map((c) => c.id)).toEqual([outlier.id]);
    expect(survivors).toHaveLength(4);
  });

  it("keeps at least three", () => {
    const { survivors, outlyers } = cluster([source(0, 50), source(10, 50), source(-10, 50)]);
    expect(survivors).toHaveLength(3);
    expect(outlyers).toHaveLength(0);
  });

  it("stops when the selection jitter is below the sources' own jitter", () => {
    const noisy = { jitterSeconds: 0.1 };
    const { outlyers } = cluster([
      source(0, 50, noisy),
      source(5, 50, noisy),
      source(-5, 50, noisy),
      source(10, 50, noisy),
    ]);
    expect(outlyers).toHaveLength(0);
  });
});

describe("combining (RFC 5905 A.5.5.5)", () => {
  it("weights by the inverse root distance", () => {
    const value = combine(
      [
        { rootDistanceSeconds: 1, offset: 0 },
        { rootDistanceSeconds: 0.5, offset: 3 },
      ],
      (s) => s.offset,
    );
    expect(value).toBeCloseTo(2, 12);
  });
});

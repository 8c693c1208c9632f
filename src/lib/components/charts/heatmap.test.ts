import { describe, expect, it } from 'vitest';
import { heatColour, heatGrid, heatScale, inkOn } from './heatmap.ts';

describe('heatGrid', () => {
  it('places points (first axis fastest) in rows of the second parameter, gaps where unmeasured', () => {
    const xs = [1, 2, 3];
    const ys = [10, 20];
    const points = ys.flatMap((y) => xs.map((x) => ({ values: [x, y], metric: x === 2 && y === 20 ? null : { mean: x * y, ci: [x * y - 1, x * y + 1] as [number, number] } })));
    const g = heatGrid(points);
    expect(g.xs).toEqual(xs);
    expect(g.ys).toEqual(ys);
    expect(g.cells[0].map((c) => c?.mean)).toEqual([10, 20, 30]);
    expect(g.cells[1].map((c) => c?.mean ?? null)).toEqual([20, null, 60]);
    expect(g.cells[1][2]!.point).toBe(5);
    expect([g.min, g.max, g.measured]).toEqual([10, 60, 5]);
  });

  it('one parameter: a single row; nothing measured: NaN bounds', () => {
    const g = heatGrid([{ values: [1], metric: null }, { values: [2], metric: { mean: NaN, ci: [NaN, NaN] } }]);
    expect(g.ys).toEqual([0]);
    expect(g.measured).toBe(0);
    expect(g.min).toBeNaN();
  });
});

describe('colour scale', () => {
  it('runs from light to dark, clamps, and greys NaN', () => {
    const lum = ([r, g, b]: number[]) => 0.299 * r + 0.587 * g + 0.114 * b;
    const ts = [0, 0.25, 0.5, 0.75, 1];
    const l = ts.map((t) => lum(heatColour(t)));
    for (let i = 1; i < l.length; i++) expect(l[i]).toBeLessThan(l[i - 1]);
    expect(heatColour(-1)).toEqual(heatColour(0));
    expect(heatColour(2)).toEqual(heatColour(1));
    expect(heatColour(NaN)).toEqual([200, 200, 200]);
    expect(inkOn(heatColour(0))).toBe('#1d2430');
    expect(inkOn(heatColour(1))).toBe('#ffffff');
  });

  it('is linear over a small range and logarithmic over a wide positive one', () => {
    const lin = heatScale(2, 4);
    expect(lin.log).toBe(false);
    expect(lin.t(3)).toBeCloseTo(0.5, 12);
    const log = heatScale(0.01, 100);
    expect(log.log).toBe(true);
    expect(log.t(1)).toBeCloseTo(0.5, 12);
    expect(heatScale(5, 5).t(5)).toBe(0.5);
  });
});

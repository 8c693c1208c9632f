/**
 * A two-parameter sweep as a grid for the heat map (SweepHeatMap.svelte): columns are the first
 * parameter's values, rows the second's, each cell the metric's mean (null until measured), and
 * a sequential colour scale. Pure functions, unit-tested; the component only draws.
 */
import type { SweepPointLike } from './chartData.ts';

export interface HeatGrid {
  /** The first parameter's values, in plan order (columns, left to right). */
  xs: number[];
  /** The second parameter's values (rows, bottom to top). */
  ys: number[];
  /** cells[row][col]: the point's metric, or null (not measured yet, or not a finite number). */
  cells: ({ mean: number; ci: [number, number]; theory: number | null; point: number } | null)[][];
  /** Smallest and largest finite mean (NaN when none). */
  min: number;
  max: number;
  measured: number;
}

/**
 * Points of a plan whose first axis runs fastest (sweepPlan.ts: point = row · columns + col)
 * arranged as a grid. Values are read from the points themselves, so a grid of any plan order
 * comes out right.
 */
export function heatGrid(points: readonly SweepPointLike[]): HeatGrid {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const p of points) {
    if (!xs.includes(p.values[0])) xs.push(p.values[0]);
    const y = p.values[1] ?? 0;
    if (!ys.includes(y)) ys.push(y);
  }
  const cells: HeatGrid['cells'] = ys.map(() => xs.map(() => null));
  let min = Infinity;
  let max = -Infinity;
  let measured = 0;
  points.forEach((p, point) => {
    const m = p.metric;
    if (!m || !Number.isFinite(m.mean)) return;
    const c = xs.indexOf(p.values[0]);
    const r = ys.indexOf(p.values[1] ?? 0);
    cells[r][c] = { mean: m.mean, ci: m.ci, theory: p.theory ?? null, point };
    measured++;
    if (m.mean < min) min = m.mean;
    if (m.mean > max) max = m.mean;
  });
  return { xs, ys, cells, min: measured ? min : NaN, max: measured ? max : NaN, measured };
}

/*
 * A perceptually ordered sequential scale (light yellow → green → blue → dark purple, after
 * viridis reversed so that "more" is darker), as stops interpolated in RGB.
 */
const STOPS: [number, number, number][] = [
  [253, 231, 37],
  [94, 201, 98],
  [33, 145, 140],
  [59, 82, 139],
  [68, 1, 84]
];

/** Colour of t in [0, 1] (clamped; NaN gives grey) as [r, g, b]. */
export function heatColour(t: number): [number, number, number] {
  if (!(t === t)) return [200, 200, 200];
  const u = Math.min(1, Math.max(0, t)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(u));
  const f = u - i;
  const a = STOPS[i];
  const b = STOPS[i + 1];
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}

/**
 * Where a value sits on the scale: linear between min and max, or by log when the values span
 * more than a factor of 20 and are all positive (latencies near saturation do).
 */
export function heatScale(min: number, max: number): { log: boolean; t: (v: number) => number } {
  if (!(max > min)) return { log: false, t: () => 0.5 };
  const log = min > 0 && max / min > 20;
  if (log) {
    const a = Math.log(min);
    const b = Math.log(max);
    return { log, t: (v) => (Math.log(v) - a) / (b - a) };
  }
  return { log, t: (v) => (v - min) / (max - min) };
}

/** Black or white text, whichever reads better on [r, g, b]. */
export function inkOn([r, g, b]: [number, number, number]): string {
  return 0.299 * r + 0.587 * g + 0.114 * b > 140 ? '#1d2430' : '#ffffff';
}

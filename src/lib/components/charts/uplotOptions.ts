/**
 * uPlot options shared by the charts: colours, axes in readable units (12 ms, 3.4 k/s), and a
 * plugin that shades fault windows behind the series. Types only from uPlot here, so this module
 * loads without a DOM; the components import uPlot itself.
 */
import type uPlot from 'uplot';
import { formatRate, formatTime, sig, timeUnit, type QuantityKind } from '../format.ts';
import type { TimeWindow } from './chartData.ts';

/** Colour-blind-friendly palette (Okabe–Ito, then Tableau), cycled. */
export const PALETTE = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#8a6d00', '#4e79a7', '#b07aa1', '#59a14f', '#9c755f', '#76b7b2'];

export function colour(i: number): string {
  return PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

/** `#rrggbb` with an alpha, for fills. */
export function withAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** Tick labels of one quantity, in one unit (for times, the unit of the step between ticks). */
export function tickFormatter(kind: QuantityKind | 'size'): (u: uPlot, splits: number[], axisIdx?: number, space?: number, incr?: number) => string[] {
  return (_u, splits, _axis, _space, incr) => {
    const finite = splits.filter((s) => Number.isFinite(s));
    const big = Math.max(0, ...finite.map(Math.abs));
    switch (kind) {
      case 'time': {
        const unit = tickUnit(incr && Number.isFinite(incr) && incr > 0 ? incr : big);
        return splits.map((s) => (s == null ? '' : formatTime(s, unit, (x) => String(Number(x.toPrecision(4))))));
      }
      case 'rate':
        return splits.map((s) => (s == null ? '' : formatRate(s, (x) => String(Number(x.toPrecision(4))))));
      case 'fraction':
        return splits.map((s) => (s == null ? '' : `${Number((s * 100).toPrecision(4))} %`));
      case 'size':
        return splits.map((s) => (s == null ? '' : formatBytes(s)));
      default:
        return splits.map((s) => (s == null ? '' : Math.abs(s) >= 1e6 || (s !== 0 && Math.abs(s) < 1e-4) ? sig(s, 3) : String(Number(s.toPrecision(4)))));
    }
  };
}

function formatBytes(b: number): string {
  const units: [number, string][] = [
    [2 ** 40, 'TiB'],
    [2 ** 30, 'GiB'],
    [2 ** 20, 'MiB'],
    [2 ** 10, 'KiB']
  ];
  for (const [scale, name] of units) if (Math.abs(b) >= scale) return `${Number((b / scale).toPrecision(3))} ${name}`;
  return `${Number(b.toPrecision(3))} B`;
}

/**
 * The unit for time ticks `step` seconds apart: minutes and hours only when the step is a whole
 * number of them ("10 min", "2 h"), so ticks read "500 s, 1000 s" rather than "8.333 min".
 */
export function tickUnit(step: number): [number, string] {
  const whole = (x: number) => Math.abs(x - Math.round(x)) < 1e-9 * Math.max(1, Math.abs(x));
  if (step >= 3600 && (whole(step / 3600) || step >= 360_000)) return [3600, 'h'];
  if (step >= 60 && whole(step / 60) && step >= 600) return [60, 'min'];
  const [scale, name] = timeUnit(Math.min(step, 59));
  return step >= 1 ? [1, 's'] : [scale, name];
}

/** The legend's value for one quantity (full precision of the table's formatting). */
export function valueFormatter(kind: QuantityKind | 'size'): (u: uPlot, v: number | null) => string {
  const ticks = tickFormatter(kind);
  return (u, v) => (v == null || !Number.isFinite(v) ? '—' : ticks(u, [v])[0]);
}

const AXIS_FONT = '11px system-ui, sans-serif';

/** An axis of one quantity; x axes keep their (wide) tick labels further apart. */
export function axis(kind: QuantityKind | 'size', label?: string, isX = false, log = false): uPlot.Axis {
  const linear = tickFormatter(kind);
  const one = valueFormatter(kind);
  return {
    label,
    labelSize: label ? 18 : 0,
    labelFont: AXIS_FONT,
    font: AXIS_FONT,
    stroke: '#5d6878',
    grid: { stroke: '#e9ecf0', width: 1 },
    ticks: { stroke: '#d5d9df', width: 1 },
    // A y axis as wide as its longest label (at most 7 px a character at 11 px), so "0.00015/s" fits.
    size: isX
      ? 40
      : (_u: uPlot, values: string[] | null) => Math.max(40, 18 + 7 * Math.max(0, ...(values ?? []).map((v) => (v ?? '').length))),
    // At least this many CSS pixels between ticks: labels with units are wide.
    space: isX ? 80 : 30,
    // On a log axis each decade has its own unit ("10 µs", "1 ms", "100 ms"); only powers of ten
    // are labelled, the ticks between them stay unlabelled.
    values: log
      ? (u: uPlot, splits: number[]) => {
          const decade = (v: number) => v > 0 && Math.abs(v / Math.pow(10, Math.floor(Math.log10(v) + 1e-9)) - 1) < 1e-6;
          // Every k-th decade when they would crowd (about 56 px a label).
          const decades = splits.filter((v) => v != null && decade(v)).length;
          const room = Math.max(1, Math.floor((u.bbox?.width ?? 0) / (devicePixelRatio || 1) / 56));
          if (decades < 2) {
            // Less than a decade on show: label the ticks between, thinned to fit.
            const k = Math.max(1, Math.ceil(splits.length / room));
            return splits.map((v, i) => (v != null && i % k === 0 ? one(u, v) : ''));
          }
          const k = Math.max(1, Math.ceil(decades / room));
          return splits.map((v) => (v != null && decade(v) && Math.round(Math.log10(v)) % k === 0 ? one(u, v) : ''));
        }
      : linear,
    ...(kind === 'time' && !log ? { incrs: TIME_INCRS } : {})
  };
}

/**
 * Tick steps for time axes, in seconds: 1-2-5 below a second, then steps that are whole seconds,
 * minutes or hours, so every tick reads as a round number in one unit ("30 min", "500 h").
 */
export const TIME_INCRS: number[] = (() => {
  const out: number[] = [];
  for (let e = -9; e < 0; e++) for (const m of [1, 2, 5]) out.push(Number((m * 10 ** e).toPrecision(3)));
  out.push(1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800);
  for (const h of [1, 2, 3, 6, 12, 24, 48]) out.push(h * 3600);
  for (let e = 2; e <= 8; e++) for (const m of [1, 2, 5]) out.push(m * 10 ** e * 3600);
  return out;
})();

/**
 * Shade fault windows (x in the chart's x units) behind the series, with the fault in words at
 * the top. Drawn in the `drawClear` hook: after the canvas is cleared, before grid and series.
 */
export function faultShading(windows: readonly TimeWindow[]): uPlot.Plugin {
  return {
    hooks: {
      drawClear: (u: uPlot) => {
        if (windows.length === 0) return;
        const { ctx } = u;
        const { top, height, left, width } = u.bbox;
        ctx.save();
        ctx.beginPath();
        ctx.rect(left, top, width, height);
        ctx.clip();
        const px = devicePixelRatio || 1;
        for (const w of windows) {
          // Whole device pixels, at least 2 CSS pixels wide: a 5 s spike in a 25 min run stays visible.
          const x0 = Math.round(u.valToPos(w.from, 'x', true));
          const x1 = Math.round(u.valToPos(w.to, 'x', true));
          ctx.fillStyle = 'rgba(213, 94, 0, 0.10)';
          ctx.fillRect(x0, top, Math.max(Math.round(2 * px), x1 - x0), height);
          ctx.fillStyle = '#a04400';
          ctx.font = `${11 * px}px system-ui, sans-serif`;
          ctx.textBaseline = 'top';
          ctx.fillText(`fault · ${w.label}`, x0 + 4 * px, top + 4 * px);
        }
        ctx.restore();
      }
    }
  };
}

/** Vertical marker lines (e.g. p50 and p99 on a histogram), drawn over the series. */
export function markers(lines: readonly { x: number; label: string }[]): uPlot.Plugin {
  return {
    hooks: {
      draw: (u: uPlot) => {
        const { ctx } = u;
        const { top, height } = u.bbox;
        const px = devicePixelRatio || 1;
        ctx.save();
        for (const m of lines) {
          if (!Number.isFinite(m.x)) continue;
          const x = Math.round(u.valToPos(m.x, 'x', true));
          ctx.strokeStyle = '#1d2430';
          ctx.setLineDash([4 * px, 3 * px]);
          ctx.lineWidth = px;
          ctx.beginPath();
          ctx.moveTo(x, top);
          ctx.lineTo(x, top + height);
          ctx.stroke();
          ctx.fillStyle = '#1d2430';
          ctx.font = `${11 * px}px system-ui, sans-serif`;
          ctx.textBaseline = 'top';
          ctx.fillText(m.label, x + 3 * px, top + 3 * px);
        }
        ctx.restore();
      }
    }
  };
}

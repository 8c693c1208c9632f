/**
 * A CTMC generator in compressed sparse rows, and the few operations the solvers need.
 *
 * Off-diagonal rates only, with the total outflow of each state kept apart (`out`, so the diagonal
 * is −out): the solvers never form q_ii by subtraction, which keeps tiny rates exact. Typed arrays
 * throughout, so a generator is structured-cloneable and cheap to move to and from a worker.
 */

export interface Generator {
  /** Number of states. */
  n: number;
  /** Row i's off-diagonal entries are col/rate[rowStart[i] .. rowStart[i+1]). */
  rowStart: Int32Array;
  col: Int32Array;
  rate: Float64Array;
  /** Total rate out of each state (= −q_ii). */
  out: Float64Array;
}

/** Incremental builder: add rates row by row (rows in increasing order); duplicates are summed. */
export class GeneratorBuilder {
  private readonly rowStart: Int32Array;
  private col: Int32Array;
  private rate: Float64Array;
  private nnz = 0;
  private row = -1;

  constructor(readonly n: number, expectedPerRow = 6) {
    this.rowStart = new Int32Array(n + 1);
    this.col = new Int32Array(Math.max(16, n * expectedPerRow));
    this.rate = new Float64Array(this.col.length);
  }

  /** Start row i (rows must be started in increasing order; skipped rows are empty). */
  startRow(i: number): void {
    if (i <= this.row || i >= this.n) throw new RangeError(`GeneratorBuilder: row ${i} out of order`);
    for (let r = this.row + 1; r <= i; r++) this.rowStart[r] = this.nnz;
    this.row = i;
  }

  /** Add rate r from the current row to state j (ignored when r ≤ 0 or j is the row itself). */
  add(j: number, r: number): void {
    if (!(r > 0) || j === this.row) return;
    const begin = this.rowStart[this.row];
    for (let k = begin; k < this.nnz; k++) {
      if (this.col[k] === j) {
        this.rate[k] += r;
        return;
      }
    }
    if (this.nnz === this.col.length) {
      const c = new Int32Array(this.col.length * 2);
      c.set(this.col);
      const v = new Float64Array(this.col.length * 2);
      v.set(this.rate);
      this.col = c;
      this.rate = v;
    }
    this.col[this.nnz] = j;
    this.rate[this.nnz] = r;
    this.nnz++;
  }

  finish(): Generator {
    for (let r = this.row + 1; r <= this.n; r++) this.rowStart[r] = this.nnz;
    const col = this.col.slice(0, this.nnz);
    const rate = this.rate.slice(0, this.nnz);
    const out = new Float64Array(this.n);
    for (let i = 0; i < this.n; i++) {
      let s = 0;
      for (let k = this.rowStart[i]; k < this.rowStart[i + 1]; k++) s += rate[k];
      out[i] = s;
    }
    return { n: this.n, rowStart: this.rowStart, col, rate, out };
  }
}

/** A generator from a dense matrix (tests): off-diagonal entries > 0 are rates. */
export function fromDense(Q: number[][]): Generator {
  const b = new GeneratorBuilder(Q.length, Q.length);
  Q.forEach((row, i) => {
    b.startRow(i);
    row.forEach((r, j) => b.add(j, r));
  });
  return b.finish();
}

/** The transpose: row j lists the states i with a rate into j (for solving πQ = 0 by columns). */
export function transpose(g: Generator): Generator {
  const { n, rowStart, col, rate } = g;
  const count = new Int32Array(n + 1);
  for (let k = 0; k < col.length; k++) count[col[k] + 1]++;
  for (let j = 0; j < n; j++) count[j + 1] += count[j];
  const tStart = count.slice();
  const fill = count.slice(0, n);
  const tCol = new Int32Array(col.length);
  const tRate = new Float64Array(col.length);
  for (let i = 0; i < n; i++) {
    for (let k = rowStart[i]; k < rowStart[i + 1]; k++) {
      const p = fill[col[k]]++;
      tCol[p] = i;
      tRate[p] = rate[k];
    }
  }
  return { n, rowStart: tStart, col: tCol, rate: tRate, out: g.out };
}

/** y = x·Q (a row vector times the generator), written into `y`. */
export function leftMultiply(g: Generator, x: Float64Array, y: Float64Array): void {
  const { n, rowStart, col, rate, out } = g;
  for (let i = 0; i < n; i++) y[i] = -x[i] * out[i];
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    if (xi === 0) continue;
    for (let k = rowStart[i]; k < rowStart[i + 1]; k++) y[col[k]] += xi * rate[k];
  }
}

/** Largest total outflow: the uniformisation rate Λ. */
export function uniformisationRate(g: Generator): number {
  let m = 0;
  for (let i = 0; i < g.n; i++) if (g.out[i] > m) m = g.out[i];
  return m;
}

/** Largest |i − j| over the entries: the band half-width the elimination uses. */
export function bandwidth(g: Generator): number {
  let b = 0;
  for (let i = 0; i < g.n; i++) {
    for (let k = g.rowStart[i]; k < g.rowStart[i + 1]; k++) b = Math.max(b, Math.abs(g.col[k] - i));
  }
  return b;
}

/** The residual of a stationary candidate: ‖πQ‖₁/Λ (= ‖πP − π‖₁ for the uniformised chain). */
export function stationaryResidual(g: Generator, pi: Float64Array, scratch = new Float64Array(g.n)): number {
  leftMultiply(g, pi, scratch);
  let s = 0;
  for (let i = 0; i < g.n; i++) s += Math.abs(scratch[i]);
  const L = uniformisationRate(g);
  return L > 0 ? s / L : 0;
}

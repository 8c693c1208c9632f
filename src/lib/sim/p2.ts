/**
 * The P² algorithm (Jain & Chlamtac, CACM 1985) for one streaming quantile in O(1) memory: five
 * markers whose heights track the minimum, q/2, q, (1+q)/2 quantiles and the maximum, adjusted
 * by piecewise-parabolic interpolation as observations arrive. The engine keeps one per time
 * bucket (e.g. the p99 of end-to-end time per bucket), where storing all observations or a full
 * histogram per bucket would cost too much.
 *
 * `add` allocates nothing. Accuracy is typically within a few percent for smooth
 * distributions; it is an estimate, not a bound (use LogHistogram where a bound is needed).
 *
 * Invariants once 5 observations are in: heights[0..4] non-decreasing, heights[0] = min,
 * heights[4] = max, positions[0] = 1 < positions[1] < … < positions[4] = count (1-based ranks).
 */
export class P2Quantile {
  readonly q: number;
  private readonly heights = new Float64Array(5);
  /** Actual marker positions (1-based ranks), integers stored as doubles. */
  private readonly positions = new Float64Array(5);
  /** Desired marker positions. */
  private readonly desired = new Float64Array(5);
  /** Increments of the desired positions per observation. */
  private readonly increments = new Float64Array(5);
  private n = 0;

  constructor(q: number) {
    if (!(q > 0 && q < 1)) throw new RangeError(`P2Quantile: q must be in (0, 1), got ${q}`);
    this.q = q;
    this.reset();
  }

  /** Number of observations added since construction or the last reset. */
  get count(): number {
    return this.n;
  }

  reset(): void {
    const q = this.q;
    this.n = 0;
    this.heights.fill(0);
    for (let i = 0; i < 5; i++) this.positions[i] = i + 1;
    this.desired[0] = 1;
    this.desired[1] = 1 + 2 * q;
    this.desired[2] = 1 + 4 * q;
    this.desired[3] = 3 + 2 * q;
    this.desired[4] = 5;
    this.increments[0] = 0;
    this.increments[1] = q / 2;
    this.increments[2] = q;
    this.increments[3] = (1 + q) / 2;
    this.increments[4] = 1;
  }

  /** Add an observation. NaN is ignored (it would poison every marker). */
  add(x: number): void {
    if (x !== x) return;
    const h = this.heights;
    if (this.n < 5) {
      // Insertion into the sorted first five observations.
      let i = this.n++;
      while (i > 0 && h[i - 1] > x) {
        h[i] = h[i - 1];
        i--;
      }
      h[i] = x;
      return;
    }
    this.n++;
    const pos = this.positions;
    // Find the cell k with h[k] ≤ x < h[k+1], extending the extremes if needed.
    let k: number;
    if (x < h[0]) {
      h[0] = x;
      k = 0;
    } else if (x < h[1]) k = 0;
    else if (x < h[2]) k = 1;
    else if (x < h[3]) k = 2;
    else if (x <= h[4]) k = 3;
    else {
      h[4] = x;
      k = 3;
    }
    for (let i = k + 1; i < 5; i++) pos[i]++;
    const des = this.desired;
    const inc = this.increments;
    for (let i = 0; i < 5; i++) des[i] += inc[i];
    // Move the three middle markers toward their desired positions by at most one rank.
    for (let i = 1; i < 4; i++) {
      const d = des[i] - pos[i];
      if ((d >= 1 && pos[i + 1] - pos[i] > 1) || (d <= -1 && pos[i - 1] - pos[i] < -1)) {
        const s = d > 0 ? 1 : -1;
        const hp = this.parabolic(i, s);
        // Parabolic prediction if it keeps heights monotone, else linear.
        h[i] = h[i - 1] < hp && hp < h[i + 1] ? hp : h[i] + (s * (h[i + s] - h[i])) / (pos[i + s] - pos[i]);
        pos[i] += s;
      }
    }
  }

  private parabolic(i: number, s: number): number {
    const h = this.heights;
    const n = this.positions;
    return (
      h[i] +
      (s / (n[i + 1] - n[i - 1])) *
        ((n[i] - n[i - 1] + s) * ((h[i + 1] - h[i]) / (n[i + 1] - n[i])) +
          (n[i + 1] - n[i] - s) * ((h[i] - h[i - 1]) / (n[i] - n[i - 1])))
    );
  }

  /**
   * The current estimate: NaN when empty; with fewer than 5 observations the exact nearest-rank
   * quantile (the ⌈q·n⌉-th smallest); afterwards the middle marker's height.
   */
  value(): number {
    const n = this.n;
    if (n === 0) return NaN;
    if (n < 5) return this.heights[Math.max(1, Math.ceil(this.q * n)) - 1];
    return this.heights[2];
  }
}

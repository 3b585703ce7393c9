// Small statistics helpers for scripts/bench.js.

/** Percentile by linear interpolation between closest ranks (p in 0..1). */
export function percentile(xs, p) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const i = (s.length - 1) * p;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return s[lo] + (s[hi] - s[lo]) * (i - lo);
}

export const median = (xs) => percentile(xs, 0.5);

const round = (x, d = 2) => (x === null || !Number.isFinite(x) ? x : Math.round(x * 10 ** d) / 10 ** d);

/** n, median, p10, p25, p75, p90, min, max, mean and the runs themselves (rounded to 0.01 ms). */
export function summarize(xs) {
  const v = xs.filter((x) => Number.isFinite(x));
  if (v.length === 0) return { n: 0, median: null, runs: [] };
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return {
    n: v.length,
    median: round(median(v)),
    p10: round(percentile(v, 0.1)),
    p25: round(percentile(v, 0.25)),
    p75: round(percentile(v, 0.75)),
    p90: round(percentile(v, 0.9)),
    min: round(Math.min(...v)),
    max: round(Math.max(...v)),
    mean: round(mean),
    runs: v.map((x) => round(x)),
  };
}

export { round };

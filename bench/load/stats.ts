/**
 * Latency statistics that can be merged across processes: a log-bucketed histogram
 * (relative error ≤ 0.5 %) with exact count, sum, min and max, plus small helpers.
 * Values are microseconds throughout; reports convert to milliseconds.
 */

/** Growth factor between bucket bounds: a bucket's representative is within 0.5 % of any value in it. */
const GROWTH = 1.01
const LOG_GROWTH = Math.log(GROWTH)
/** Buckets cover 1 µs .. ~1000 s; smaller values land in bucket 0, larger in the last one. */
const BUCKETS = Math.ceil(Math.log(1e9) / LOG_GROWTH) + 1

/** A histogram of µs values; merge with `merge`, ship over IPC with `toJSON` / `fromJSON`. */
export class Histogram {
  readonly counts = new Float64Array(BUCKETS)
  count = 0
  sum = 0
  min = Number.POSITIVE_INFINITY
  max = 0

  add(us: number): void {
    const v = us < 1 ? 1 : us
    let i = Math.floor(Math.log(v) / LOG_GROWTH)
    if (i >= BUCKETS) i = BUCKETS - 1
    this.counts[i]++
    this.count++
    this.sum += us
    if (us < this.min) this.min = us
    if (us > this.max) this.max = us
  }

  merge(other: Histogram): this {
    for (let i = 0; i < BUCKETS; i++) this.counts[i] += other.counts[i]
    this.count += other.count
    this.sum += other.sum
    if (other.min < this.min) this.min = other.min
    if (other.max > this.max) this.max = other.max
    return this
  }

  /** The value at quantile `q` (0..1), µs; NaN when empty. The exact max for q = 1. */
  quantile(q: number): number {
    if (this.count === 0) return Number.NaN
    if (q >= 1) return this.max
    const rank = Math.ceil(q * this.count)
    let seen = 0
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]
      if (seen >= rank) {
        // Geometric middle of the bucket, clamped to the observed range.
        const mid = Math.exp((i + 0.5) * LOG_GROWTH)
        return Math.min(this.max, Math.max(this.min, mid))
      }
    }
    return this.max
  }

  get mean(): number {
    return this.count === 0 ? Number.NaN : this.sum / this.count
  }

  toJSON(): HistogramJSON {
    const sparse: [number, number][] = []
    for (let i = 0; i < BUCKETS; i++) if (this.counts[i] > 0) sparse.push([i, this.counts[i]])
    return { sparse, count: this.count, sum: this.sum, min: this.min, max: this.max }
  }

  static fromJSON(j: HistogramJSON): Histogram {
    const h = new Histogram()
    for (const [i, c] of j.sparse) h.counts[i] = c
    h.count = j.count
    h.sum = j.sum
    h.min = j.min === null ? Number.POSITIVE_INFINITY : j.min
    h.max = j.max
    return h
  }
}

/** Wire form of a Histogram (JSON turns Infinity into null). */
export interface HistogramJSON {
  sparse: [number, number][]
  count: number
  sum: number
  min: number | null
  max: number
}

/** Merges any number of wire histograms. */
export function mergeHistograms(parts: HistogramJSON[]): Histogram {
  const h = new Histogram()
  for (const p of parts) h.merge(Histogram.fromJSON(p))
  return h
}

/** Exact quantile of a small sample (sorted copy, nearest rank). NaN when empty. */
export function quantileOf(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN
  const s = [...values].sort((a, b) => a - b)
  const rank = Math.min(s.length, Math.max(1, Math.ceil(q * s.length)))
  return s[rank - 1]
}

/** Microseconds on the machine-wide monotonic clock (CLOCK_MONOTONIC): comparable across processes. */
export function nowUs(): number {
  return Number(process.hrtime.bigint() / 1000n)
}

/** A small seeded PRNG (mulberry32) so that a run's workload is reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

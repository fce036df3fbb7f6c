/** Latency percentiles for the benchmarks' reports. */

/**
 * The value below which `fraction` of the samples fall (nearest rank, no interpolation), from
 * samples sorted ascending; NaN when there are none, so an empty run shows as such in the report.
 */
export function percentile(sorted: readonly number[], fraction: number): number {
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

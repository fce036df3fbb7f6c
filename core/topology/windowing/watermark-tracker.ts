/**
 * The watermark of event-time windows (Storm's WaterMarkEventGenerator): for each input source
 * task, the largest event time it has sent; the watermark is the smallest of those maxima minus
 * the allowed lag. "Every source has sent everything up to here, give or take the lag."
 *
 * Guarantees: the watermark never moves back (a new source starting behind cannot undo windows that
 * already fired); it is −Infinity until a source has been seen. A source that goes silent holds the
 * watermark back, as in Storm. Sources are learnt as they send (the bolt's context does not list
 * its input tasks), so a source whose first tuple arrives after the watermark passed its times will
 * see those tuples treated as late.
 */
import { TooManyWatermarkSourcesError } from './errors.js';
import { MAX_WATERMARK_SOURCES } from './limits.js';

export class WatermarkTracker {
  private readonly maxBySource = new Map<string, number>();
  private watermark = Number.NEGATIVE_INFINITY;

  constructor(
    readonly lagMs: number,
    readonly maxSources: number = MAX_WATERMARK_SOURCES,
  ) {}

  /** The watermark computed at the last `compute`. */
  get watermarkMs(): number {
    return this.watermark;
  }

  get sourceCount(): number {
    return this.maxBySource.size;
  }

  /** Records that `source` sent an item of event time `timestampMs`. */
  track(source: string, timestampMs: number): void {
    const known = this.maxBySource.get(source);
    if (known === undefined && this.maxBySource.size >= this.maxSources) throw new TooManyWatermarkSourcesError(this.maxSources);
    if (known === undefined || timestampMs > known) this.maxBySource.set(source, timestampMs);
  }

  /** Recomputes the watermark (Storm does so every watermark interval) and returns it. */
  compute(): number {
    if (this.maxBySource.size === 0) return this.watermark;
    let slowest = Number.POSITIVE_INFINITY;
    for (const max of this.maxBySource.values()) slowest = Math.min(slowest, max);
    this.watermark = Math.max(this.watermark, slowest - this.lagMs);
    return this.watermark;
  }
}

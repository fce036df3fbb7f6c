/**
 * Limits of windowed bolts. Every buffer a window keeps is bounded here, so a mis-sized window
 * (a day long, sliding every millisecond) is refused at prepare instead of exhausting memory later.
 */

/** Most tuples one windowed task buffers; beyond it the oldest are failed (and replayed by their spout). */
export const MAX_WINDOW_TUPLES = 100_000;

/** Longest time window (and longest slide): one day, Storm's longest message timeout. */
export const MAX_WINDOW_DURATION_MS = 86_400_000;

/** Most windows one tuple may belong to (length / slide). Each firing copies the window's tuples,
 * so a tiny slide under a long window would multiply work and memory by this ratio. */
export const MAX_WINDOWS_PER_TUPLE = 1_000;

/** Longest event-time lag: tuples wait at least this long before their window can fire. */
export const MAX_LAG_MS = 86_400_000;

/** Storm's default watermark interval. */
export const DEFAULT_WATERMARK_INTERVAL_MS = 1_000;
export const MAX_WATERMARK_INTERVAL_MS = 3_600_000;

/** Ticks per slide of a processing-time window. A window fires at the first tick after its end, so
 * ticks every slide/4 bound the firing delay to a quarter of the slide (ticks are cheap). */
export const TICKS_PER_SLIDE = 4;

/** Smallest tick period the topology config accepts ('topology.tick.tuple.freq.secs'). */
export const MIN_TICK_SECS = 0.001;

/** Most input source tasks a watermark tracks (Storm's max topology tasks would do; this bounds the map). */
export const MAX_WATERMARK_SOURCES = 16_384;

/** Fields of the late-tuple stream: where the late tuple came from, its values and its timestamp. */
export const LATE_TUPLE_FIELDS: readonly string[] = Object.freeze(['sourceComponent', 'sourceStreamId', 'values', 'timestampMs']);

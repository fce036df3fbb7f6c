/**
 * The word-count deltas the log sink writes, and how a reader turns them back into counts.
 *
 * One record per word occurrence: key `<partition>/<offset>/<position>` — the input record the
 * word came from and its place among that line's words — and value `{"word":"raven","delta":1}`.
 * The topology is at-least-once, so after a failure or a crash a line is processed again and its
 * words are written again under the same keys (the tokenizer is deterministic: the same line
 * always gives the same words in the same positions). Hence:
 * - summing every delta gives counts at least the true ones (replays add to them);
 * - summing one delta per key gives exactly the true counts, once every input record has been
 *   processed at least once — the "idempotent sink" view of an at-least-once stream.
 */

export interface WordSource {
  readonly partition: number;
  readonly offset: number;
  /** Index of the word among the words of its line, from 0. */
  readonly position: number;
}

export interface WordDelta {
  readonly word: string;
  readonly delta: number;
}

/** One delta as read back from the output topic. */
export interface WordDeltaRecord extends WordDelta {
  readonly key: string;
}

export class InvalidWordDeltaError extends Error {
  readonly code = 'INVALID_WORD_DELTA';
  constructor(
    readonly key: string | null,
    readonly value: string | null,
    reason: string,
  ) {
    super(`output record key ${JSON.stringify(key)} value ${JSON.stringify(value)}: ${reason}; was it written by the word-count topology?`);
    this.name = 'InvalidWordDeltaError';
  }
}

const SOURCE_KEY = /^(\d+)\/(\d+)\/(\d+)$/;

export function sourceKey(source: WordSource): string {
  return `${source.partition}/${source.offset}/${source.position}`;
}

export function parseSourceKey(key: string): WordSource {
  const match = SOURCE_KEY.exec(key);
  if (match === null) throw new InvalidWordDeltaError(key, null, 'the key is not <partition>/<offset>/<position>');
  return { partition: Number(match[1]), offset: Number(match[2]), position: Number(match[3]) };
}

/** A record read from the output topic, checked. */
export function parseWordDelta(key: string | null, value: string | null): WordDeltaRecord {
  if (key === null || value === null) throw new InvalidWordDeltaError(key, value, 'key and value are required');
  parseSourceKey(key);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new InvalidWordDeltaError(key, value, 'the value is not JSON');
  }
  const { word, delta } = (parsed ?? {}) as Partial<WordDelta>;
  if (typeof word !== 'string' || typeof delta !== 'number' || !Number.isInteger(delta)) throw new InvalidWordDeltaError(key, value, 'the value is not {"word": string, "delta": integer}');
  return { key, word, delta };
}

/** Sum of every delta per word: at least the true counts under at-least-once delivery. */
export function sumAllDeltas(records: readonly WordDeltaRecord[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { word, delta } of records) counts.set(word, (counts.get(word) ?? 0) + delta);
  return counts;
}

/**
 * Sum of one delta per key (the first seen): the true counts. Throws if two records of one key
 * disagree — a key that does not identify its source would make deduplication wrong.
 */
export function sumDeduplicatedDeltas(records: readonly WordDeltaRecord[]): Map<string, number> {
  const firstByKey = new Map<string, WordDeltaRecord>();
  for (const record of records) {
    const first = firstByKey.get(record.key);
    if (first === undefined) firstByKey.set(record.key, record);
    else if (first.word !== record.word || first.delta !== record.delta) {
      throw new InvalidWordDeltaError(record.key, JSON.stringify(record), `an earlier record of this key holds ${JSON.stringify(first)}`);
    }
  }
  return sumAllDeltas([...firstByKey.values()]);
}

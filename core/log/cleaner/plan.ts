/**
 * What compaction keeps, as a pure function of the records' keys, offsets and timestamps (no
 * files): for each key only the record with the greatest offset survives; a survivor with a null
 * value (a tombstone) survives only until the delete horizon; records without a key are dropped
 * (Kafka refuses them at produce time for compacted topics, so they can only be leftovers from
 * before the topic became compacted). Offsets are never changed: the cleaned log has gaps.
 *
 * The offset map is built from the closed segments only (the active segment is never cleaned, as
 * in Kafka), so a key whose newer version sits in the active segment keeps one older version in
 * the cleaned part until the segment holding the newer one is closed and cleaned too.
 */

export interface PlannedRecord {
  offset: number;
  /** The key's bytes as a map key (latin1/hex string), or null for a keyless record. */
  key: string | null;
  /** A null value: a delete marker. */
  tombstone: boolean;
  timestampMs: number;
}

/** Key -> greatest offset holding it (within the mapped range). */
export type OffsetMap = Map<string, number>;

export function addToOffsetMap(map: OffsetMap, record: Pick<PlannedRecord, 'offset' | 'key'>): void {
  if (record.key === null) return;
  const known = map.get(record.key);
  if (known === undefined || known < record.offset) map.set(record.key, record.offset);
}

export function buildOffsetMap(records: Iterable<Pick<PlannedRecord, 'offset' | 'key'>>): OffsetMap {
  const map: OffsetMap = new Map();
  for (const record of records) addToOffsetMap(map, record);
  return map;
}

/**
 * Whether `record` survives a cleaning that knows `map`. A key absent from the map (not mapped:
 * beyond the cleaned range) keeps its record — being conservative is always safe. A tombstone
 * whose timestamp is before `deleteHorizonMs` (now - delete.retention.ms) is removed.
 */
export function survives(record: PlannedRecord, map: OffsetMap, deleteHorizonMs: number): boolean {
  if (record.key === null) return false;
  const latest = map.get(record.key);
  if (latest !== undefined && latest > record.offset) return false;
  if (record.tombstone && record.timestampMs < deleteHorizonMs) return false;
  return true;
}

/** The records of `records` (in offset order) that a cleaning of all of them keeps. */
export function planCompaction<T extends PlannedRecord>(records: readonly T[], deleteHorizonMs: number): T[] {
  const map = buildOffsetMap(records);
  return records.filter((record) => survives(record, map, deleteHorizonMs));
}

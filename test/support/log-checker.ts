/**
 * The replicated log's contract, checked on one partition's history: every acknowledged record
 * is in the log exactly once, at the offset its acknowledgement named, and acknowledged records
 * appear in the order they were acknowledged; offsets are dense (no gaps, no repeats). Records
 * whose produce failed may or may not be present (the write may have landed before the
 * failure), but at most once, since every produce attempt carries a unique value.
 */

export interface AckedRecord {
  value: string;
  offset: number;
}

export interface ConsumedRecord {
  value: string;
  offset: number;
}

export function checkPartitionHistory(acked: readonly AckedRecord[], consumed: readonly ConsumedRecord[]): string[] {
  const violations: string[] = [];
  const offsetOf = new Map<string, number>();
  consumed.forEach((record, index) => {
    if (record.offset !== index) violations.push(`offset ${record.offset} at position ${index}: the log has a gap or a repeat`);
    const seen = offsetOf.get(record.value);
    if (seen !== undefined) violations.push(`value ${record.value} appears twice (offsets ${seen} and ${record.offset})`);
    else offsetOf.set(record.value, record.offset);
  });
  let previous = -1;
  for (const record of acked) {
    const found = offsetOf.get(record.value);
    if (found === undefined) {
      violations.push(`acknowledged value ${record.value} (offset ${record.offset}) is lost`);
      continue;
    }
    if (found !== record.offset) violations.push(`acknowledged value ${record.value} was acknowledged at offset ${record.offset} but sits at ${found}: divergent offsets`);
    if (found <= previous) violations.push(`acknowledged value ${record.value} at ${found} is out of acknowledgement order (previous at ${previous})`);
    previous = found;
  }
  return violations;
}

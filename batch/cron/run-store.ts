/**
 * Where run records go. Two stores share one contract: `append` keeps at most `maxRecords` (the
 * oldest are deleted), `list` returns what is kept, oldest first.
 */
import type { RunRecord } from './run-record.js';

export interface RunRecordStore {
  /** Shown in logs: a coord path or a file. */
  readonly where: string;
  append(record: RunRecord): Promise<void>;
  list(): Promise<RunRecord[]>;
}

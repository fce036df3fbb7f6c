/**
 * Run records in coord: one persistent sequential znode per run, `<root>/<job>/runs/run-<10 digits>`,
 * holding the record as JSON. The sequence orders runs even across schedulers on different
 * machines; after each append the oldest beyond the bound are deleted (a concurrent deleter's
 * NONODE is fine). Readable with any ZooKeeper client: `zkCli.sh get /barista/batch/<job>/runs/run-…`.
 */
import type { CoordClient } from '../../core/coord/client/coord-client.js';
import { deleteIfPresent, isErrorCode, retryIdempotent } from '../../core/coord/recipes/waits.js';
import { CreateMode, ErrorCode } from '../../core/coord/zookeeper-constants.js';
import { COORD_BATCH_ROOT, MAX_RUN_RECORDS } from './limits.js';
import { checkJobName, decodeRunRecord, encodeRunRecord, type RunRecord } from './run-record.js';
import type { RunRecordStore } from './run-store.js';

const RUN_NODE = /^run-\d{10}$/;

export function jobCoordPath(jobName: string): string {
  return `${COORD_BATCH_ROOT}/${checkJobName(jobName)}`;
}

export class CoordRunStore implements RunRecordStore {
  readonly where: string;

  constructor(
    private readonly client: CoordClient,
    readonly jobName: string,
    private readonly maxRecords = MAX_RUN_RECORDS,
  ) {
    this.where = `${jobCoordPath(jobName)}/runs`;
  }

  async append(record: RunRecord): Promise<void> {
    const data = encodeRunRecord(record);
    try {
      await this.client.create(`${this.where}/run-`, data, { mode: CreateMode.PERSISTENT_SEQUENTIAL });
    } catch (error) {
      if (!isErrorCode(error, ErrorCode.NONODE)) throw error;
      await this.client.mkdirp(this.where);
      await this.client.create(`${this.where}/run-`, data, { mode: CreateMode.PERSISTENT_SEQUENTIAL });
    }
    await this.prune();
  }

  async list(): Promise<RunRecord[]> {
    const names = await this.runNodes();
    const records: RunRecord[] = [];
    for (const name of names) {
      try {
        const { data } = await retryIdempotent(() => this.client.getData(`${this.where}/${name}`));
        records.push(decodeRunRecord(data, `${this.where}/${name}`));
      } catch (error) {
        if (!isErrorCode(error, ErrorCode.NONODE)) throw error; // pruned meanwhile
      }
    }
    return records;
  }

  /** Run node names, oldest first (the 10-digit sequence sorts as text). */
  private async runNodes(): Promise<string[]> {
    try {
      const children = await retryIdempotent(() => this.client.getChildren(this.where));
      return children.filter((name) => RUN_NODE.test(name)).sort();
    } catch (error) {
      if (isErrorCode(error, ErrorCode.NONODE)) return [];
      throw error;
    }
  }

  private async prune(): Promise<void> {
    const names = await this.runNodes();
    for (const name of names.slice(0, Math.max(0, names.length - this.maxRecords))) await deleteIfPresent(this.client, `${this.where}/${name}`);
  }
}

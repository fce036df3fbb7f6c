/**
 * Run records without coord: JSON lines in `<stateDirectory>/<job>/runs.jsonl`, one record per
 * line, appended after each run. Past the bound the file is rewritten with the newest records
 * (to a temporary file, then renamed, so a crash leaves either the old or the new file whole).
 * Only one scheduler should use a state directory: nothing here elects.
 */
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_RUN_RECORDS } from './limits.js';
import { checkJobName, decodeRunRecord, encodeRunRecord, type RunRecord } from './run-record.js';
import type { RunRecordStore } from './run-store.js';

export class FileRunStore implements RunRecordStore {
  readonly where: string;
  private readonly directory: string;

  constructor(
    stateDirectory: string,
    readonly jobName: string,
    private readonly maxRecords = MAX_RUN_RECORDS,
  ) {
    this.directory = join(stateDirectory, checkJobName(jobName));
    this.where = join(this.directory, 'runs.jsonl');
  }

  async append(record: RunRecord): Promise<void> {
    const line = `${encodeRunRecord(record).toString()}\n`;
    await mkdir(this.directory, { recursive: true });
    await appendFile(this.where, line);
    const lines = await this.lines();
    if (lines.length <= this.maxRecords) return;
    const temporary = `${this.where}.tmp`;
    await writeFile(temporary, lines.slice(-this.maxRecords).map((kept) => `${kept}\n`).join(''));
    await rename(temporary, this.where);
  }

  async list(): Promise<RunRecord[]> {
    return (await this.lines()).map((line, index) => decodeRunRecord(line, `${this.where}:${index + 1}`));
  }

  private async lines(): Promise<string[]> {
    try {
      return (await readFile(this.where, 'utf8')).split('\n').filter((line) => line.length > 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }
}

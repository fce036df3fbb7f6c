/**
 * Persisted partitions of one executor (Spark's BlockManager, reduced to what persist needs):
 * MEMORY keeps the elements, DISK writes them v8-serialised under the work directory, and
 * MEMORY_AND_DISK keeps them in memory and on disk. A lost block is not an error: the partition
 * is recomputed from lineage.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { BlockStore, StorageLevel } from '../rdd/task-context.js';

export class LocalBlockStore implements BlockStore {
  private readonly memory = new Map<string, readonly unknown[]>();

  constructor(private readonly directory: string) {}

  get(rddId: number, partition: number): readonly unknown[] | undefined {
    const inMemory = this.memory.get(`${rddId}/${partition}`);
    if (inMemory !== undefined) return inMemory;
    const path = this.pathOf(rddId, partition);
    if (!existsSync(path)) return undefined;
    try {
      return deserialize(readFileSync(path)) as unknown[];
    } catch {
      return undefined; // torn or foreign file: recompute
    }
  }

  put(rddId: number, partition: number, values: readonly unknown[], level: StorageLevel): void {
    if (level !== 'DISK') this.memory.set(`${rddId}/${partition}`, values);
    if (level !== 'MEMORY') {
      mkdirSync(join(this.directory, 'blocks'), { recursive: true });
      const path = this.pathOf(rddId, partition);
      writeFileSync(`${path}.tmp`, serialize(values));
      renameSync(`${path}.tmp`, path); // readers never see a half-written block
    }
  }

  remove(rddId: number): void {
    for (const key of [...this.memory.keys()]) if (key.startsWith(`${rddId}/`)) this.memory.delete(key);
    rmSync(join(this.directory, 'blocks', `rdd_${rddId}`), { recursive: true, force: true });
  }

  private pathOf(rddId: number, partition: number): string {
    const directory = join(this.directory, 'blocks', `rdd_${rddId}`);
    mkdirSync(directory, { recursive: true });
    return join(directory, `part-${partition}`);
  }
}

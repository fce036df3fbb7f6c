/**
 * A partition log on a disk out of inodes: rolling a segment creates three files, and such a
 * disk may give the first ones and refuse the next. The roll must fail like a full disk
 * (LogDiskError, nothing kept) and the log append again, at the next offset, once inodes are
 * freed — without a restart. The disk is a real tmpfs mounted with `nr_inodes` (tests run as
 * root; without root the mount fails and so does the test). test/faults/harness/small-disk.ts
 * limits bytes, not inodes, hence the mount here.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogDiskError } from './errors.js';
import { PartitionLog } from './partition-log.js';
import { batchOf, readAllRecords } from './test-batches.js';

/** Inodes of the whole disk: its root, the log's directory and files, and the ballast. */
const DISK_INODES = 16;
const OPTIONS = { segmentBytes: 1024, flushEveryMessages: 1 };
/** Appends tried while the disk is out of inodes: several rolls in a row are refused. */
const APPENDS_WHILE_FULL = 20;

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'barista-log-inodes-full-'));
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=1024k,nr_inodes=${DISK_INODES}`, 'tmpfs', root], { encoding: 'utf8' });
  if (mount.error !== undefined || mount.status !== 0) throw new Error(`cannot mount a tmpfs on ${root} (${mount.error?.message ?? mount.stderr.trim()}); this test needs root, as CI runs it`);
});
afterEach(async () => {
  spawnSync('umount', ['-l', root]);
  await rm(root, { recursive: true, force: true });
});

/** Takes every free inode with empty files; returns their paths. */
async function takeEveryInode(): Promise<string[]> {
  const ballast: string[] = [];
  for (let i = 0; i < DISK_INODES; i++) {
    const path = join(root, `ballast-${i}`);
    try {
      await writeFile(path, '');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOSPC') return ballast;
      throw error;
    }
    ballast.push(path);
  }
  throw new Error(`the disk took ${DISK_INODES} files without running out of inodes`);
}

describe('partition log on a disk out of inodes', () => {
  it('refuses a roll that gets only some of its files, and appends again once inodes are freed', async () => {
    const log = await PartitionLog.open(join(root, 'topic-0'), OPTIONS);
    try {
      const acked: string[] = [];
      const append = async (value: string) => {
        const { baseOffset } = await log.append(batchOf([value]), 0);
        expect(baseOffset).toBe(acked.length);
        acked.push(value);
      };
      await append('before'); // the epoch checkpoint exists from here on
      const ballast = await takeEveryInode();
      // Two inodes left: a roll creates its .log and .index, and is refused its .timeindex.
      for (const path of ballast.splice(-2)) await rm(path);

      const refusals: unknown[] = [];
      for (let i = 0; i < APPENDS_WHILE_FULL; i++) await append(`while-full-${i}`.padEnd(200, 'x')).catch((error: unknown) => refusals.push(error));
      expect(refusals.length).toBeGreaterThan(1);
      for (const refusal of refusals) expect(refusal).toBeInstanceOf(LogDiskError);
      expect(refusals).toEqual(refusals.map(() => expect.objectContaining({ diskFull: true })));

      for (const path of ballast) await rm(path);
      await append('after'.padEnd(200, 'x')); // rolls, as each refused append would have
      expect(log.segmentBaseOffsets.length).toBeGreaterThan(1);
      expect((await readAllRecords(log)).map((record) => record.value)).toEqual(acked);
    } finally {
      await log.close();
    }
  });
});

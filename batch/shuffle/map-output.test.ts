import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { commitMapOutput, decodeIndex, encodeIndex, mapOutputPaths } from './map-output.js';
import { filesIn, makeTempDirectory, removeDirectory } from './testing.js';

let directory: string;
beforeEach(() => {
  directory = makeTempDirectory();
});
afterEach(() => removeDirectory(directory));

describe('map output files', () => {
  it('index partition segments by cumulative int64 offsets', () => {
    const index = encodeIndex([10, 0, 5]);
    expect(index.length).toBe(32);
    expect(decodeIndex(index, 3)).toEqual([0, 10, 10, 15]);
    expect(decodeIndex(index, 2)).toMatch(/expected 24/);
  });

  it('commit data and index under their final names only, leaving no temp files', () => {
    const status = commitMapOutput({
      directory, shuffleId: 4, mapPartition: 2, numPartitions: 3, maxRecordBytes: 1 << 20,
      writePartition: (partition, out) => {
        for (let index = 0; index < partition; index += 1) out.append(partition, index);
        return partition;
      },
    });
    expect(status).toMatchObject({ ...mapOutputPaths(directory, 4, 2), recordsByPartition: [0, 1, 2] });
    expect(status.bytesByPartition[0]).toBe(0);
    expect(filesIn(directory)).toEqual(['shuffle_4_2.data', 'shuffle_4_2.index']);
  });

  it('delete its temp files when writing a partition fails', () => {
    expect(() => commitMapOutput({
      directory, shuffleId: 4, mapPartition: 0, numPartitions: 2, maxRecordBytes: 1 << 20,
      writePartition: () => {
        throw new Error('task failed');
      },
    })).toThrow('task failed');
    expect(filesIn(directory)).toEqual([]);
  });
});

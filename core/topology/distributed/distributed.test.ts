import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SENTENCES, randomFor } from '../../../spouts/generator-spout.js';
import { tokenize } from '../../text/tokenize.js';
import { freePort } from '../../../test/support/ports.js';
import { startProcess, type ManagedProcess } from '../../../test/support/processes.js';
import { until } from '../../../test/support/until.js';
import { evenAssignment, tasksOf } from './assignment.js';
import wordCount, { SEED } from './test-topologies/word-count.js';
import { ackerTaskIdsOf } from './worker.js';

const DIST = new URL('../../../dist/core/topology/distributed/', import.meta.url).pathname;
const WORKER_PROCESS = new URL('../../../dist/core/topology/cluster/worker-process.js', import.meta.url).pathname;
const TOTAL = 1_500;

function expectedCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (let sequence = 0; sequence < TOTAL; sequence++) {
    const sentence = DEFAULT_SENTENCES[Math.floor(randomFor(SEED, sequence)() * DEFAULT_SENTENCES.length)] as string;
    for (const word of tokenize(sentence)) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return counts;
}

/** The highest count each word reached, over every sink file (counts only grow). */
function observedCounts(directory: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const file of readdirSync(directory).filter((name) => name.endsWith('.tsv'))) {
    for (const line of readFileSync(join(directory, file), 'utf8').split('\n')) {
      const [word, count] = line.split('\t');
      if (word && count) counts.set(word, Math.max(counts.get(word) ?? 0, Number(count)));
    }
  }
  return counts;
}

let processes: ManagedProcess[] = [];
let directory = '';
afterEach(async () => {
  for (const process of processes) await process.stop();
  processes = [];
  if (directory !== '') rmSync(directory, { recursive: true, force: true });
});

describe('a topology across worker processes', () => {
  it('counts exactly with fields grouping and acking across two workers', async () => {
    directory = mkdtempSync(join(tmpdir(), 'barista-distributed-'));
    const args = { total: String(TOTAL), out: join(directory, 'counts') };
    const built = wordCount(args);
    const ports = [await freePort(), await freePort()];
    const assignment = evenAssignment(built.topology, ackerTaskIdsOf(built.config ?? {}), {
      w1: { host: '127.0.0.1', port: ports[0] as number },
      w2: { host: '127.0.0.1', port: ports[1] as number },
    });
    // Every component runs on both workers: tuples, acks and verdicts must cross processes.
    for (const component of built.topology.components) {
      const owners = new Set(component.taskIds.map((taskId) => assignment.tasks[String(taskId)]));
      expect(owners).toEqual(new Set(['w1', 'w2']));
    }
    expect(tasksOf(assignment, 'w1').size + tasksOf(assignment, 'w2').size).toBe(built.topology.taskCount + 2);
    const assignmentPath = join(directory, 'assignment.json');
    writeFileSync(assignmentPath, JSON.stringify(assignment));
    const moduleArgs = Object.entries(args).flatMap(([key, value]) => ['--arg', `${key}=${value}`]);
    for (const worker of ['w1', 'w2']) {
      const started = await startProcess({
        name: `worker ${worker}`,
        command: process.execPath,
        args: [WORKER_PROCESS, '--module', join(DIST, 'test-topologies/word-count.js'), '--worker', worker, '--assignment', assignmentPath, ...moduleArgs],
        ready: () => Promise.resolve(true),
      });
      processes.push(started);
      await until(`worker ${worker} ready`, () => started.output().includes(`worker ${worker} ready`));
    }
    const expected = expectedCounts();
    await until('the counts of every word', () => {
      const observed = observedCounts(directory);
      return [...expected].every(([word, count]) => observed.get(word) === count);
    }, 30_000);
    expect(observedCounts(directory)).toEqual(expected);
    expect(existsSync(assignmentPath)).toBe(true);
  });
});

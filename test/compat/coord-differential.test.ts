/**
 * Differential test of Barista's coordination service against a real ZooKeeper 3.8 server: the
 * same seeded random operation sequences (creates of every mode, deletes/setData/setACL with
 * right and wrong versions, reads, multi and multiRead, ACLs that deny, addAuth, sync, persistent
 * and one-time watches, a session closing mid-sequence) run in lockstep against both, and every
 * answer, every watch event each session heard and the final tree must be equal once zxids and
 * times are reduced to their relative order.
 *
 * Reproduce a reported failure with DIFF_SEEDS=<seed>[,<seed>...]; DIFF_SEED sets the base seed
 * of a full run, DIFF_SEQUENCES and DIFF_OPERATIONS its size, DIFF_VERBOSE=1 prints coverage.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { startCoordEnsemble, type CoordEnsemble } from '../support/coord.js';
import { describeWithTools, TOOLS } from '../support/tools.js';
import { startZooKeeper, type RunningZooKeeper } from '../support/zookeeper.js';
import { formatMismatch, runLockstep, type Mismatch } from './differential/lockstep.js';
import { generateSequence } from './differential/generator.js';
import { SESSIONS, type Sequence } from './differential/operations.js';
import { sequenceSeed } from './differential/random.js';
import { shrink } from './differential/shrink.js';
import type { TargetOptions } from './differential/target-run.js';

const SEQUENCES = Number(process.env.DIFF_SEQUENCES ?? 150);
const OPERATIONS = Number(process.env.DIFF_OPERATIONS ?? 40);
const BASE_SEED = Number(process.env.DIFF_SEED ?? Math.floor(Math.random() * 2 ** 31));
const ONLY_SEEDS = process.env.DIFF_SEEDS?.split(',').map(Number);
/** Sequences in flight at once: each waits on round trips, so overlapping them hides latency. */
const PARALLEL_SEQUENCES = 6;
/** Mismatches printed in full; the rest are counted. */
const REPORTED_MISMATCHES = 4;

interface Placement {
  candidateServers: string[];
  syncOnActorChange: boolean;
}

async function runSequences(label: string, zookeeperPort: number, place: (index: number) => Placement): Promise<{ mismatches: Mismatch[]; tally: Map<string, number> }> {
  const seeds = ONLY_SEEDS ?? Array.from({ length: SEQUENCES }, (_, index) => sequenceSeed(BASE_SEED, index));
  const mismatches: Mismatch[] = [];
  const tally = new Map<string, number>();
  let roots = 0;
  const attempt = async (sequence: Sequence, index: number) => {
    // A fresh root per attempt: sequences never see each other's nodes.
    const root = `/${label}-${String(roots++).padStart(6, '0')}`;
    const { candidateServers, syncOnActorChange } = place(index);
    const reference: TargetOptions = { root, syncOnActorChange, sessionServers: candidateServers.map(() => `127.0.0.1:${zookeeperPort}`) };
    return runLockstep(sequence, reference, { root, syncOnActorChange, sessionServers: candidateServers });
  };
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < seeds.length; index = next++) {
      const sequence = generateSequence(seeds[index]!, OPERATIONS);
      const report = await attempt(sequence, index);
      if (report.mismatch) mismatches.push({ ...report.mismatch, sequenceIndex: index, sequence });
      for (const [kind, count] of report.tally) tally.set(kind, (tally.get(kind) ?? 0) + count);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_SEQUENCES }, worker));
  // The first divergence, shrunk to a short reproduction (the others are listed by seed).
  const first = [...mismatches].sort((a, b) => a.prefix.length - b.prefix.length)[0];
  if (first?.sequence !== undefined && process.env.DIFF_SHRINK !== '0') {
    const shrunk = await shrink(first.sequence, first, async (sequence) => (await attempt(sequence, first.sequenceIndex!)).mismatch);
    mismatches.unshift({ ...shrunk, shrunkFrom: first.seed });
  }
  if (process.env.DIFF_VERBOSE === '1') {
    const lines = [...tally].sort(([a], [b]) => a.localeCompare(b)).map(([kind, count]) => `  ${kind}: ${count}`);
    process.stderr.write(`${label}: base seed ${BASE_SEED}, ${seeds.length} sequences, ${mismatches.length} diverged\n${lines.join('\n')}\n`);
  }
  return { mismatches, tally };
}

/** The shortest reproductions first, then a count of the rest. */
function describeMismatches(mismatches: Mismatch[]): string[] {
  const sorted = [...mismatches].sort((a, b) => Number(b.shrunkFrom !== undefined) - Number(a.shrunkFrom !== undefined) || a.prefix.length - b.prefix.length);
  const shown = sorted.slice(0, REPORTED_MISMATCHES).map(formatMismatch);
  if (sorted.length > shown.length) shown.push(`... and ${sorted.length - shown.length} more diverging sequences (seeds ${sorted.slice(shown.length).map((m) => m.seed).join(',')})`);
  return shown;
}

describeWithTools([TOOLS.java, TOOLS.zookeeperJar], 'coord differential: Barista vs real ZooKeeper 3.8 on random operation sequences', () => {
  let zookeeper: RunningZooKeeper;
  let single: CoordEnsemble;
  let triple: CoordEnsemble;
  beforeAll(async () => {
    [zookeeper, single, triple] = await Promise.all([startZooKeeper(), startCoordEnsemble({ servers: 1 }), startCoordEnsemble({ servers: 3 })]);
  }, 120_000);
  afterAll(async () => Promise.all([zookeeper?.stop(), single?.stop(), triple?.stop()]));

  it('a single Barista server answers, notifies and ends in the same tree as ZooKeeper', async () => {
    const server = `127.0.0.1:${single.ports[0]}`;
    const { mismatches } = await runSequences('single', zookeeper.port, () => ({ candidateServers: Array.from({ length: SESSIONS }, () => server), syncOnActorChange: false }));
    expect(describeMismatches(mismatches)).toEqual([]);
  }, 90_000);

  it('a three-server ensemble does too, with sessions on the leader and on followers', async () => {
    const servers = triple.ports.map((port) => `127.0.0.1:${port}`);
    // Even sequences put every session on one server; odd ones spread them and sync before a
    // session acts after another (ZooKeeper promises a session read-your-writes, not others' writes).
    const { mismatches } = await runSequences('triple', zookeeper.port, (index) => ({
      candidateServers: Array.from({ length: SESSIONS }, (_, session) => servers[(index + (index % 2) * session) % servers.length]!),
      syncOnActorChange: index % 2 === 1,
    }));
    expect(describeMismatches(mismatches)).toEqual([]);
  }, 90_000);
});

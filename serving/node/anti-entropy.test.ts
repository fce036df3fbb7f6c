/**
 * Anti-entropy between the replicas of a three-node cluster (N=3, so no fallbacks and no hints):
 * a replica that was down while keys were written and deleted gets every write and every delete
 * from its peers, and a copy only one replica holds reaches the others.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { liveValue, lwwWrite } from '../quorum/index.js';
import { liveText, TestServingCluster } from './test-support.js';

const KEYS = 40;
let cluster: TestServingCluster | undefined;

afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

describe('anti-entropy', () => {
  it('brings a replica that missed writes and deletes up to date', async () => {
    // A long interval: only syncNow repairs here, not a background tick.
    cluster = await TestServingCluster.start(['a', 'b', 'c'], { antiEntropyIntervalMs: 600_000 });
    await cluster.client('a').set('doomed', 'soon gone');
    await cluster.stopNode('c');
    const writer = cluster.client('a');
    for (let i = 0; i < KEYS; i++) await writer.set(`k${i}`, `v${i}`);
    await writer.del('doomed');
    expect(cluster.nodes.get('a')!.hints.pending + cluster.nodes.get('b')!.hints.pending).toBe(0);

    const c = await cluster.startNode('c');
    await cluster.settled();
    expect(await c.replica.read(Buffer.from('k0'))).toBeUndefined();
    expect(liveText(await c.replica.read(Buffer.from('doomed')))).toBe('soon gone');

    await c.antiEntropy.syncNow();
    for (let i = 0; i < KEYS; i++) expect(liveText(await c.replica.read(Buffer.from(`k${i}`)))).toBe(`v${i}`);
    const doomed = await c.replica.read(Buffer.from('doomed'));
    expect(doomed?.mode === 'lww' && doomed.payload.kind).toBe('tombstone');
    expect(c.antiEntropy.stats.keysRepaired).toBeGreaterThanOrEqual(KEYS + 1);

    // Converged: another round finds nothing to copy.
    const repaired = c.antiEntropy.stats.keysRepaired;
    await c.antiEntropy.syncNow();
    expect(c.antiEntropy.stats.keysRepaired).toBe(repaired);
  });

  it('pushes a copy only this replica holds to the others', async () => {
    cluster = await TestServingCluster.start(['a', 'b', 'c'], { antiEntropyIntervalMs: 600_000 });
    const a = cluster.node('a');
    const key = Buffer.from('only-on-a');
    await a.replica.write(key, lwwWrite(a.keyspace.clock.now(), 'a', liveValue(Buffer.from('lonely'))));
    const partition = a.membership.snapshot.ring.partitionOfKey(key);
    expect(await a.antiEntropy.syncPartition(partition)).toBe(2);
    expect(liveText(await cluster.node('b').replica.read(key))).toBe('lonely');
    expect(liveText(await cluster.node('c').replica.read(key))).toBe('lonely');
  });

  it('repairs in the background, one partition per tick', async () => {
    cluster = await TestServingCluster.start(['a', 'b'], { antiEntropyIntervalMs: 20 });
    const a = cluster.node('a');
    const roundsAtStart = a.antiEntropy.stats.rounds;
    await new Promise((done) => setTimeout(done, 300));
    expect(a.antiEntropy.stats.rounds).toBeGreaterThan(roundsAtStart);
  });
});

/**
 * A node joining a three-node cluster (N=3) receives, without anti-entropy, the keys of every
 * range it now replicates, streamed by the former replicas.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { liveText, TestServingCluster, until } from './test-support.js';

const KEYS = 60;
let cluster: TestServingCluster | undefined;

afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

describe('rebalancing on join', () => {
  it('streams the keys of its new ranges to a joining node', async () => {
    cluster = await TestServingCluster.start(['a', 'b', 'c'], { antiEntropyIntervalMs: 600_000 });
    const writer = cluster.client('a');
    for (let i = 0; i < KEYS; i++) await writer.set(`k${i}`, `v${i}`);

    const d = await cluster.startNode('d');
    await cluster.settled();
    const ring = d.membership.snapshot.ring;
    const keysOfD = Array.from({ length: KEYS }, (_, i) => i).filter((i) => ring.preferenceList(Buffer.from(`k${i}`), 3).includes('d'));
    expect(keysOfD.length).toBeGreaterThan(0);
    await until('d holds every key of its ranges', async () => {
      for (const i of keysOfD) if (liveText(await d.replica.read(Buffer.from(`k${i}`))) !== `v${i}`) return false;
      return true;
    });
    for (const id of ['a', 'b', 'c']) await cluster.node(id).rebalancer.idle();
    const sent = ['a', 'b', 'c'].reduce((sum, id) => sum + cluster!.node(id).rebalancer.stats.keysSent, 0);
    expect(sent).toBeGreaterThanOrEqual(keysOfD.length);
    expect(d.antiEntropy.stats.keysRepaired).toBe(0);
  });
});

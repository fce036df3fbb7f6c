import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { filter, firstValueFrom } from 'rxjs';
import type { CoordClient } from '../client/coord-client.js';
import { ElectionAlreadyStartedError } from './errors.js';
import { LeaderElection } from './leader-election.js';
import { countingWatches, flushEvents, RecipeHarness } from './recipe-test-harness.js';

let harness: RecipeHarness;

beforeEach(async () => {
  harness = await RecipeHarness.start();
});

afterEach(async () => {
  await harness.close();
});

const becomes = (election: LeaderElection, leading: boolean) => firstValueFrom(election.leadership$.pipe(filter((value) => value === leading)));

async function candidates(clients: CoordClient[], path: string): Promise<LeaderElection[]> {
  const elections: LeaderElection[] = [];
  // One at a time, so that the order of arrival (and of the queue) is known.
  for (const [index, client] of clients.entries()) {
    const election = new LeaderElection(client, path, { candidateData: `candidate-${index}` });
    await election.start();
    elections.push(election);
  }
  return elections;
}

describe('leader election', () => {
  it('elects the first candidate and only it', async () => {
    const clients = await Promise.all([1, 2, 3].map(() => harness.connect()));
    const elections = await candidates(clients, '/election/single');
    expect(elections.map((election) => election.isLeader)).toEqual([true, false, false]);
    expect((await elections[2]!.leaderData())?.toString()).toBe('candidate-0');
    await expect(elections[0]!.start()).rejects.toBeInstanceOf(ElectionAlreadyStartedError);
  });

  it('hands over to the next candidate on resign, waking only it (no herd effect)', async () => {
    const raw = await Promise.all([1, 2, 3, 4].map(() => harness.connect()));
    const views = raw.map(countingWatches);
    const elections = await candidates(
      views.map((view) => view.client),
      '/election/herd',
    );
    await Promise.all(views.slice(1).map((view) => view.untilWatchesSet(1)));
    await elections[0]!.resign();
    await becomes(elections[1]!, true);
    await flushEvents(raw);
    expect(views.map((view) => view.events.length)).toEqual([0, 1, 0, 0]);
    expect(elections.map((election) => election.isLeader)).toEqual([false, true, false, false]);
    expect((await elections[3]!.leaderData())?.toString()).toBe('candidate-1');
  });

  it('fails over when the leader’s client closes', async () => {
    const clients = await Promise.all([1, 2].map(() => harness.connect()));
    const [leader, follower] = await candidates(clients, '/election/close');
    const leadershipEnded = firstValueFrom(leader!.leadership$.pipe(filter((value) => !value)));
    await clients[0]!.close();
    await leadershipEnded;
    await becomes(follower!, true);
    expect(leader!.isLeader).toBe(false);
  });

  it('fails over when the leader’s session expires, after the old leader stopped claiming', async () => {
    const { client: leaderClient, cut } = await harness.connectThroughProxy(200);
    const followerClient = await harness.connect();
    const [leader, follower] = await candidates([leaderClient, followerClient], '/election/expiry');
    expect(leader!.isLeader).toBe(true);
    const successor = becomes(follower!, true).then(() => ({ oldLeaderStillClaims: leader!.isLeader }));
    await cut();
    // The follower leads only once the server expired the leader's session and deleted its node.
    expect(await successor).toEqual({ oldLeaderStillClaims: false });
    expect(await followerClient.getChildren('/election/expiry')).toHaveLength(1);
  });

  it('re-lists when a waiting candidate dies, then watches the one before it', async () => {
    const clients = await Promise.all([1, 2, 3].map(() => harness.connect()));
    const [first, , third] = await candidates(clients, '/election/gap');
    await clients[1]!.close();
    await flushEvents([clients[2]!]);
    expect(third!.isLeader).toBe(false);
    await first!.resign();
    await becomes(third!, true);
  });

  it('can run again after resigning, at the back of the queue', async () => {
    const clients = await Promise.all([1, 2].map(() => harness.connect()));
    const [a, b] = await candidates(clients, '/election/again');
    await a!.resign();
    await becomes(b!, true);
    await a!.start();
    expect(a!.isLeader).toBe(false);
    await b!.resign();
    await becomes(a!, true);
  });
});

import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { filter, firstValueFrom, type Observable } from 'rxjs';
import { InvalidNameError, MemberExistsError } from './errors.js';
import { GroupMembership } from './group-membership.js';
import { losingCreateReplies, RecipeHarness } from './recipe-test-harness.js';

let harness: RecipeHarness;

beforeEach(async () => {
  harness = await RecipeHarness.start();
});

afterEach(async () => {
  await harness.close();
});

/** Resolves with the first list equal to `expected` (fails by timeout if it never comes). */
const listed = (members$: Observable<string[]>, expected: string[]) => firstValueFrom(members$.pipe(filter((members) => JSON.stringify(members) === JSON.stringify(expected))));

describe('group membership', () => {
  it('reports every join and leave, including a member whose client closed', async () => {
    const [observer, alice, bob, carol] = await Promise.all([1, 2, 3, 4].map(() => harness.connect()));
    const group = new GroupMembership(observer!, '/groups/workers');
    const seen: string[][] = [];
    const subscription = group.members$.subscribe((members) => seen.push(members));
    await listed(group.members$, []);

    const aliceMembership = await new GroupMembership(alice!, '/groups/workers').join('alice', 'host-a:1');
    await listed(group.members$, ['alice']);
    await new GroupMembership(bob!, '/groups/workers').join('bob');
    await new GroupMembership(carol!, '/groups/workers').join('carol');
    await listed(group.members$, ['alice', 'bob', 'carol']);
    expect((await group.memberData('alice'))?.toString()).toBe('host-a:1');

    await aliceMembership.leave();
    await listed(group.members$, ['bob', 'carol']);
    await bob!.close();
    await listed(group.members$, ['carol']);
    expect(await group.members()).toEqual(['carol']);
    expect(await group.memberData('alice')).toBeNull();

    subscription.unsubscribe();
    // Each list is reported once; intermediate ones may be skipped, never repeated.
    for (let i = 1; i < seen.length; i += 1) expect(seen[i]).not.toEqual(seen[i - 1]);
    expect(seen.at(-1)).toEqual(['carol']);
  });

  it('keeps a name for one session, and adopts its own node after a lost reply', async () => {
    const [first, second] = await Promise.all([1, 2].map(() => harness.connect()));
    await first!.mkdirp('/groups/names');
    const membership = await new GroupMembership(losingCreateReplies(first!), '/groups/names').join('worker-1');
    expect(await new GroupMembership(first!, '/groups/names').members()).toEqual(['worker-1']);
    await expect(new GroupMembership(second!, '/groups/names').join('worker-1')).rejects.toBeInstanceOf(MemberExistsError);
    await membership.leave();
    await membership.leave();
    await new GroupMembership(second!, '/groups/names').join('worker-1');
  });

  it('refuses names that are not one path segment', async () => {
    const client = await harness.connect();
    const group = new GroupMembership(client, '/groups/bad');
    for (const name of ['', 'a/b', '..', 'x\u0001', 'n'.repeat(256)]) await expect(group.join(name)).rejects.toBeInstanceOf(InvalidNameError);
    expect(await group.members()).toEqual([]);
  });
});

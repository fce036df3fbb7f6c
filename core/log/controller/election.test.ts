import { describe, expect, it } from '@jest/globals';
import { chooseLeader, initialState, reconcile } from './election.js';
import { NO_LEADER } from './partition-state.js';

const live = (...ids: number[]) => new Set(ids);

describe('partition leader election', () => {
  it('prefers the first live ISR member in assignment order', () => {
    expect(chooseLeader([1, 2, 3], [3, 2], live(1, 2, 3))).toBe(2);
    expect(chooseLeader([1, 2, 3], [3], live(1, 2, 3))).toBe(3);
  });

  it('never elects outside the ISR unless unclean election is on', () => {
    expect(chooseLeader([1, 2, 3], [1], live(2, 3))).toBe(NO_LEADER);
    expect(chooseLeader([1, 2, 3], [1], live(2, 3), true)).toBe(2);
  });

  it('starts a new partition with the live replicas in sync', () => {
    expect(initialState([2, 3, 1], live(1, 2, 3), 4)).toEqual({ leader: 2, leaderEpoch: 0, isr: [2, 3, 1], controllerEpoch: 4 });
    expect(initialState([2, 3, 1], live(3, 1), 4)).toEqual({ leader: 3, leaderEpoch: 0, isr: [3, 1], controllerEpoch: 4 });
  });

  it('leaves a healthy partition alone', () => {
    expect(reconcile({ replicas: [1, 2, 3], state: { leader: 1, leaderEpoch: 5, isr: [1, 2, 3], controllerEpoch: 1 }, live: live(1, 2, 3), controllerEpoch: 2 })).toBeUndefined();
  });

  it('replaces a dead leader from the ISR and bumps the epoch', () => {
    const next = reconcile({ replicas: [1, 2, 3], state: { leader: 1, leaderEpoch: 5, isr: [1, 3], controllerEpoch: 1 }, live: live(2, 3), controllerEpoch: 2 });
    expect(next).toEqual({ leader: 3, leaderEpoch: 6, isr: [3], controllerEpoch: 2 });
  });

  it('drops a dead follower from the ISR, keeping the leader', () => {
    const next = reconcile({ replicas: [1, 2, 3], state: { leader: 1, leaderEpoch: 5, isr: [1, 2, 3], controllerEpoch: 1 }, live: live(1, 3), controllerEpoch: 1 });
    expect(next).toEqual({ leader: 1, leaderEpoch: 6, isr: [1, 3], controllerEpoch: 1 });
  });

  it('takes a partition offline keeping its last ISR, and back online when an ISR member returns', () => {
    const offline = reconcile({ replicas: [1, 2, 3], state: { leader: 1, leaderEpoch: 5, isr: [1], controllerEpoch: 1 }, live: live(2, 3), controllerEpoch: 1 });
    expect(offline).toEqual({ leader: NO_LEADER, leaderEpoch: 6, isr: [1], controllerEpoch: 1 });
    expect(reconcile({ replicas: [1, 2, 3], state: offline!, live: live(2, 3), controllerEpoch: 1 })).toBeUndefined();
    expect(reconcile({ replicas: [1, 2, 3], state: offline!, live: live(1, 2, 3), controllerEpoch: 1 })).toEqual({ leader: 1, leaderEpoch: 7, isr: [1], controllerEpoch: 1 });
  });

  it('moves leadership off a leader that restarted since the state was written, and drops it from the ISR', () => {
    // The nemesis case: broker 3 led, was killed with its last (acknowledged) record torn, and came back before the controller saw it gone.
    const state = { leader: 3, leaderEpoch: 0, isr: [3, 1, 2], controllerEpoch: 1 };
    expect(reconcile({ replicas: [3, 1, 2], state, live: live(1, 2, 3), controllerEpoch: 1 })).toBeUndefined();
    expect(reconcile({ replicas: [3, 1, 2], state, live: live(1, 2, 3), controllerEpoch: 1, restarted: live(3) })).toEqual({ leader: 1, leaderEpoch: 1, isr: [1, 2], controllerEpoch: 1 });
  });

  it('grants a restarted leader its leadership anew (bumped epoch) when no other ISR member lives', () => {
    const state = { leader: 3, leaderEpoch: 4, isr: [3, 1], controllerEpoch: 1 };
    expect(reconcile({ replicas: [3, 1, 2], state, live: live(2, 3), controllerEpoch: 2, restarted: live(3) })).toEqual({ leader: 3, leaderEpoch: 5, isr: [3], controllerEpoch: 2 });
  });

  it('drops a restarted follower from the ISR until it has caught up again', () => {
    const state = { leader: 1, leaderEpoch: 2, isr: [1, 2, 3], controllerEpoch: 1 };
    expect(reconcile({ replicas: [1, 2, 3], state, live: live(1, 2, 3), controllerEpoch: 1, restarted: live(2) })).toEqual({ leader: 1, leaderEpoch: 3, isr: [1, 3], controllerEpoch: 1 });
  });

  it('prefers a steady ISR member over a restarted one when the leader died', () => {
    const state = { leader: 1, leaderEpoch: 2, isr: [1, 2, 3], controllerEpoch: 1 };
    expect(reconcile({ replicas: [1, 2, 3], state, live: live(2, 3), controllerEpoch: 1, restarted: live(2) })).toEqual({ leader: 3, leaderEpoch: 3, isr: [3], controllerEpoch: 1 });
  });

  it('leaves a restarted sole ISR member leading: no other replica holds anything it lost', () => {
    const state = { leader: 3, leaderEpoch: 4, isr: [3], controllerEpoch: 1 };
    expect(reconcile({ replicas: [3], state, live: live(3), controllerEpoch: 2, restarted: live(3) })).toBeUndefined();
    expect(reconcile({ replicas: [3, 1, 2], state, live: live(1, 2, 3), controllerEpoch: 2, restarted: live(3) })).toBeUndefined();
  });
});

import { describe, expect, it } from '@jest/globals';
import { all } from './all.js';
import { custom } from './custom.js';
import { direct } from './direct.js';
import { DirectTaskRequiredError, NotATargetTaskError } from './errors.js';
import { global } from './global.js';
import { createGrouping, type GroupingSpec } from './grouping-spec.js';
import { localOrShuffle } from './local-or-shuffle.js';
import { targetOf, taskRange, tally } from './test-targets.js';

describe('all grouping', () => {
  it('replicates every tuple to every task', () => {
    expect(all(targetOf([3, 1, 2])).chooseTasks(['a', 1], 9)).toEqual([1, 2, 3]);
  });
});

describe('global grouping', () => {
  it('sends the whole stream to the lowest task id', () => {
    const grouping = global(targetOf([7, 4, 9]));
    expect([grouping.chooseTasks(['a'], 1), grouping.chooseTasks(['b'], 2)]).toEqual([[4], [4]]);
  });
});

describe('direct grouping', () => {
  it('sends to the task the emitter names, if it subscribes', () => {
    const grouping = direct(targetOf([4, 5]));
    expect(grouping.chooseDirectTask(5)).toEqual([5]);
    expect(() => grouping.chooseDirectTask(6)).toThrow(NotATargetTaskError);
    expect(() => grouping.chooseDirectTask(6)).toThrow(/task 6 is not one of the target tasks \[4, 5\]/);
  });

  it('refuses a tuple emitted without a task', () => {
    expect(() => direct(targetOf([4])).chooseTasks(['a'], 1)).toThrow(DirectTaskRequiredError);
  });
});

describe('local-or-shuffle grouping', () => {
  const workerOf = (task: number): string => (task <= 4 ? 'worker-a' : 'worker-b');

  it('keeps tuples inside the emitting task\'s worker, spread evenly there', () => {
    const grouping = localOrShuffle(targetOf([3, 4, 5, 6]), { workerOf, random: () => 0 });
    expect(tally(taskRange(0, 10).flatMap(() => grouping.chooseTasks([], 1)))).toEqual(new Map([[3, 5], [4, 5]]));
    expect(tally(taskRange(0, 10).flatMap(() => grouping.chooseTasks([], 7)))).toEqual(new Map([[5, 5], [6, 5]]));
  });

  it('shuffles over all targets when none is local', () => {
    const grouping = localOrShuffle(targetOf([5, 6]), { workerOf: (task) => (task === 1 ? 'alone' : 'other'), random: () => 0 });
    expect(taskRange(0, 4).flatMap(() => grouping.chooseTasks([], 1))).toEqual([5, 6, 5, 6]);
  });
});

describe('custom grouping', () => {
  it('sends where the user function says, checked against the targets', () => {
    const evenOnly = custom(targetOf([1, 2, 3, 4]), (values, _source, tasks) => tasks.filter((task) => task % 2 === Number(values[0]) % 2));
    expect(evenOnly.chooseTasks([0], 1)).toEqual([2, 4]);
    expect(() => custom(targetOf([1, 2]), () => [3]).chooseTasks([], 1)).toThrow(NotATargetTaskError);
  });
});

describe('grouping specs', () => {
  it('turn into the grouping they name', () => {
    const specs: GroupingSpec[] = [
      { kind: 'shuffle' },
      { kind: 'fields', fields: ['word'] },
      { kind: 'all' },
      { kind: 'global' },
      { kind: 'localOrShuffle' },
      { kind: 'partialKey', fields: ['word'] },
      { kind: 'custom', chooser: (_values, _source, tasks) => tasks.slice(0, 1) },
    ];
    for (const spec of specs) {
      const chosen = createGrouping(spec, targetOf([1, 2]), { random: () => 0 }).chooseTasks(['a', 1], 1);
      expect(chosen.length).toBeGreaterThan(0);
    }
    expect(() => createGrouping({ kind: 'direct' }, targetOf([1])).chooseTasks([], 1)).toThrow(DirectTaskRequiredError);
  });
});

import { describe, expect, it } from '@jest/globals';
import type { ClusterAssignment } from './layout.js';
import { desiredWorkers, planWorkers } from './worker-plan.js';

const assignment = (version: number, active: boolean, placements: Record<string, string>): ClusterAssignment => ({
  version,
  active,
  assignedAtMs: 0,
  tasks: {},
  workers: {},
  placements: Object.fromEntries(Object.entries(placements).map(([workerId, supervisor], index) => [workerId, { supervisor, host: 'h', port: 7000 + index }])),
});

describe('supervisor worker plan', () => {
  it('runs only the workers placed on this supervisor', () => {
    const desired = desiredWorkers(new Map([['wc', assignment(1, true, { w1: 'a', w2: 'b' })]]), 'a');
    expect([...desired.keys()]).toEqual(['wc/w1']);
    expect(desired.get('wc/w1')).toMatchObject({ topology: 'wc', workerId: 'w1', version: 1, active: true, port: 7000 });
  });

  it('starts new workers, stops unassigned ones, restarts moved ones and toggles activation', () => {
    const desired = desiredWorkers(new Map([['wc', assignment(2, false, { w1: 'a', w2: 'a', w3: 'a' })]]), 'a');
    const running = new Map([
      ['wc/w1', { version: 2, active: true }],
      ['wc/w2', { version: 1, active: true }],
      ['old/w1', { version: 5, active: true }],
    ]);
    const plan = planWorkers(desired, running);
    expect(plan.start.map((worker) => worker.key)).toEqual(['wc/w3']);
    expect(plan.restart.map((worker) => worker.key)).toEqual(['wc/w2']);
    expect(plan.stop).toEqual(['old/w1']);
    expect(plan.setActive).toEqual([{ key: 'wc/w1', active: false }]);
  });

  it('does nothing when everything runs as assigned', () => {
    const desired = desiredWorkers(new Map([['wc', assignment(1, true, { w1: 'a' })]]), 'a');
    expect(planWorkers(desired, new Map([['wc/w1', { version: 1, active: true }]]))).toEqual({ start: [], restart: [], stop: [], setActive: [] });
  });
});

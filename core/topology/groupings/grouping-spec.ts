/**
 * Groupings as data: what a topology definition stores per subscription, and how a running task
 * turns that into a prepared Grouping once it knows the target tasks and the task placement.
 */
import { all } from './all.js';
import { custom, type CustomChooser } from './custom.js';
import { direct } from './direct.js';
import { fields } from './fields.js';
import { global } from './global.js';
import type { Grouping, GroupingTarget } from './grouping.js';
import { localOrShuffle, type WorkerOf } from './local-or-shuffle.js';
import { partialKey } from './partial-key.js';
import { shuffle } from './shuffle.js';

export type GroupingSpec =
  | { readonly kind: 'shuffle' }
  | { readonly kind: 'fields'; readonly fields: readonly string[] }
  | { readonly kind: 'all' }
  | { readonly kind: 'global' }
  | { readonly kind: 'direct' }
  | { readonly kind: 'localOrShuffle' }
  | { readonly kind: 'partialKey'; readonly fields: readonly string[] }
  | { readonly kind: 'custom'; readonly chooser: CustomChooser };

export type GroupingKind = GroupingSpec['kind'];

export interface GroupingRuntime {
  /** Worker of each task; without it localOrShuffle treats every task as local (one process). */
  readonly workerOf?: WorkerOf;
  readonly random?: () => number;
}

const SAME_WORKER: WorkerOf = () => 0;

export function createGrouping(spec: GroupingSpec, target: GroupingTarget, runtime: GroupingRuntime = {}): Grouping {
  const random = runtime.random ?? Math.random;
  switch (spec.kind) {
    case 'shuffle':
      return shuffle(target, { random });
    case 'fields':
      return fields(target, spec.fields);
    case 'all':
      return all(target);
    case 'global':
      return global(target);
    case 'direct':
      return direct(target);
    case 'localOrShuffle':
      return localOrShuffle(target, { random, workerOf: runtime.workerOf ?? SAME_WORKER });
    case 'partialKey':
      return partialKey(target, spec.fields);
    case 'custom':
      return custom(target, spec.chooser);
  }
}

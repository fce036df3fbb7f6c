/**
 * Operation sequences for the differential test and their seeded generator. An operation names
 * its choices (paths relative to the sequence root, payload names, ACL names, version choices);
 * each server run resolves them the same way, so both servers receive byte-identical requests as
 * long as they have agreed so far.
 */
import { CreateMode, WatcherType } from '../../../core/coord/zookeeper-constants.js';
import { Random } from './random.js';
import { ACL_WEIGHTS, DATA_CHOICES, LAST_CREATED, MALFORMED_PATHS, NODE_PATHS, SEQUENTIAL_PREFIXES, USER_NAMES, type AclChoice, type DataChoice, type UserName } from './vocabulary.js';

/** 'any' is -1; 'known' the version this server last reported for the path; 'wrong' known + 1. */
export type VersionChoice = 'any' | 'known' | 'wrong' | 0;

export type MultiStep =
  | { op: 'create'; path: string; data: DataChoice; acl: AclChoice; mode: number; withStat: boolean }
  | { op: 'delete'; path: string; version: VersionChoice }
  | { op: 'setData'; path: string; data: DataChoice; version: VersionChoice }
  | { op: 'check'; path: string; version: VersionChoice };

export type ReadStep = { op: 'getData' | 'getChildren'; path: string };

/** What an operation does, without who does it. */
export type Action =
  | MultiStep
  | { op: 'exists' | 'getData'; path: string; watch: boolean }
  | { op: 'getChildren'; path: string; watch: boolean; withStat: boolean }
  | { op: 'getACL' | 'getAllChildrenNumber' | 'sync'; path: string }
  | { op: 'setACL'; path: string; acl: AclChoice; version: VersionChoice }
  | { op: 'multi'; steps: MultiStep[] }
  | { op: 'multiRead'; steps: ReadStep[] }
  | { op: 'addAuth'; user: UserName }
  | { op: 'getEphemerals' }
  | { op: 'addWatch'; path: string; recursive: boolean }
  | { op: 'removeWatches'; path: string; watcherType: number }
  | { op: 'close' };

export type Operation = { session: number } & Action;

export interface Sequence {
  seed: number;
  /** Credentials each session adds right after connecting. */
  initialAuth: UserName[][];
  operations: Operation[];
}

export const SESSIONS = 3;

const OPERATION_WEIGHTS = {
  create: 24,
  delete: 10,
  setData: 10,
  check: 1,
  exists: 7,
  getData: 7,
  getChildren: 7,
  getACL: 4,
  setACL: 5,
  multi: 9,
  multiRead: 2,
  sync: 2,
  addAuth: 2,
  getEphemerals: 1,
  getAllChildrenNumber: 1,
  addWatch: 1.5,
  removeWatches: 1.5,
} as const;

function nodePath(random: Random): string {
  if (random.chance(0.12)) return LAST_CREATED;
  if (random.chance(0.02)) return random.pick(MALFORMED_PATHS);
  return random.pick(NODE_PATHS);
}

function version(random: Random): VersionChoice {
  return random.pick<VersionChoice>(['any', 'any', 'known', 'known', 'wrong', 0]);
}

function createStep(random: Random): Extract<MultiStep, { op: 'create' }> {
  const mode = random.pick([CreateMode.PERSISTENT, CreateMode.PERSISTENT, CreateMode.EPHEMERAL, CreateMode.PERSISTENT_SEQUENTIAL, CreateMode.EPHEMERAL_SEQUENTIAL]);
  const sequential = mode === CreateMode.PERSISTENT_SEQUENTIAL || mode === CreateMode.EPHEMERAL_SEQUENTIAL;
  const path = sequential ? random.pick(SEQUENTIAL_PREFIXES) : nodePath(random);
  return { op: 'create', path, data: random.pick(DATA_CHOICES), acl: random.weighted(ACL_WEIGHTS), mode, withStat: random.chance(0.5) };
}

function multiStep(random: Random): MultiStep {
  const op = random.weighted({ create: 4, delete: 2, setData: 2, check: 2 });
  if (op === 'create') return createStep(random);
  if (op === 'setData') return { op, path: nodePath(random), data: random.pick(DATA_CHOICES), version: version(random) };
  return { op, path: nodePath(random), version: version(random) };
}

function action(random: Random): Action {
  const op = random.weighted(OPERATION_WEIGHTS);
  switch (op) {
    case 'create':
      return createStep(random);
    case 'delete':
    case 'check':
      return { op, path: nodePath(random), version: version(random) };
    case 'setData':
      return { op, path: nodePath(random), data: random.pick(DATA_CHOICES), version: version(random) };
    case 'exists':
    case 'getData':
      return { op, path: nodePath(random), watch: random.chance(0.6) };
    case 'getChildren':
      return { op, path: nodePath(random), watch: random.chance(0.6), withStat: random.chance(0.7) };
    case 'getACL':
    case 'getAllChildrenNumber':
    case 'sync':
      return { op, path: nodePath(random) };
    case 'setACL':
      return { op, path: nodePath(random), acl: random.weighted(ACL_WEIGHTS), version: random.pick<VersionChoice>(['any', 'known', 'wrong']) };
    case 'multi':
      return { op, steps: Array.from({ length: random.int(0, 4) }, () => multiStep(random)) };
    case 'multiRead':
      return { op, steps: Array.from({ length: random.int(1, 3) }, () => ({ op: random.pick(['getData', 'getChildren'] as const), path: nodePath(random) })) };
    case 'addAuth':
      return { op, user: random.pick(USER_NAMES) };
    case 'getEphemerals':
      return { op };
    case 'addWatch':
      return { op, path: nodePath(random), recursive: random.chance(0.5) };
    case 'removeWatches':
      return { op, path: nodePath(random), watcherType: random.pick([WatcherType.Children, WatcherType.Data, WatcherType.Any]) };
  }
}

/**
 * The first operation creates the sequence root; one session other than session 0 closes at a
 * random point (its ephemerals vanish, other sessions' watches fire) and acts no more.
 */
export function generateSequence(seed: number, length: number): Sequence {
  const random = new Random(seed);
  const initialAuth = Array.from({ length: SESSIONS }, () => USER_NAMES.filter(() => random.chance(0.3)));
  const closing = random.int(1, SESSIONS - 1);
  const closeAt = random.int(Math.floor(length / 4), length - 2);
  const operations: Operation[] = [{ session: 0, op: 'create', path: '', data: 'v1', acl: 'open', mode: CreateMode.PERSISTENT, withStat: true }];
  while (operations.length < length) {
    if (operations.length === closeAt) {
      operations.push({ session: closing, op: 'close' });
      continue;
    }
    const live = Array.from({ length: SESSIONS }, (_, session) => session).filter((session) => session !== closing || operations.length < closeAt);
    operations.push({ session: random.pick(live), ...action(random) });
  }
  return { seed, initialAuth, operations };
}

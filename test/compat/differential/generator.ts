/**
 * The seeded generator of operation sequences. It keeps a rough guess of which nodes exist
 * (assuming every create, delete and multi succeeds) so that most operations aim at existing
 * nodes or creatable ones; the rest aim anywhere in the small path space, so NONODE, NODEEXISTS,
 * NOTEMPTY, BADVERSION and NOAUTH all stay frequent. The guess only steers choices: what happens
 * is decided by the servers and compared.
 */
import { CreateMode, WatcherType } from '../../../core/coord/zookeeper-constants.js';
import { SESSIONS, type Action, type MultiStep, type Operation, type Sequence, type VersionChoice } from './operations.js';
import { Random } from './random.js';
import { ACL_WEIGHTS, DATA_CHOICES, LAST_CREATED, MALFORMED_PATHS, NODE_PATHS, SEQUENTIAL_PREFIXES, USER_NAMES } from './vocabulary.js';

const OPERATION_WEIGHTS = {
  create: 24,
  delete: 10,
  setData: 10,
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

const PERSISTENT = -1;
const parentOf = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');

class Generator {
  /** Guessed nodes: relative path → owning session, or PERSISTENT. */
  private readonly guess = new Map<string, number>([['', PERSISTENT]]);
  /** "session path" of every addWatch so far. */

  constructor(private readonly random: Random) {}

  /** Mostly a node believed to exist; sometimes the last created one, a malformed or any path. */
  target(malformed = true): string {
    const { random } = this;
    if (random.chance(0.12)) return LAST_CREATED;
    if (malformed && random.chance(0.02)) return random.pick(MALFORMED_PATHS);
    if (random.chance(0.65)) return random.pick([...this.guess.keys()]);
    return random.pick(NODE_PATHS);
  }

  private creatable(): string {
    const candidates = NODE_PATHS.filter((path) => path !== '' && !this.guess.has(path) && this.guess.get(parentOf(path)) === PERSISTENT);
    return candidates.length > 0 && this.random.chance(0.75) ? this.random.pick(candidates) : this.target();
  }

  private version(): VersionChoice {
    return this.random.pick<VersionChoice>(['any', 'any', 'known', 'known', 'known', 'wrong', 0]);
  }

  create(session: number): Extract<MultiStep, { op: 'create' }> {
    const { random } = this;
    const mode = random.pick([CreateMode.PERSISTENT, CreateMode.PERSISTENT, CreateMode.EPHEMERAL, CreateMode.PERSISTENT_SEQUENTIAL, CreateMode.EPHEMERAL_SEQUENTIAL]);
    const sequential = mode === CreateMode.PERSISTENT_SEQUENTIAL || mode === CreateMode.EPHEMERAL_SEQUENTIAL;
    const path = sequential ? random.pick(SEQUENTIAL_PREFIXES) : this.creatable();
    if (!sequential && NODE_PATHS.includes(path as (typeof NODE_PATHS)[number]) && this.guess.has(parentOf(path)) && !this.guess.has(path)) {
      this.guess.set(path, mode === CreateMode.EPHEMERAL ? session : PERSISTENT);
    }
    return { op: 'create', path, data: random.pick(DATA_CHOICES), acl: random.weighted(ACL_WEIGHTS), mode, withStat: random.chance(0.5) };
  }

  delete(): Extract<MultiStep, { op: 'delete' }> {
    const leaves = [...this.guess.keys()].filter((path) => path !== '' && ![...this.guess.keys()].some((other) => parentOf(other) === path && other !== ''));
    const path = leaves.length > 0 && this.random.chance(0.6) ? this.random.pick(leaves) : this.target();
    if (leaves.includes(path)) this.guess.delete(path);
    return { op: 'delete', path, version: this.version() };
  }

  multiStep(session: number): MultiStep {
    const op = this.random.weighted({ create: 4, delete: 2, setData: 2, check: 2 });
    // ZooKeeper 3.8 answers a create2 inside multi as a plain create (ZOOKEEPER-4026); so must Barista.
    if (op === 'create') return { ...this.create(session), withStat: this.random.chance(0.5) };
    if (op === 'delete') return this.delete();
    if (op === 'setData') return { op, path: this.target(), data: this.random.pick(DATA_CHOICES), version: this.version() };
    return { op, path: this.target(), version: this.version() };
  }

  action(session: number): Action {
    const { random } = this;
    const op = random.weighted(OPERATION_WEIGHTS);
    switch (op) {
      case 'create':
        return this.create(session);
      case 'delete':
        return this.delete();
      case 'setData':
        return { op, path: this.target(), data: random.pick(DATA_CHOICES), version: this.version() };
      case 'exists':
      case 'getData':
        return { op, path: this.target(), watch: random.chance(0.6) };
      case 'getChildren':
        return { op, path: this.target(), watch: random.chance(0.6), withStat: random.chance(0.7) };
      case 'getACL':
      case 'getAllChildrenNumber':
      case 'sync':
        return { op, path: this.target() };
      case 'setACL':
        return { op, path: this.target(), acl: random.weighted(ACL_WEIGHTS), version: random.pick<VersionChoice>(['any', 'known', 'known', 'wrong']) };
      case 'multi':
        return { op, steps: Array.from({ length: random.int(0, 4) }, () => this.multiStep(session)) };
      case 'multiRead':
        return { op, steps: Array.from({ length: random.int(1, 3) }, () => ({ op: random.pick(['getData', 'getChildren'] as const), path: this.target() })) };
      case 'addAuth':
        return { op, user: random.pick(USER_NAMES) };
      case 'getEphemerals':
        return { op };
      case 'addWatch': {
        // ZooKeeper accepts addWatch on a malformed path such as "/r/a//b" (it never validates it).
        const path = this.target(true);
        return { op, path, recursive: random.chance(0.5) };
      }
      case 'removeWatches':
        return this.removeWatches();
    }
  }

  private removeWatches(): Action {
    const path = this.target();
    const { Children, Data, Any, Persistent, PersistentRecursive } = WatcherType;
    // A persistent watch is both a data and a child watch in ZooKeeper 3.8, so removing Data or
    // Children removes that side of it; types 4 and 5 (3.9) are answered MARSHALLINGERROR.
    return { op: 'removeWatches', path, watcherType: this.random.pick([Children, Data, Any, Persistent, PersistentRecursive]) };
  }

  /** The session's ephemerals vanish with it. */
  close(session: number): void {
    for (const [path, owner] of this.guess) if (owner === session) this.guess.delete(path);
  }
}

/**
 * The first operation creates the sequence root; one session other than session 0 closes at a
 * random point (its ephemerals vanish, other sessions' watches fire) and acts no more.
 */
export function generateSequence(seed: number, length: number): Sequence {
  const random = new Random(seed);
  const generator = new Generator(random);
  const initialAuth = Array.from({ length: SESSIONS }, () => USER_NAMES.filter(() => random.chance(0.3)));
  const closing = random.int(1, SESSIONS - 1);
  const closeAt = random.int(Math.floor(length / 4), length - 2);
  const operations: Operation[] = [{ session: 0, op: 'create', path: '', data: 'v1', acl: 'open', mode: CreateMode.PERSISTENT, withStat: true }];
  while (operations.length < length) {
    if (operations.length === closeAt) {
      operations.push({ session: closing, op: 'close' });
      generator.close(closing);
      continue;
    }
    const live = Array.from({ length: SESSIONS }, (_, session) => session).filter((session) => session !== closing || operations.length < closeAt);
    const session = random.pick(live);
    operations.push({ session, ...generator.action(session) });
  }
  return { seed, initialAuth, operations };
}

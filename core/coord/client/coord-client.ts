/**
 * The operations of the ZooKeeper API over a ZooKeeperClient session: promises for results,
 * callbacks for one-time watches, RxJS observables for values that should stay watched.
 */
import { Observable } from 'rxjs';
import { AddWatchMode, CreateMode, ErrorCode, OpCode, Perms, WatcherType } from '../zookeeper-constants.js';
import type { ACL, Stat } from '../tree/types.js';
import { readACLs, readStat, writeACLs } from '../server/records.js';
import type { JuteWriter } from '../server/jute/writer.js';
import { ZooKeeperError } from './errors.js';
import type { WatchCallback } from './client-watches.js';
import { ZooKeeperClient, type ZooKeeperClientOptions } from './zookeeper-client.js';

export const OPEN_ACL_UNSAFE: ACL[] = [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }];

export interface CreateOptions {
  mode?: number;
  acl?: ACL[];
  ttlMs?: number;
}

export type MultiOp =
  | { op: 'create'; path: string; data?: Buffer | string; mode?: number; acl?: ACL[] }
  | { op: 'delete'; path: string; version?: number }
  | { op: 'setData'; path: string; data: Buffer | string; version?: number }
  | { op: 'check'; path: string; version: number };

export type MultiResult = { op: 'create'; path: string } | { op: 'delete' | 'check' } | { op: 'setData'; stat: Stat } | { op: 'error'; err: number };

const bytes = (data: Buffer | string | undefined) => (data === undefined ? Buffer.alloc(0) : Buffer.isBuffer(data) ? data : Buffer.from(data));

function writeCreate(w: JuteWriter, path: string, data: Buffer, acl: ACL[], mode: number): void {
  w.string(path).buffer_(data);
  writeACLs(w, acl);
  w.int(mode);
}

export class CoordClient {
  private constructor(readonly session: ZooKeeperClient) {}

  static async connect(connectString: string, options: ZooKeeperClientOptions = {}): Promise<CoordClient> {
    return new CoordClient(await ZooKeeperClient.connect(connectString, options));
  }

  close(): Promise<void> {
    return this.session.close();
  }

  addAuth(scheme: string, auth: Buffer | string): Promise<void> {
    return this.session.addAuth(scheme, auth);
  }

  async create(path: string, data?: Buffer | string, options: CreateOptions = {}): Promise<string> {
    return (await this.create2(path, data, options)).path;
  }

  async create2(path: string, data?: Buffer | string, options: CreateOptions = {}): Promise<{ path: string; stat: Stat }> {
    const mode = options.mode ?? CreateMode.PERSISTENT;
    const acl = options.acl ?? OPEN_ACL_UNSAFE;
    const ttl = mode === CreateMode.PERSISTENT_WITH_TTL || mode === CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL;
    const type = ttl ? OpCode.createTTL : mode === CreateMode.CONTAINER ? OpCode.createContainer : OpCode.create2;
    const reply = await this.session.request(type, 'create', path, (w) => {
      writeCreate(w, path, bytes(data), acl, mode);
      if (ttl) w.long(BigInt(options.ttlMs ?? 0));
    });
    return { path: reply.body.string('path'), stat: readStat(reply.body) };
  }

  async delete(path: string, version = -1): Promise<void> {
    await this.session.request(OpCode.delete, 'delete', path, (w) => w.string(path).int(version));
  }

  /** The node's Stat, or null when it does not exist; `watch` fires on its creation, change or deletion. */
  async exists(path: string, watch?: WatchCallback): Promise<Stat | null> {
    // The watch is armed as the reply is read (see SessionConnection): an event right behind the
    // reply must find it. A present node gets a data watch, an absent one an exist watch.
    const arm = watch && ((err: number) => (err === 0 ? this.session.watches.addData(path, watch) : err === ErrorCode.NONODE ? this.session.watches.addExist(path, watch) : undefined));
    try {
      const reply = await this.session.request(OpCode.exists, 'exists', path, (w) => w.string(path).boolean(watch !== undefined), arm);
      return readStat(reply.body);
    } catch (error) {
      if (error instanceof ZooKeeperError && error.code === ErrorCode.NONODE) return null;
      throw error;
    }
  }

  async getData(path: string, watch?: WatchCallback): Promise<{ data: Buffer; stat: Stat }> {
    const arm = watch && ((err: number) => err === 0 && this.session.watches.addData(path, watch));
    const reply = await this.session.request(OpCode.getData, 'getData', path, (w) => w.string(path).boolean(watch !== undefined), arm);
    return { data: Buffer.from(reply.body.buffer_('data')), stat: readStat(reply.body) };
  }

  async setData(path: string, data: Buffer | string, version = -1): Promise<Stat> {
    const reply = await this.session.request(OpCode.setData, 'setData', path, (w) => w.string(path).buffer_(bytes(data)).int(version));
    return readStat(reply.body);
  }

  async getChildren(path: string, watch?: WatchCallback): Promise<string[]> {
    return (await this.getChildren2(path, watch)).children;
  }

  async getChildren2(path: string, watch?: WatchCallback): Promise<{ children: string[]; stat: Stat }> {
    const arm = watch && ((err: number) => err === 0 && this.session.watches.addChild(path, watch));
    const reply = await this.session.request(OpCode.getChildren2, 'getChildren', path, (w) => w.string(path).boolean(watch !== undefined), arm);
    return { children: reply.body.vector('children', (r) => r.string('child')), stat: readStat(reply.body) };
  }

  async getACL(path: string): Promise<{ acl: ACL[]; stat: Stat }> {
    const reply = await this.session.request(OpCode.getACL, 'getACL', path, (w) => w.string(path));
    return { acl: readACLs(reply.body), stat: readStat(reply.body) };
  }

  async setACL(path: string, acl: ACL[], version = -1): Promise<Stat> {
    const reply = await this.session.request(OpCode.setACL, 'setACL', path, (w) => {
      w.string(path);
      writeACLs(w, acl);
      w.int(version);
    });
    return readStat(reply.body);
  }

  /** Waits until this server has applied every write the leader had committed when sync arrived. */
  async sync(path = '/'): Promise<void> {
    await this.session.request(OpCode.sync, 'sync', path, (w) => w.string(path));
  }

  async getAllChildrenNumber(path: string): Promise<number> {
    const reply = await this.session.request(OpCode.getAllChildrenNumber, 'getAllChildrenNumber', path, (w) => w.string(path));
    return reply.body.int('totalNumber');
  }

  async getEphemerals(prefixPath = '/'): Promise<string[]> {
    const reply = await this.session.request(OpCode.getEphemerals, 'getEphemerals', prefixPath, (w) => w.string(prefixPath));
    return reply.body.vector('ephemerals', (r) => r.string('path'));
  }

  /** A persistent (or persistent-recursive) watch: `callback` hears every event until removed. */
  async addWatch(path: string, callback: WatchCallback, mode: number = AddWatchMode.PERSISTENT): Promise<void> {
    const arm = (err: number) => err === 0 && this.session.watches.addPersistent(path, mode, callback);
    await this.session.request(OpCode.addWatch, 'addWatch', path, (w) => w.string(path).int(mode), arm);
  }

  async removeWatches(path: string, watcherType: number = WatcherType.Any): Promise<void> {
    await this.session.request(OpCode.removeWatches, 'removeWatches', path, (w) => w.string(path).int(watcherType));
    const { data, exist, child, persistent, recursive } = this.session.watches;
    if (watcherType === WatcherType.Data || watcherType === WatcherType.Any) {
      data.delete(path);
      exist.delete(path);
    }
    if (watcherType === WatcherType.Children || watcherType === WatcherType.Any) child.delete(path);
    if (watcherType === WatcherType.Persistent || watcherType === WatcherType.Any) persistent.delete(path);
    if (watcherType === WatcherType.PersistentRecursive || watcherType === WatcherType.Any) recursive.delete(path);
  }

  /** All-or-nothing writes. Throws ZooKeeperError (with `results`) if any op fails. */
  async multi(ops: MultiOp[]): Promise<MultiResult[]> {
    const reply = await this.session.request(OpCode.multi, 'multi', undefined, (w) => {
      for (const op of ops) {
        if (op.op === 'create') {
          w.int(OpCode.create).boolean(false).int(-1);
          writeCreate(w, op.path, bytes(op.data), op.acl ?? OPEN_ACL_UNSAFE, op.mode ?? CreateMode.PERSISTENT);
        } else if (op.op === 'delete') w.int(OpCode.delete).boolean(false).int(-1).string(op.path).int(op.version ?? -1);
        else if (op.op === 'setData') w.int(OpCode.setData).boolean(false).int(-1).string(op.path).buffer_(bytes(op.data)).int(op.version ?? -1);
        else w.int(OpCode.check).boolean(false).int(-1).string(op.path).int(op.version);
      }
      w.int(-1).boolean(true).int(-1);
    });
    const results: MultiResult[] = [];
    for (;;) {
      const type = reply.body.int('MultiHeader.type');
      const done = reply.body.boolean('MultiHeader.done');
      const err = reply.body.int('MultiHeader.err');
      if (done) break;
      if (type === OpCode.error) results.push({ op: 'error', err: reply.body.int('ErrorResponse.err') });
      else if (type === OpCode.create) results.push({ op: 'create', path: reply.body.string('path') });
      else if (type === OpCode.setData) results.push({ op: 'setData', stat: readStat(reply.body) });
      else results.push({ op: type === OpCode.delete ? 'delete' : 'check' });
      void err;
    }
    const failure = results.find((result): result is { op: 'error'; err: number } => result.op === 'error' && result.err !== 0);
    if (failure) throw Object.assign(new ZooKeeperError(failure.err, 'multi', undefined), { results });
    return results;
  }

  /** Creates the path and any missing ancestors (persistent, open ACL). */
  async mkdirp(path: string): Promise<void> {
    let current = '';
    for (const segment of path.split('/').filter(Boolean)) {
      current += `/${segment}`;
      try {
        await this.create(current);
      } catch (error) {
        if (!(error instanceof ZooKeeperError && error.code === ErrorCode.NODEEXISTS)) throw error;
      }
    }
  }

  /** The node's data, now and after every change (null while it does not exist). */
  observeData(path: string): Observable<{ data: Buffer; stat: Stat } | null> {
    return new Observable((subscriber) => {
      let active = true;
      const read = async (): Promise<void> => {
        if (!active) return;
        try {
          const stat = await this.exists(path, () => void read());
          if (stat === null) return subscriber.next(null);
          subscriber.next(await this.getData(path));
        } catch (error) {
          if (error instanceof ZooKeeperError && error.code === ErrorCode.NONODE) return void read();
          subscriber.error(error);
        }
      };
      void read();
      return () => {
        active = false;
      };
    });
  }

  /** The node's children, now and after every change (null while it does not exist). */
  observeChildren(path: string): Observable<string[] | null> {
    return new Observable((subscriber) => {
      let active = true;
      const read = async (): Promise<void> => {
        if (!active) return;
        try {
          subscriber.next((await this.getChildren(path, () => void read())).sort());
        } catch (error) {
          if (error instanceof ZooKeeperError && error.code === ErrorCode.NONODE) {
            const stat = await this.exists(path, () => void read()).catch(() => null);
            if (stat === null) subscriber.next(null);
            else void read();
            return;
          }
          subscriber.error(error);
        }
      };
      void read();
      return () => {
        active = false;
      };
    });
  }
}

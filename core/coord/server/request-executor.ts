/**
 * Executes one decoded request for a connection and encodes its reply: reads against the local
 * tree (registering watches), writes through the replica, session and watch bookkeeping ops.
 */
import { AddWatchMode, CreateMode, ErrorCode, EventType, WatcherType, Xid, isTtl } from '../zookeeper-constants.js';
import { authIdsForAddAuth, type OpResult, type WriteOp } from '../tree/index.js';
import { ReplicationUnavailableError } from '../replication/replica.js';
import { JuteWriter } from './jute/writer.js';
import { writeReplyHeader } from './records.js';
import type { ClientRequest } from './requests.js';
import { aclBody, childrenBody, createBody, dataBody, endMulti, multiOpType, reply, statBody, writeMultiResult } from './responses.js';
import type { ClientConnection, ServerContext } from './client-connection.js';

type Create = Extract<ClientRequest, { op: 'create' }>;

/** Checks a create request's mode against its variant before it reaches the log. */
function createModeError(request: Create): number {
  const { mode, variant } = request;
  if (mode < CreateMode.PERSISTENT || mode > CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL) return ErrorCode.BADARGUMENTS;
  if (variant === 'createContainer' && mode !== CreateMode.CONTAINER) return ErrorCode.BADARGUMENTS;
  if (variant === 'createTTL' && !isTtl(mode)) return ErrorCode.BADARGUMENTS;
  if (variant !== 'createTTL' && isTtl(mode)) return ErrorCode.BADARGUMENTS;
  return 0;
}

function toWriteOp(request: ClientRequest): WriteOp | { err: number } {
  switch (request.op) {
    case 'create': {
      const err = createModeError(request);
      if (err !== 0) return { err };
      return { type: 'create', path: request.path, data: request.data, acl: request.acl, mode: request.mode, ...(request.ttlMs !== undefined ? { ttlMs: request.ttlMs } : {}) };
    }
    case 'delete':
      return { type: 'delete', path: request.path, version: request.version };
    case 'setData':
      return { type: 'setData', path: request.path, data: request.data, version: request.version };
    case 'setACL':
      return { type: 'setACL', path: request.path, acl: request.acl, version: request.version };
    case 'check':
      return { type: 'check', path: request.path, version: request.version };
    default:
      return { err: ErrorCode.BADARGUMENTS };
  }
}

async function write(connection: ClientConnection, server: ServerContext, op: WriteOp) {
  return server.replica.write(op, connection.sessionId, connection.authIds);
}

export async function executeRequest(connection: ClientConnection, server: ServerContext, xid: number, request: ClientRequest): Promise<Buffer | undefined> {
  try {
    return await execute(connection, server, xid, request);
  } catch (error) {
    if (error instanceof ReplicationUnavailableError) {
      // The client's library turns a lost connection into a retry against another server.
      server.logger.warn({ sessionId: connection.sessionId.toString(16), reason: error.reason }, 'write not replicated, dropping connection');
      connection.frames.close(error.message);
      return undefined;
    }
    throw error;
  }
}

// Reads are not path-validated: ZooKeeper's server answers NONODE for a path that cannot exist.
async function execute(connection: ClientConnection, server: ServerContext, xid: number, request: ClientRequest): Promise<Buffer | undefined> {
  const { tree } = server.replica;
  const zxid = () => tree.lastZxid;
  const ids = connection.authIds;
  switch (request.op) {
    case 'create':
    case 'delete':
    case 'setData':
    case 'setACL':
    case 'check': {
      const op = toWriteOp(request);
      if ('err' in op) return reply(xid, zxid(), op.err);
      const applied = await write(connection, server, op);
      const result = applied.outcome.result;
      if (result.err !== 0) return reply(xid, applied.ctx.zxid, result.err);
      if (result.type === 'create') return reply(xid, applied.ctx.zxid, 0, createBody((request as Create).variant, result.path, result.stat));
      if (result.type === 'setData' || result.type === 'setACL') return reply(xid, applied.ctx.zxid, 0, statBody(result.stat));
      return reply(xid, applied.ctx.zxid, 0);
    }
    case 'multi':
      return executeMulti(connection, server, xid, request.ops);
    case 'multiRead':
      return executeMultiRead(connection, server, xid, request.ops);
    case 'sync': {
      const applied = await write(connection, server, { type: 'noop' });
      return reply(xid, applied.ctx.zxid, 0, (w) => w.string(request.path));
    }
    case 'closeSession': {
      const applied = await write(connection, server, { type: 'closeSession', sessionId: connection.sessionId });
      setImmediate(() => connection.frames.close('session closed by client'));
      return reply(xid, applied.ctx.zxid, 0);
    }
    case 'exists': {
      const result = tree.exists(request.path);
      if (request.watch) server.watches.addDataWatch(request.path, connection);
      return result.err === 0 ? reply(xid, zxid(), 0, statBody(result.stat)) : reply(xid, zxid(), result.err);
    }
    case 'getData': {
      const result = tree.getData(request.path, ids);
      if (result.err !== 0) return reply(xid, zxid(), result.err);
      if (request.watch) server.watches.addDataWatch(request.path, connection);
      return reply(xid, zxid(), 0, dataBody(result.data, result.stat));
    }
    case 'getChildren': {
      const result = tree.getChildren(request.path, ids);
      if (result.err !== 0) return reply(xid, zxid(), result.err);
      if (request.watch) server.watches.addChildWatch(request.path, connection);
      return reply(xid, zxid(), 0, childrenBody(result.children, request.withStat ? result.stat : undefined));
    }
    case 'getACL': {
      const result = tree.getACL(request.path, ids);
      return result.err === 0 ? reply(xid, zxid(), 0, aclBody(result.acl, result.stat)) : reply(xid, zxid(), result.err);
    }
    case 'getAllChildrenNumber': {
      const result = tree.getAllChildrenNumber(request.path, ids);
      return result.err === 0 ? reply(xid, zxid(), 0, (w) => w.int(result.count)) : reply(xid, zxid(), result.err);
    }
    case 'getEphemerals': {
      const paths = tree.getEphemerals(connection.sessionId, request.prefixPath);
      return reply(xid, zxid(), 0, (w) => w.vector(paths, (v, path: string) => v.string(path)));
    }
    case 'auth': {
      const id = authIdsForAddAuth(request.scheme, request.auth, { remoteAddress: connection.frames.remoteAddress.replace(/^::ffff:/, "") });
      if ('err' in id) {
        setImmediate(() => connection.frames.close(`authentication failed for scheme ${request.scheme}`));
        return reply(Xid.AUTH, zxid(), ErrorCode.AUTHFAILED);
      }
      if (!ids.some((known) => known.scheme === id.scheme && known.id === id.id)) ids.push(id);
      return reply(Xid.AUTH, zxid(), 0);
    }
    case 'whoAmI':
      return reply(xid, zxid(), 0, (w) => w.vector(ids, (v, id) => v.string(id.scheme).string(id.id)));
    case 'setWatches':
      restoreWatches(connection, server, request);
      return reply(Xid.SET_WATCHES, zxid(), 0);
    case 'addWatch': {
      // ZooKeeper does not validate the path: a watch on a path that cannot exist never fires.
      if (request.mode !== AddWatchMode.PERSISTENT && request.mode !== AddWatchMode.PERSISTENT_RECURSIVE) return reply(xid, zxid(), ErrorCode.BADARGUMENTS);
      server.watches.addPersistentWatch(request.path, request.mode, connection);
      // ZooKeeper answers addWatch with an ErrorResponse(0) body, which its Java client reads.
      return reply(xid, zxid(), 0, (w) => w.int(0));
    }
    case 'removeWatches': {
      // ZooKeeper 3.8 knows Children, Data and Any here (Persistent kinds arrived in 3.9).
      if (request.watcherType < WatcherType.Children || request.watcherType > WatcherType.Any) return reply(xid, zxid(), ErrorCode.MARSHALLINGERROR);
      const found = server.watches.remove(request.path, request.watcherType, connection, request.check);
      return reply(xid, zxid(), found ? 0 : ErrorCode.NOWATCHER);
    }
    case 'ping':
      return reply(Xid.PING, zxid(), 0);
  }
}

async function executeMulti(connection: ClientConnection, server: ServerContext, xid: number, requests: ClientRequest[]): Promise<Buffer> {
  const ops: WriteOp[] = [];
  for (const request of requests) {
    const op = toWriteOp(request);
    if ('err' in op) return reply(xid, server.replica.tree.lastZxid, op.err);
    ops.push(op);
  }
  const applied = await write(connection, server, { type: 'multi', ops });
  const result = applied.outcome.result;
  const results: Array<OpResult | { err: number }> = 'results' in result && result.results ? result.results : [result];
  const writer = new JuteWriter();
  // A failed multi still answers OK in the header: the per-op results carry the errors.
  writeReplyHeader(writer, { xid, zxid: applied.ctx.zxid, err: 0 });
  results.forEach((entry, index) => {
    const request = requests[index]!;
    const variant = request.op === 'create' ? request.variant : undefined;
    writeMultiResult(writer, multiOpType(request.op), entry, variant, result.err !== 0);
  });
  endMulti(writer);
  return writer.finish();
}

function executeMultiRead(connection: ClientConnection, server: ServerContext, xid: number, requests: ClientRequest[]): Buffer {
  const { tree } = server.replica;
  const writer = new JuteWriter();
  writeReplyHeader(writer, { xid, zxid: tree.lastZxid, err: 0 });
  for (const request of requests) {
    if (request.op === 'getData') {
      const result = tree.getData(request.path, connection.authIds);
      if (result.err !== 0) writer.int(-1).boolean(false).int(result.err).int(result.err);
      else if ('data' in result) {
        writer.int(multiOpType('getData')).boolean(false).int(0);
        dataBody(result.data, result.stat)(writer);
      }
    } else if (request.op === 'getChildren') {
      const result = tree.getChildren(request.path, connection.authIds);
      if (result.err !== 0) writer.int(-1).boolean(false).int(result.err).int(result.err);
      else if ('children' in result) {
        writer.int(multiOpType('getChildren')).boolean(false).int(0);
        childrenBody(result.children, undefined)(writer);
      }
    } else {
      writer.int(-1).boolean(false).int(ErrorCode.BADARGUMENTS).int(ErrorCode.BADARGUMENTS);
    }
  }
  endMulti(writer);
  return writer.finish();
}

/**
 * setWatches after a reconnect: re-registers the client's watches and fires at once those whose
 * change the client missed while disconnected (anything newer than relativeZxid).
 */
function restoreWatches(connection: ClientConnection, server: ServerContext, request: Extract<ClientRequest, { op: 'setWatches' }>): void {
  const { tree } = server.replica;
  const since = request.relativeZxid;
  for (const path of request.data) {
    const node = tree.exists(path);
    if (node.err !== 0) connection.deliver({ type: EventType.NodeDeleted, path });
    else if (node.stat.mzxid > since) connection.deliver({ type: EventType.NodeDataChanged, path });
    else server.watches.addDataWatch(path, connection);
  }
  for (const path of request.exist) {
    if (tree.exists(path).err === 0) connection.deliver({ type: EventType.NodeCreated, path });
    else server.watches.addDataWatch(path, connection);
  }
  for (const path of request.child) {
    const node = tree.exists(path);
    if (node.err !== 0) connection.deliver({ type: EventType.NodeDeleted, path });
    else if (node.stat.pzxid > since) connection.deliver({ type: EventType.NodeChildrenChanged, path });
    else server.watches.addChildWatch(path, connection);
  }
  for (const path of request.persistent) server.watches.addPersistentWatch(path, AddWatchMode.PERSISTENT, connection);
  for (const path of request.persistentRecursive) server.watches.addPersistentWatch(path, AddWatchMode.PERSISTENT_RECURSIVE, connection);
}



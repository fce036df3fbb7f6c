/**
 * Request decoders, one per ZooKeeper op code (ZooDefs.OpCode → the jute record that follows the
 * request header). An op code the server does not implement yields undefined, answered with
 * UNIMPLEMENTED; a body that does not decode throws JuteDecodeError, answered by closing the
 * connection as ZooKeeper does with a marshalling error.
 */
import { OpCode } from '../../zookeeper-constants.js';
import type { JuteReader } from '../jute/reader.js';
import { JuteDecodeError } from '../jute/errors.js';
import { readACLs } from '../records.js';
import type { ClientRequest, CreateVariant } from '../requests.js';

type Decoder = (reader: JuteReader) => ClientRequest;

function create(variant: CreateVariant): Decoder {
  return (reader) => {
    const path = reader.string('path');
    const data = Buffer.from(reader.buffer_('data'));
    const acl = readACLs(reader);
    const mode = reader.int('flags');
    const request: ClientRequest = { op: 'create', variant, path, data, acl, mode };
    if (variant === 'createTTL') request.ttlMs = Number(reader.long('ttl'));
    return request;
  };
}

const strings = (reader: JuteReader, field: string) => reader.vector(field, (r) => r.string(field));

const DECODERS: ReadonlyMap<number, Decoder> = new Map<number, Decoder>([
  [OpCode.create, create('create')],
  [OpCode.create2, create('create2')],
  [OpCode.createContainer, create('createContainer')],
  [OpCode.createTTL, create('createTTL')],
  [OpCode.delete, (r) => ({ op: 'delete', path: r.string('path'), version: r.int('version') })],
  [OpCode.exists, (r) => ({ op: 'exists', path: r.string('path'), watch: r.boolean('watch') })],
  [OpCode.getData, (r) => ({ op: 'getData', path: r.string('path'), watch: r.boolean('watch') })],
  [OpCode.setData, (r) => ({ op: 'setData', path: r.string('path'), data: Buffer.from(r.buffer_('data')), version: r.int('version') })],
  [OpCode.getACL, (r) => ({ op: 'getACL', path: r.string('path') })],
  [OpCode.setACL, (r) => ({ op: 'setACL', path: r.string('path'), acl: readACLs(r), version: r.int('version') })],
  [OpCode.getChildren, (r) => ({ op: 'getChildren', path: r.string('path'), watch: r.boolean('watch'), withStat: false })],
  [OpCode.getChildren2, (r) => ({ op: 'getChildren', path: r.string('path'), watch: r.boolean('watch'), withStat: true })],
  [OpCode.check, (r) => ({ op: 'check', path: r.string('path'), version: r.int('version') })],
  [OpCode.sync, (r) => ({ op: 'sync', path: r.string('path') })],
  [OpCode.ping, () => ({ op: 'ping' })],
  [OpCode.closeSession, () => ({ op: 'closeSession' })],
  [OpCode.multi, (r) => ({ op: 'multi', ops: decodeMultiOps(r) })],
  [OpCode.multiRead, (r) => ({ op: 'multiRead', ops: decodeMultiOps(r) })],
  [OpCode.auth, (r) => (r.int('AuthPacket.type'), { op: 'auth', scheme: r.string('scheme'), auth: Buffer.from(r.buffer_('auth')) })],
  [
    OpCode.setWatches,
    (r) => ({ op: 'setWatches', relativeZxid: r.long('relativeZxid'), data: strings(r, 'dataWatches'), exist: strings(r, 'existWatches'), child: strings(r, 'childWatches'), persistent: [], persistentRecursive: [] }),
  ],
  [
    OpCode.setWatches2,
    (r) => ({
      op: 'setWatches',
      relativeZxid: r.long('relativeZxid'),
      data: strings(r, 'dataWatches'),
      exist: strings(r, 'existWatches'),
      child: strings(r, 'childWatches'),
      persistent: strings(r, 'persistentWatches'),
      persistentRecursive: strings(r, 'persistentRecursiveWatches'),
    }),
  ],
  [OpCode.addWatch, (r) => ({ op: 'addWatch', path: r.string('path'), mode: r.int('mode') })],
  [OpCode.removeWatches, (r) => ({ op: 'removeWatches', path: r.string('path'), watcherType: r.int('type'), check: false })],
  [OpCode.checkWatches, (r) => ({ op: 'removeWatches', path: r.string('path'), watcherType: r.int('type'), check: true })],
  [OpCode.getEphemerals, (r) => ({ op: 'getEphemerals', prefixPath: r.string('prefixPath') })],
  [OpCode.getAllChildrenNumber, (r) => ({ op: 'getAllChildrenNumber', path: r.string('path') })],
  [OpCode.whoAmI, () => ({ op: 'whoAmI' })],
]);

/** Op codes allowed inside multi (writes) and multiRead (reads). */
const MULTI_OPS = new Set<number>([OpCode.create, OpCode.create2, OpCode.createContainer, OpCode.createTTL, OpCode.delete, OpCode.setData, OpCode.check]);
const MULTI_READ_OPS = new Set<number>([OpCode.getChildren, OpCode.getData]);

/** Multi bodies: MultiHeader(type, done, err) + op record, until a header with done = true. */
function decodeMultiOps(reader: JuteReader): ClientRequest[] {
  const ops: ClientRequest[] = [];
  for (;;) {
    const type = reader.int('MultiHeader.type');
    const done = reader.boolean('MultiHeader.done');
    reader.int('MultiHeader.err');
    if (done) return ops;
    if (!MULTI_OPS.has(type) && !MULTI_READ_OPS.has(type)) throw new JuteDecodeError('MultiHeader.type', reader.position, `op ${type} is not allowed in multi`);
    ops.push(DECODERS.get(type)!(reader));
  }
}

export function decodeRequest(type: number, reader: JuteReader): ClientRequest | undefined {
  const decoder = DECODERS.get(type);
  return decoder === undefined ? undefined : decoder(reader);
}

export function isMultiReadOp(request: ClientRequest): boolean {
  return request.op === 'getData' || (request.op === 'getChildren' && !request.withStat);
}

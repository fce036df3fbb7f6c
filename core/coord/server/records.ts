/** The jute records shared by many ZooKeeper operations: Id, ACL, Stat, headers, watch events. */
import type { ACL, Id, Stat } from '../tree/index.js';
import type { JuteReader } from './jute/reader.js';
import type { JuteWriter } from './jute/writer.js';

export function readId(reader: JuteReader): Id {
  return { scheme: reader.string('Id.scheme'), id: reader.string('Id.id') };
}

export function writeId(writer: JuteWriter, id: Id): void {
  writer.string(id.scheme).string(id.id);
}

export function readACL(reader: JuteReader): ACL {
  return { perms: reader.int('ACL.perms'), id: readId(reader) };
}

export function writeACL(writer: JuteWriter, acl: ACL): void {
  writer.int(acl.perms);
  writeId(writer, acl.id);
}

export function readACLs(reader: JuteReader): ACL[] {
  return reader.vector('acl', readACL);
}

export function writeACLs(writer: JuteWriter, acls: readonly ACL[]): void {
  writer.vector(acls, writeACL);
}

export function writeStat(writer: JuteWriter, stat: Stat): void {
  writer
    .long(stat.czxid)
    .long(stat.mzxid)
    .long(BigInt(stat.ctime))
    .long(BigInt(stat.mtime))
    .int(stat.version)
    .int(stat.cversion)
    .int(stat.aversion)
    .long(stat.ephemeralOwner)
    .int(stat.dataLength)
    .int(stat.numChildren)
    .long(stat.pzxid);
}

export function readStat(reader: JuteReader): Stat {
  return {
    czxid: reader.long('Stat.czxid'),
    mzxid: reader.long('Stat.mzxid'),
    ctime: Number(reader.long('Stat.ctime')),
    mtime: Number(reader.long('Stat.mtime')),
    version: reader.int('Stat.version'),
    cversion: reader.int('Stat.cversion'),
    aversion: reader.int('Stat.aversion'),
    ephemeralOwner: reader.long('Stat.ephemeralOwner'),
    dataLength: reader.int('Stat.dataLength'),
    numChildren: reader.int('Stat.numChildren'),
    pzxid: reader.long('Stat.pzxid'),
  };
}

export interface RequestHeader {
  xid: number;
  type: number;
}

export function readRequestHeader(reader: JuteReader): RequestHeader {
  return { xid: reader.int('RequestHeader.xid'), type: reader.int('RequestHeader.type') };
}

export interface ReplyHeader {
  xid: number;
  zxid: bigint;
  err: number;
}

export function writeReplyHeader(writer: JuteWriter, header: ReplyHeader): void {
  writer.int(header.xid).long(header.zxid).int(header.err);
}

export function readReplyHeader(reader: JuteReader): ReplyHeader {
  return { xid: reader.int('ReplyHeader.xid'), zxid: reader.long('ReplyHeader.zxid'), err: reader.int('ReplyHeader.err') };
}

export interface WatcherEvent {
  type: number;
  state: number;
  path: string;
}

export function writeWatcherEvent(writer: JuteWriter, event: WatcherEvent): void {
  writer.int(event.type).int(event.state).string(event.path);
}

export function readWatcherEvent(reader: JuteReader): WatcherEvent {
  return { type: reader.int('WatcherEvent.type'), state: reader.int('WatcherEvent.state'), path: reader.string('WatcherEvent.path') };
}

/** The connect handshake: the first packet of a connection, without a request header. */
export interface ConnectRequest {
  protocolVersion: number;
  lastZxidSeen: bigint;
  timeoutMs: number;
  sessionId: bigint;
  password: Buffer;
  /** Sent by 3.4+ clients; older ones omit it. */
  readOnly: boolean;
}

export function readConnectRequest(reader: JuteReader): ConnectRequest {
  const request = {
    protocolVersion: reader.int('ConnectRequest.protocolVersion'),
    lastZxidSeen: reader.long('ConnectRequest.lastZxidSeen'),
    timeoutMs: reader.int('ConnectRequest.timeOut'),
    sessionId: reader.long('ConnectRequest.sessionId'),
    password: Buffer.from(reader.buffer_('ConnectRequest.passwd')),
    readOnly: false,
  };
  if (reader.remaining >= 1) request.readOnly = reader.boolean('ConnectRequest.readOnly');
  return request;
}

export function writeConnectRequest(writer: JuteWriter, request: ConnectRequest): void {
  writer.int(request.protocolVersion).long(request.lastZxidSeen).int(request.timeoutMs).long(request.sessionId).buffer_(request.password).boolean(request.readOnly);
}

export interface ConnectResponse {
  protocolVersion: number;
  timeoutMs: number;
  sessionId: bigint;
  password: Buffer;
  readOnly: boolean;
}

export function writeConnectResponse(writer: JuteWriter, response: ConnectResponse): void {
  writer.int(response.protocolVersion).int(response.timeoutMs).long(response.sessionId).buffer_(response.password).boolean(response.readOnly);
}

export function readConnectResponse(reader: JuteReader): ConnectResponse {
  const response = {
    protocolVersion: reader.int('ConnectResponse.protocolVersion'),
    timeoutMs: reader.int('ConnectResponse.timeOut'),
    sessionId: reader.long('ConnectResponse.sessionId'),
    password: Buffer.from(reader.buffer_('ConnectResponse.passwd')),
    readOnly: false,
  };
  if (reader.remaining >= 1) response.readOnly = reader.boolean('ConnectResponse.readOnly');
  return response;
}

/** Encoders of reply packets: ReplyHeader followed by the op's response record. */
import { EventType, KeeperState, OpCode, Xid } from '../zookeeper-constants.js';
import type { ACL, OpResult, Stat } from '../tree/index.js';
import { JuteWriter } from './jute/writer.js';
import { writeACLs, writeReplyHeader, writeStat, writeWatcherEvent } from './records.js';
import type { CreateVariant } from './requests.js';

export type BodyWriter = (writer: JuteWriter) => void;

export function reply(xid: number, zxid: bigint, err: number, body?: BodyWriter): Buffer {
  const writer = new JuteWriter();
  writeReplyHeader(writer, { xid, zxid, err });
  if (err === 0 && body) body(writer);
  return writer.finish();
}

export function watchEvent(type: number, path: string): Buffer {
  const writer = new JuteWriter();
  writeReplyHeader(writer, { xid: Xid.WATCHER_EVENT, zxid: -1n, err: 0 });
  writeWatcherEvent(writer, { type, state: KeeperState.SyncConnected, path });
  return writer.finish();
}

export const statBody =
  (stat: Stat): BodyWriter =>
  (writer) =>
    writeStat(writer, stat);

export function createBody(variant: CreateVariant, path: string, stat: Stat): BodyWriter {
  // create answers the path alone; create2, createContainer and createTTL add the Stat.
  return (writer) => {
    writer.string(path);
    if (variant !== 'create') writeStat(writer, stat);
  };
}

export function dataBody(data: Buffer, stat: Stat): BodyWriter {
  return (writer) => {
    writer.buffer_(data);
    writeStat(writer, stat);
  };
}

export function childrenBody(children: string[], stat: Stat | undefined): BodyWriter {
  return (writer) => {
    writer.vector(children, (w, child) => w.string(child));
    if (stat) writeStat(writer, stat);
  };
}

export function aclBody(acl: ACL[], stat: Stat): BodyWriter {
  return (writer) => {
    writeACLs(writer, acl);
    writeStat(writer, stat);
  };
}

/** One entry of a multi response: MultiHeader(type, done=false, err) then the op's record. */
export function writeMultiResult(writer: JuteWriter, opType: number, result: OpResult | { err: number }, variant?: CreateVariant, multiFailed = false): void {
  // In a failed multi every entry is an ErrorResult: OK (0) before the failing op, its code, then RUNTIMEINCONSISTENCY.
  if (result.err !== 0 || multiFailed) {
    writer.int(OpCode.error).boolean(false).int(result.err).int(result.err);
    return;
  }
  writer.int(opType).boolean(false).int(0);
  const ok = result as OpResult & { err: 0 };
  if (ok.type === 'create') createBody('create', ok.path, ok.stat)(writer);
  else if (ok.type === 'setData') writeStat(writer, ok.stat);
}

export function endMulti(writer: JuteWriter): void {
  writer.int(-1).boolean(true).int(-1);
}

/** The op code ZooKeeper reports for a multi result entry. */
export function multiOpType(op: string): number {
  switch (op) {
    case 'create':
      // ZooKeeper 3.8 reports every create inside a multi as a plain create, path only
      // (ZOOKEEPER-4026, changed in 3.9); clients built for 3.8 expect exactly that.
      return OpCode.create;
    case 'delete':
      return OpCode.delete;
    case 'setData':
      return OpCode.setData;
    case 'check':
      return OpCode.check;
    case 'getData':
      return OpCode.getData;
    case 'getChildren':
      return OpCode.getChildren;
    default:
      return OpCode.error;
  }
}

export { EventType };

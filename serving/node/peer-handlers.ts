/** What a serving node answers to its peers: one function per peer operation over the local replica. */
import { decodeBallot, decodeProposal } from '../paxos/index.js';
import { encodeMerkleLevel, levelOf } from '../anti-entropy/index.js';
import { ConflictModeMismatchError, mergeAll } from '../quorum/index.js';
import type { HashRing } from '../ring/index.js';
import type { HintedHandoff } from './hinted-handoff.js';
import { decodeLeafList, decodePartition, encodeKeyDigests } from './anti-entropy-messages.js';
import type { LocalReplica } from './local-replica.js';
import { PartitionDigests } from './partition-digests.js';
import { decodePut, encodeKeyList, encodeOptionalValue, encodePrepareReply, encodeProposeReply, encodeU32 } from './peer-messages.js';
import { PeerOp } from './peer-rpc.js';

export interface PeerHandlerContext {
  nodeId: string;
  local: LocalReplica;
  hints: HintedHandoff;
  ring: () => HashRing;
}

export class UnknownPeerOpError extends Error {
  readonly code = 'UNKNOWN_PEER_OP';
  constructor(readonly op: number) {
    super(`unknown peer operation ${op}`);
    this.name = 'UnknownPeerOpError';
  }
}

export class UnknownHintTargetError extends Error {
  readonly code = 'UNKNOWN_HINT_TARGET';
  constructor(readonly node: string) {
    super(`refusing a hint for ${JSON.stringify(node)}: no such node in the ring`);
    this.name = 'UnknownHintTargetError';
  }
}

export function peerHandlers(context: PeerHandlerContext): (op: number, key: Buffer, body: Buffer) => Promise<Buffer> {
  const { local, hints } = context;
  return async (op, key, body) => {
    switch (op) {
      case PeerOp.Ping:
        return Buffer.alloc(0);
      case PeerOp.Get:
        return encodeOptionalValue(mergeAll([await local.read(key), await hints.valueFor(key)]));
      case PeerOp.Put: {
        const { value, hintFor } = decodePut(body);
        // Reads here merge the local copy with every hint for the key: a copy in the other conflict
        // mode would make each of them (and the hint's handoff) fail, so it is refused up front.
        // (A local write checks the local copy itself; hints are an in-memory lookup, usually none.)
        const toLocal = hintFor === undefined || hintFor === context.nodeId;
        const held = mergeAll([toLocal ? undefined : await local.read(key), await hints.valueFor(key)]);
        if (held !== undefined && held.mode !== value.mode) throw new ConflictModeMismatchError(held.mode, value.mode);
        // A fallback keeps the copy for its intended replica and hands it back later. A hint for a
        // node outside the ring could never be handed back: it would stay in the store for good.
        if (toLocal) await local.write(key, value);
        else if (!context.ring().has(hintFor)) throw new UnknownHintTargetError(hintFor);
        else await hints.store(hintFor, key, value);
        return Buffer.alloc(0);
      }
      case PeerOp.PaxosPrepare: {
        const { reply, stored } = await local.prepare(key, decodeBallot(body));
        return encodePrepareReply(reply, stored);
      }
      case PeerOp.PaxosPropose:
        return encodeProposeReply(await local.propose(key, decodeProposal(body)));
      case PeerOp.PaxosCommit:
        await local.commit(key, decodeProposal(body));
        return Buffer.alloc(0);
      case PeerOp.ReadKeys:
        return encodeKeyList(await local.liveKeysInPartition(key.readUInt32BE(0)));
      case PeerOp.MerkleLeaves: {
        const { tree } = await PartitionDigests.build(local, context.ring(), decodePartition(key));
        return tree.rootHash().equals(body) ? Buffer.alloc(0) : encodeMerkleLevel(levelOf(tree, tree.depth));
      }
      case PeerOp.MerkleLeafKeys: {
        const digests = await PartitionDigests.build(local, context.ring(), decodePartition(key));
        return encodeKeyDigests(digests.keysInLeaves(decodeLeafList(body, digests.tree.leafCount)));
      }
      case PeerOp.Size: {
        const ring = context.ring();
        let count = 0;
        for (let partition = 0; partition < ring.partitionCount; partition++) if (ring.ownerOf(partition) === context.nodeId) count += (await local.liveKeysInPartition(partition)).length;
        return encodeU32(count);
      }
      default:
        throw new UnknownPeerOpError(op);
    }
  };
}

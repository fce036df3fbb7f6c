/**
 * Storm's anchoring, per emitted tuple and receiving task: each anchor that belongs to spout
 * trees gets a fresh edge id, XORed into the anchor's ackVal (sent with the anchor's ack) and
 * recorded on the new tuple under each of the anchor's roots. When two anchors share a root,
 * their edge ids XOR together under that root, which is what the acker expects.
 */
import { InvalidAnchorError } from '../api/errors.js';
import { RuntimeTuple, type Tuple } from '../api/tuple.js';
import type { Anchors } from '../api/bolt.js';
import { xorIds } from '../acker/tuple-id.js';

/** The anchors as runtime tuples; throws for anything the runtime did not deliver, or already acked. */
export function anchorList(componentId: string, anchors: Anchors): readonly RuntimeTuple[] {
  if (anchors === null || anchors === undefined) return NO_ANCHORS;
  const list: readonly Tuple[] = Array.isArray(anchors) ? (anchors as readonly Tuple[]) : [anchors as Tuple];
  for (const anchor of list) {
    if (!(anchor instanceof RuntimeTuple)) throw new InvalidAnchorError(componentId, 'an anchor must be an input tuple given to execute');
    if (anchor.settled && anchor.roots.length > 0) {
      throw new InvalidAnchorError(componentId, `anchored to a tuple already acked or failed (${anchor.toString()}); emit before acking the input`);
    }
  }
  return list as readonly RuntimeTuple[];
}

/** True when any anchor belongs to a tracked tree. */
export function hasRoots(anchors: readonly RuntimeTuple[]): boolean {
  for (const anchor of anchors) if (anchor.roots.length > 0) return true;
  return false;
}

/** Attaches `tuple` to the trees of `anchors`, one new edge per anchor. */
export function anchorTuple(tuple: RuntimeTuple, anchors: readonly RuntimeTuple[], nextTupleId: () => number): void {
  for (const anchor of anchors) {
    const roots = anchor.roots;
    if (roots.length === 0) continue;
    const edgeId = nextTupleId();
    anchor.ackVal = xorIds(anchor.ackVal, edgeId);
    for (const rootId of roots) addEdge(tuple, rootId, edgeId);
  }
}

function addEdge(tuple: RuntimeTuple, rootId: number, edgeId: number): void {
  if (tuple.roots.length === 0) {
    tuple.roots = [rootId];
    tuple.edges = [edgeId];
    return;
  }
  const position = tuple.roots.indexOf(rootId);
  if (position >= 0) {
    tuple.edges[position] = xorIds(tuple.edges[position] as number, edgeId);
  } else {
    tuple.roots.push(rootId);
    tuple.edges.push(edgeId);
  }
}

const NO_ANCHORS: readonly RuntimeTuple[] = [];

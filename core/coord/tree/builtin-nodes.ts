/**
 * The nodes every ZooKeeper 3.8 tree starts with (DataTree's constructor): "/", "/zookeeper",
 * "/zookeeper/quota" and "/zookeeper/config", all with zeroed stats. The config node is readable
 * only (ZOOKEEPER-2014), set through setACL with version -1, which is why its aversion is -1.
 */
import { Perms } from '../zookeeper-constants.js';
import { newNode } from './node.js';
import type { TreeState } from './tree-state.js';
import type { ACL } from './types.js';

export const ROOT_PATH = '/';
export const ZOOKEEPER_PATH = '/zookeeper';
export const QUOTA_PATH = '/zookeeper/quota';
export const CONFIG_PATH = '/zookeeper/config';

/** Paths clients can never delete (DataTree.isSpecialPath). */
export const SPECIAL_PATHS: ReadonlySet<string> = new Set([ROOT_PATH, ZOOKEEPER_PATH, QUOTA_PATH, CONFIG_PATH]);

export const OPEN_ACL_UNSAFE: readonly ACL[] = [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }];
export const READ_ACL_UNSAFE: readonly ACL[] = [{ perms: Perms.READ, id: { scheme: 'world', id: 'anyone' } }];

function zeroedNode(acl: readonly ACL[], aversion = 0): ReturnType<typeof newNode> {
  return newNode({
    data: Buffer.alloc(0),
    acl: acl.map((entry) => ({ perms: entry.perms, id: { ...entry.id } })),
    czxid: 0n,
    mzxid: 0n,
    pzxid: 0n,
    ctime: 0,
    mtime: 0,
    version: 0,
    cversion: 0,
    aversion,
    ephemeralOwner: 0n,
  });
}

/** Fills an empty state with the built-in nodes. */
export function addBuiltinNodes(state: TreeState): void {
  state.nodes.set(ROOT_PATH, zeroedNode(OPEN_ACL_UNSAFE));
  state.insertNode(ZOOKEEPER_PATH, zeroedNode(OPEN_ACL_UNSAFE));
  state.insertNode(QUOTA_PATH, zeroedNode(OPEN_ACL_UNSAFE));
  state.insertNode(CONFIG_PATH, zeroedNode(READ_ACL_UNSAFE, -1));
}

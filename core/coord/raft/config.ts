/** Validation and defaults of RaftConfig (documented on the interface in types.ts). */
import { RaftConfigError } from './errors.js';
import { DEFAULT_MAX_ENTRIES_PER_APPEND, DEFAULT_MAX_INFLIGHT_APPENDS, MAX_ELECTION_TICKS, MAX_ENTRIES_PER_MESSAGE, MAX_NODE_ID, MAX_VOTERS } from './limits.js';
import type { FollowerLogLoss, NodeId, RaftConfig } from './types.js';

export interface ResolvedConfig {
  peers: NodeId[];
  electionTicks: number;
  heartbeatTicks: number;
  random: () => number;
  preVote: boolean;
  checkQuorum: boolean;
  maxEntriesPerAppend: number;
  maxInflightAppends: number;
  onFollowerLogLost: ((loss: FollowerLogLoss) => void) | undefined;
}

function isNodeId(value: unknown): value is NodeId {
  return Number.isInteger(value) && (value as number) > 0 && (value as number) <= MAX_NODE_ID;
}

function requireInteger(field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new RaftConfigError(field, value, `an integer in [${min}, ${max}]`);
  return value;
}

export function validateConfig(config: RaftConfig): ResolvedConfig {
  if (!isNodeId(config.id)) throw new RaftConfigError('id', config.id, `an integer in [1, ${MAX_NODE_ID}]`);
  const peers = [...new Set(config.peers)];
  if (peers.length !== config.peers.length || !peers.every(isNodeId)) throw new RaftConfigError('peers', config.peers, 'distinct positive node ids');
  if (!peers.includes(config.id)) throw new RaftConfigError('peers', config.peers, `a list that includes this node (${config.id})`);
  if (peers.length > MAX_VOTERS) throw new RaftConfigError('peers', config.peers, `at most ${MAX_VOTERS} voters`);
  const electionTicks = requireInteger('electionTicks', config.electionTicks, 2, MAX_ELECTION_TICKS);
  // Followers must hear several heartbeats per election timeout, or they depose healthy leaders.
  const heartbeatTicks = requireInteger('heartbeatTicks', config.heartbeatTicks, 1, electionTicks - 1);
  return {
    peers: peers.sort((a, b) => a - b),
    electionTicks,
    heartbeatTicks,
    random: config.random,
    preVote: config.preVote ?? true,
    checkQuorum: config.checkQuorum ?? true,
    maxEntriesPerAppend: requireInteger('maxEntriesPerAppend', config.maxEntriesPerAppend ?? DEFAULT_MAX_ENTRIES_PER_APPEND, 1, MAX_ENTRIES_PER_MESSAGE),
    maxInflightAppends: requireInteger('maxInflightAppends', config.maxInflightAppends ?? DEFAULT_MAX_INFLIGHT_APPENDS, 1, 1024),
    onFollowerLogLost: config.onFollowerLogLost,
  };
}

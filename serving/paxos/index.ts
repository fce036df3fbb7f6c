/**
 * serving/paxos: single-decree Paxos per key for linearizable compare-and-set (SET NX), like
 * Cassandra's lightweight transactions. Pure: acceptor functions and a proposer state machine;
 * the caller persists acceptor state, sends messages and runs the timers.
 */
export * from './acceptor.js';
export * from './ballot.js';
export * from './errors.js';
export * from './limits.js';
export * from './paxos-codec.js';
export * from './proposer.js';

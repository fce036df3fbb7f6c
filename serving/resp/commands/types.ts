/**
 * What a command is and what it runs with. A command is a spec (name, arity, flags, which of its
 * arguments are keys) and a handler from arguments to a Reply. Handlers of connection commands
 * (HELLO, CLIENT SETNAME, BARISTA.CONSISTENCY) are synchronous, so that the state they change is
 * in place before the connection dispatches the next pipelined command.
 */
import type { Consistency, Keyspace } from '../../keyspace/keyspace.js';
import type { Protocol, Reply } from '../reply.js';

/** Per-connection state, as CLIENT and HELLO see and change it. */
export interface ClientState {
  readonly id: number;
  readonly remoteAddress: string;
  readonly localAddress: string;
  readonly connectedAtMs: number;
  lastCommandAtMs: number;
  name: Buffer | undefined;
  protocol: Protocol;
  /** Quorum overrides set with BARISTA.CONSISTENCY; undefined = the keyspace's defaults. */
  consistency: Consistency | undefined;
  libraryName: Buffer | undefined;
  libraryVersion: Buffer | undefined;
}

/** Counters the server keeps for INFO. */
export interface ServerStats {
  connectionsReceived: number;
  commandsProcessed: number;
  rejectedConnections: number;
}

/** What server-wide commands (INFO, CLIENT LIST, HELLO) may read of the server. */
export interface ServerView {
  readonly startedAtMs: number;
  readonly port: number;
  readonly maxClients: number;
  readonly stats: Readonly<ServerStats>;
  /** Settings CONFIG GET reports, by Redis's names. */
  readonly config: Readonly<Record<string, string>>;
  clients(): readonly ClientState[];
}

export interface CommandContext {
  readonly keyspace: Keyspace;
  readonly client: ClientState;
  /** The connection's consistency when the command was dispatched. */
  readonly consistency: Consistency | undefined;
  readonly nowMs: () => number;
  readonly server: ServerView;
  /** Close the connection once this command's reply is written (QUIT). */
  closeAfterReply(): void;
}

export type CommandHandler = (args: readonly Buffer[], context: CommandContext) => Reply | Promise<Reply>;

/** Redis's legacy key positions: arguments first, first+step, ... up to last (negative counts
 * from the end: -1 is the last argument). */
export interface KeyPositions {
  first: number;
  last: number;
  step: number;
}

/** Which keys a command touches: its key positions, none, or the whole keyspace (SCAN, DBSIZE). */
export type KeyAccess = KeyPositions | 'none' | 'all';

export interface CommandSpec {
  /** Lower-case full name as Redis reports it: "get", "client|setname". */
  readonly name: string;
  /** Redis's rule: N means exactly N arguments (name included), -N at least N. */
  readonly arity: number;
  /** COMMAND INFO flags: "write", "readonly", "fast", "denyoom", "loading", "stale", ... */
  readonly flags: readonly string[];
  /** ACL categories for COMMAND INFO: "@string", "@keyspace", "@connection", ... */
  readonly categories: readonly string[];
  readonly keys: KeyAccess;
  /** Absent on containers that need a subcommand (CLIENT, CONFIG). */
  readonly handler?: CommandHandler;
  readonly subcommands?: readonly CommandSpec[];
}

/** Key positions of the common shapes. */
export const FIRST_KEY: KeyPositions = { first: 1, last: 1, step: 1 };
export const ALL_ARGUMENTS_ARE_KEYS: KeyPositions = { first: 1, last: -1, step: 1 };
export const EVERY_OTHER_ARGUMENT_IS_A_KEY: KeyPositions = { first: 1, last: -1, step: 2 };

/**
 * Runs one looked-up command and turns every failure into the reply the client gets, so that a
 * refused command never costs the connection: CommandError → its Redis error; KeyspaceError →
 * the Redis error closest in meaning (OOM, NOREPLICAS, ...); anything else is a Barista bug,
 * logged with the command name and answered with "-ERR internal error".
 */
import type { Logger } from 'pino';
import { KeyspaceError } from '../keyspace/errors.js';
import { keysAt } from './commands/arguments.js';
import type { CommandContext, CommandSpec } from './commands/types.js';
import { CommandError } from './errors.js';
import type { Access } from './key-order.js';
import { commandErrorReply, errorReply, type Reply } from './reply.js';

/** The keys (or whole keyspace) a command with these arguments touches. */
export function accessOf(spec: CommandSpec, args: readonly Buffer[]): Access {
  return typeof spec.keys === 'string' ? spec.keys : keysAt(spec.keys, args);
}

export function errorToReply(error: unknown, spec: CommandSpec, logger: Logger): Reply {
  if (error instanceof CommandError) return commandErrorReply(error);
  if (error instanceof KeyspaceError) {
    switch (error.code) {
      case 'KEYSPACE_FULL':
        return errorReply("OOM command not allowed when used memory > 'maxmemory'.");
      case 'UNAVAILABLE':
        return errorReply(`NOREPLICAS ${error.message}`);
      case 'TIMEOUT':
        return errorReply(`TIMEOUT ${error.message}`);
      default:
        return errorReply(`ERR ${error.message}`);
    }
  }
  logger.error({ err: error, command: spec.name }, 'command failed unexpectedly');
  return errorReply(`ERR internal error in '${spec.name}': ${(error as Error)?.message ?? String(error)}`);
}

/** Runs the handler; a synchronous handler's reply comes back synchronously. Never throws or rejects. */
export function execute(spec: CommandSpec, args: readonly Buffer[], context: CommandContext, logger: Logger): Reply | Promise<Reply> {
  try {
    const result = spec.handler!(args, context);
    return result instanceof Promise ? result.catch((error: unknown) => errorToReply(error, spec, logger)) : result;
  } catch (error) {
    return errorToReply(error, spec, logger);
  }
}

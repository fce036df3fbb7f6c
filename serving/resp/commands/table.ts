/**
 * The command table: finds a command (and subcommand) by name, case-insensitively, and refuses
 * unknown commands and wrong arities with Redis 7.0's exact texts (server.c
 * commandCheckExistence / commandCheckArity):
 *
 *   -ERR unknown command 'foo', with args beginning with: 'a' 'b'
 *   -ERR unknown subcommand 'foo'. Try CLIENT HELP.
 *   -ERR wrong number of arguments for 'get' command
 */
import { ServerMisuseError } from '../errors.js';
import { ERROR_ARGUMENT_ECHO_CHARS } from '../limits.js';
import { errorReply, type Reply } from '../reply.js';
import { cText } from './arguments.js';
import type { CommandSpec } from './types.js';

export type Lookup = { spec: CommandSpec } | { refusal: Reply };

/** Redis's arity rule: N exactly N arguments, -N at least N. */
export function arityAccepts(arity: number, argumentCount: number): boolean {
  return arity >= 0 ? argumentCount === arity : argumentCount >= -arity;
}

export function wrongArityText(name: string): string {
  return `ERR wrong number of arguments for '${name}' command`;
}

export class CommandTable {
  private readonly commands = new Map<string, CommandSpec>();

  constructor(specs: readonly CommandSpec[]) {
    for (const spec of specs) {
      if (this.commands.has(spec.name)) throw new ServerMisuseError(`command ${spec.name} is defined twice`);
      this.commands.set(spec.name, spec);
    }
  }

  /** Number of top-level commands (COMMAND COUNT). */
  get size(): number {
    return this.commands.size;
  }

  all(): CommandSpec[] {
    return [...this.commands.values()];
  }

  /** A top-level command by name, any case. */
  get(name: string): CommandSpec | undefined {
    return this.commands.get(name.toLowerCase());
  }

  /** The spec that runs these arguments, or the error reply Redis gives for them. */
  lookup(args: readonly Buffer[]): Lookup {
    const base = this.commands.get(args[0]!.toString('latin1').toLowerCase());
    if (base === undefined) return { refusal: errorReply(unknownCommandText(args)) };
    let spec = base;
    if (base.subcommands !== undefined && args.length >= 2) {
      const name = `${base.name}|${args[1]!.toString('latin1').toLowerCase()}`;
      const sub = base.subcommands.find((candidate) => candidate.name === name);
      if (sub === undefined) {
        const detail = `unknown subcommand '${cText(args[1]!).slice(0, ERROR_ARGUMENT_ECHO_CHARS)}'. Try ${base.name.toUpperCase()} HELP.`;
        return { refusal: errorReply(`ERR ${detail}`) };
      }
      spec = sub;
    }
    if (!arityAccepts(spec.arity, args.length)) return { refusal: errorReply(wrongArityText(spec.name)) };
    return { spec };
  }
}

function unknownCommandText(args: readonly Buffer[]): string {
  let echoed = '';
  for (let index = 1; index < args.length && echoed.length < ERROR_ARGUMENT_ECHO_CHARS; index += 1) {
    echoed += `'${cText(args[index]!).slice(0, ERROR_ARGUMENT_ECHO_CHARS - echoed.length)}' `;
  }
  return `ERR unknown command '${cText(args[0]!).slice(0, ERROR_ARGUMENT_ECHO_CHARS)}', with args beginning with: ${echoed}`;
}

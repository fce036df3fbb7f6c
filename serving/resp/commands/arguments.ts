/**
 * Argument parsing shared by the command families, with Redis's error texts: integers through
 * string2ll() ("value is not an integer or out of range"), option names compared
 * case-insensitively as C strings (Redis uses strcasecmp, which stops at a NUL byte).
 */
import { CommandError } from '../errors.js';
import { INT64_MAX, INT64_MIN, cString, string2ll } from '../integers.js';
import type { KeyPositions } from './types.js';

export const NOT_AN_INTEGER = 'value is not an integer or out of range';
const INT32_MIN = -2_147_483_648n;
const INT32_MAX = 2_147_483_647n;

export function syntaxError(): CommandError {
  return new CommandError('ERR', 'syntax error');
}

/** An int64 argument (getLongLongFromObjectOrReply). */
export function integerArgument(argument: Buffer, message = NOT_AN_INTEGER): bigint {
  const value = string2ll(argument);
  if (value === undefined) throw new CommandError('ERR', message);
  return value;
}

/** An int32 argument (getIntFromObjectOrReply). */
export function int32Argument(argument: Buffer): number {
  const value = integerArgument(argument);
  if (value < INT32_MIN || value > INT32_MAX) throw new CommandError('ERR', `value is out of range, value must between ${INT32_MIN} and ${INT32_MAX}`);
  return Number(value);
}

/** The argument as Redis's C code sees it in a `%s`: bytes up to the first NUL, one char per byte. */
export function cText(argument: Buffer): string {
  return cString(argument).toString('latin1');
}

/** Lower-case option name, for strcasecmp-style comparisons. */
export function optionName(argument: Buffer): string {
  return cText(argument).toLowerCase();
}

/** The arguments a command's key positions designate. */
export function keysAt(positions: KeyPositions, args: readonly Buffer[]): Buffer[] {
  const last = positions.last < 0 ? args.length + positions.last : positions.last;
  const keys: Buffer[] = [];
  for (let index = positions.first; index <= last && index < args.length; index += positions.step) keys.push(args[index]!);
  return keys;
}

/** Whether `value` fits in a signed 64-bit integer. */
export function fitsInt64(value: bigint): boolean {
  return value >= INT64_MIN && value <= INT64_MAX;
}

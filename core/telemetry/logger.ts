/**
 * Structured logging for every Barista service: pino, JSON lines on stderr so that stdout stays
 * free for a command's own output (query results, word counts).
 */
import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

export const LOG_LEVELS: readonly LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export class UnknownLogLevelError extends Error {
  readonly code = 'UNKNOWN_LOG_LEVEL';
  constructor(readonly level: string) {
    super(`unknown log level "${level}"; use one of ${LOG_LEVELS.join(', ')}`);
    this.name = 'UnknownLogLevelError';
  }
}

export function parseLogLevel(level: string): LevelWithSilent {
  const normalized = level.toLowerCase() as LevelWithSilent;
  if (!LOG_LEVELS.includes(normalized)) throw new UnknownLogLevelError(level);
  return normalized;
}

export function createLogger(options: { name: string; level?: string }): Logger {
  return pino({ name: options.name, level: parseLogLevel(options.level ?? 'info') }, pino.destination({ fd: 2, sync: true }));
}

/** A logger that drops everything: the default for libraries embedded in tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

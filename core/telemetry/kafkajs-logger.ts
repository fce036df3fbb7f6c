/**
 * kafkajs's log entries into a pino logger (errors and warnings as such, the rest at debug), so an
 * embedded kafkajs client logs like the rest of the process: `new Kafka({ logCreator: kafkajsLogCreator(logger) })`.
 */
import { logLevel, type LogEntry, type logCreator } from 'kafkajs';
import type { Logger } from './logger.js';

export function kafkajsLogCreator(logger: Logger): logCreator {
  return () => ({ level, log }: LogEntry) => {
    const { message, ...details } = log;
    if (level === logLevel.ERROR) logger.error(details, message);
    else if (level === logLevel.WARN) logger.warn(details, message);
    else logger.debug(details, message);
  };
}

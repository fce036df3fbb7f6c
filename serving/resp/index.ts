/** serving/resp: the Redis-protocol front of the serving layer. */
export { RespServer, type RespServerOptions } from './server.js';
export { RespParser, type ParseResult, type RespParserLimits } from './parser.js';
export { ReplyEncoder, encodeReply } from './encoder.js';
export * from './reply.js';
export * from './errors.js';
export * from './limits.js';
export { REDIS_COMPATIBLE_VERSION } from './version.js';
export { createCommandTable, CommandTable } from './commands/index.js';
export type { ClientState, CommandContext, CommandSpec, CommandHandler, KeyAccess } from './commands/types.js';

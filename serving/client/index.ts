/** The Keyspace of a remote RESP server (a Barista serving node or a plain Redis), for views
 * written and read from another process. */
export { RespKeyspace, type RespKeyspaceOptions, type ServerKind } from './resp-keyspace.js';
export * from './errors.js';
export * from './limits.js';

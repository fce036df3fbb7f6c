/** core/net: the framed TCP request/response machinery shared by every Barista service. */
export * from './backoff.js';
export * from './correlation.js';
export * from './errors.js';
export * from './frame-client.js';
export * from './frame-decoder.js';
export * from './frame-server.js';
export * from './frame-writer.js';
export * from './limits.js';

/**
 * The Redis version Barista's RESP front reports (HELLO, INFO). Its replies are checked
 * byte for byte against this version of redis-server (Debian's 7.0.15) by the differential test,
 * so clients that switch behaviour on the version see the one they are talking to.
 */
export const REDIS_COMPATIBLE_VERSION = '7.0.15';

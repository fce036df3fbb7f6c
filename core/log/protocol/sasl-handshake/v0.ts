/**
 * SaslHandshake v0. Advertised because librdkafka requires the range to include 0 before it
 * uses v1; a client that really handshakes with v0 would next send a raw SASL token, which is no
 * Kafka request: the broker closes that connection.
 */
import { saslHandshakeCodec } from './codec.js';

export const saslHandshakeV0 = saslHandshakeCodec(0);

/** SaslHandshake v1: the mechanism, then SaslAuthenticate requests carry the SASL tokens. */
import { saslHandshakeCodec } from './codec.js';

export const saslHandshakeV1 = saslHandshakeCodec(1);

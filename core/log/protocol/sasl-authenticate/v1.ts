/** SaslAuthenticate v1 (see codec.ts for what changes between versions). */
import { saslAuthenticateCodec } from './codec.js';

export const saslAuthenticateV1 = saslAuthenticateCodec(1);

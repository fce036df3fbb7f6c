/** SaslAuthenticate v0 (see codec.ts for what changes between versions). */
import { saslAuthenticateCodec } from './codec.js';

export const saslAuthenticateV0 = saslAuthenticateCodec(0);

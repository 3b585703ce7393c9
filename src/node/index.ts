/**
 * Server-side entry point (`voice-widget/server`): mint and verify widget
 * tokens from any Node backend. Never import this into browser code.
 */
export {
  mintToken,
  verifyToken,
  decodeToken,
  originAllowed,
  ephemeralCredential,
  TokenVerificationError,
  type MintOptions,
  type TokenClaims,
  type IceServerClaim,
} from './token.js';
export { SipServer, TOKEN_HEADER, CLOSE_REVOKED, type SipServerOptions } from './sip/sip-server.js';

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

/**
 * Server-side entry point (`voice-widget/server`): mint and verify widget
 * tokens, run the token service, the embedded SIP server or the whole
 * development server from any Node backend. Never import this into browser code.
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
export { SipServer, WIDGET_TOKEN_HEADER, CLOSE_REVOKED, type SipServerOptions } from './sip/sip-server.js';
export type { SipServerLimits } from './sip/limits.js';
export * from './token-service/index.js';
export { createStaticHandler, type RequestHandler, type StaticOptions } from './static-files.js';
export { startDevServer, type DevServer, type DevServerOptions } from './dev-server.js';
export { loadSecrets, type DevSecrets } from './secrets.js';

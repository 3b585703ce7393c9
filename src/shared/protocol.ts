/**
 * What the widget and a SIP server agree on beyond SIP itself. Shared by the
 * browser core and the embedded server, so neither can drift.
 */

/** Carries the widget token on every REGISTER, so a server can bind the connection to it. */
export const WIDGET_TOKEN_HEADER = 'X-Voice-Widget-Token';

/** The WebSocket close code a server sends when the connection's token was revoked. */
export const CLOSE_REVOKED = 4001;

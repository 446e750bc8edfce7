export * from './chromium.js';
export * from './media-gateway.js';
export * from './page-server.js';
export * from './sdp.js';
export * from './udp-relay.js';
export * from './workspace-root.js';

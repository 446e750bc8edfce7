export * from './access.js';
export * from './auth.guard.js';
export * from './principal.js';
export * from './signing-keys.js';
export * from './tokens.js';

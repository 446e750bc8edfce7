export * from './app-error.js';
export * from './transient.js';

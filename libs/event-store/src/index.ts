export * from './database.js';
export * from './leader-lock.js';
export * from './postgres-event-store.js';
export * from './projection.js';
export * from './schema.js';
export * from './sql.js';
export * from './types.js';
export * from './unit-of-work.js';

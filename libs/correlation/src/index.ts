export * from './correlation.js';

/** Injection tokens of what the platform provides to every service. */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
export const MESSAGE_BROKER = Symbol('MESSAGE_BROKER');
export const TOPICS = Symbol('TOPICS');
export const REDIS = Symbol('REDIS');
export const CLOCK = Symbol('CLOCK');

/** Injection tokens of what the platform modules provide. */
/** ServiceCoreModule: the validated ServiceConfig and the Clock. */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
export const CLOCK = Symbol('CLOCK');
/** MessagingModule: the MessageBroker (Kafka) and the topic names. */
export const MESSAGE_BROKER = Symbol('MESSAGE_BROKER');
export const TOPICS = Symbol('TOPICS');
/** RedisModule: the ioredis client (prefer FailOpenRedis). */
export const REDIS = Symbol('REDIS');

import type { EventTopic } from '@softphone/contracts';

/** The event topics the live channel carries, by their short name (the same on every instance and environment). */
export const LIVE_TOPICS: readonly EventTopic[] = ['tenant', 'agent', 'call', 'quality'];

/** Topics whose whole history the edge reads at start, for its directory (tenant ids, org units, managers, agents). */
export const DIRECTORY_TOPICS: readonly EventTopic[] = ['tenant', 'agent'];

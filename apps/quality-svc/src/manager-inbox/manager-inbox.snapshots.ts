import type { SnapshotPolicy } from '@softphone/event-store';

/** A manager's inbox stream grows with every message: load it from a snapshot taken every 50 events. */
export const MANAGER_INBOX_SNAPSHOTS: SnapshotPolicy = { name: 'manager-inbox-v1', every: 50 };

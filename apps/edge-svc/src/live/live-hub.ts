import type { QualitySecondsMessage } from '@softphone/contracts';
import type { Directory } from '../directory/directory.js';
import { entitledSeconds, isEntitled, type Listener } from './entitlement.policy.js';
import type { LiveEntry, LiveWindow, Position } from './live-window.js';
import { liveConnections, liveDisconnects, liveFramesSent } from './live.metrics.js';

/** What the hub needs of a browser's connection. */
export interface LiveSocket {
  send(frame: string): void;
  /** Bytes queued and not yet sent: a browser that does not read is cut off, it resumes when it reconnects. */
  readonly bufferedAmount: number;
  close(code: number, reason: string): void;
}

export const CLOSE_TOO_SLOW = 4008;

/** `{"type":"seconds","tenantId":...,"seconds":[QualitySecond...]}` */
const secondsFrame = (message: QualitySecondsMessage) => JSON.stringify({ type: 'seconds', ...message });

/** One browser's subscription: who listens, and from which position it receives. */
export class LiveConnection {
  /** Events at or before these offsets were delivered already (a connection resumed ahead of this instance). */
  private readonly delivered: Map<string, number>;
  private lastPositionFrame = '';

  constructor(
    readonly listener: Listener,
    readonly socket: LiveSocket,
    from: Position,
  ) {
    this.delivered = new Map(Object.entries(from));
  }

  offer(entry: LiveEntry, directory: Directory, maxBufferedBytes: number): void {
    if ((this.delivered.get(entry.key) ?? -1) >= entry.offset) return;
    if (!isEntitled(this.listener, entry.event, entry.topic, directory)) return;
    this.send(entry.frame, maxBufferedBytes);
  }

  /** The measured seconds it may see of a message of the seconds topic (all of them: the frame serialized once). */
  offerSeconds(message: QualitySecondsMessage, frame: string, directory: Directory, maxBufferedBytes: number): void {
    const seconds = entitledSeconds(this.listener, message, directory);
    if (seconds.length === 0) return;
    this.send(seconds.length === message.seconds.length ? frame : secondsFrame({ tenantId: message.tenantId, seconds }), maxBufferedBytes);
  }

  private send(frame: string, maxBufferedBytes: number): void {
    if (this.socket.bufferedAmount > maxBufferedBytes) {
      liveDisconnects.inc({ code: 'LIVE_TOO_SLOW' });
      this.socket.close(CLOSE_TOO_SLOW, 'LIVE_TOO_SLOW');
      return;
    }
    this.socket.send(frame);
    liveFramesSent.inc();
  }

  /**
   * The connection's position: every event up to the instance's head was offered to it (those not sent were not its
   * own), unless it resumed ahead of the instance.
   */
  position(head: Position): Position {
    const position: Position = { ...head };
    for (const [key, offset] of this.delivered) position[key] = Math.max(offset, position[key] ?? -1);
    return position;
  }

  /** A position frame if the position moved since the last one. */
  positionFrame(head: Position): string | null {
    const frame = JSON.stringify({ type: 'position', position: this.position(head) });
    if (frame === this.lastPositionFrame) return null;
    this.lastPositionFrame = frame;
    return frame;
  }
}

/** The instance's live connections, by tenant; every event read from Kafka is offered to those it may concern. */
export class LiveHub {
  private readonly byTenant = new Map<string, Set<LiveConnection>>();
  private readonly systemAdmins = new Set<LiveConnection>();

  constructor(private readonly maxBufferedBytes: number) {}

  /**
   * Registers a connection after replaying what it missed from `from` (synchronously: no event can slip between the
   * replay and the registration). Returns false when the window no longer holds what it missed.
   */
  attach(connection: LiveConnection, window: LiveWindow, directory: Directory, from: Position | null): boolean {
    if (from) {
      const missed = window.since(from);
      if ('expired' in missed) return false;
      for (const entry of missed.entries) connection.offer(entry, directory, this.maxBufferedBytes);
    }
    const { listener } = connection;
    if (listener.role === 'system-admin') this.systemAdmins.add(connection);
    else {
      const set = this.byTenant.get(listener.tenantId) ?? new Set<LiveConnection>();
      set.add(connection);
      this.byTenant.set(listener.tenantId, set);
    }
    liveConnections.set(this.size);
    return true;
  }

  detach(connection: LiveConnection): void {
    this.systemAdmins.delete(connection);
    const set = this.byTenant.get(connection.listener.tenantId);
    set?.delete(connection);
    if (set?.size === 0) this.byTenant.delete(connection.listener.tenantId);
    liveConnections.set(this.size);
  }

  deliver(entry: LiveEntry, directory: Directory): void {
    this.visitConcerned(entry.event.tenantId, (connection) => connection.offer(entry, directory, this.maxBufferedBytes));
  }

  /** Measured seconds (ephemeral: live only, no position, not kept for resumes) to whoever may see them. */
  deliverSeconds(message: QualitySecondsMessage, directory: Directory): void {
    const frame = secondsFrame(message);
    this.visitConcerned(message.tenantId, (connection) => connection.offerSeconds(message, frame, directory, this.maxBufferedBytes));
  }

  /** Visits the connections an event of a tenant may concern: the tenant's own and the system admins' (no copy). */
  private visitConcerned(tenantId: string, visit: (connection: LiveConnection) => void): void {
    for (const connection of this.byTenant.get(tenantId) ?? []) visit(connection);
    for (const connection of this.systemAdmins) visit(connection);
  }

  connections(): Iterable<LiveConnection> {
    return [...this.systemAdmins, ...[...this.byTenant.values()].flatMap((set) => [...set])];
  }

  get size(): number {
    let n = this.systemAdmins.size;
    for (const set of this.byTenant.values()) n += set.size;
    return n;
  }
}

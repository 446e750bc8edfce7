import { WebSocket } from 'ws';
import type { QualitySecond } from '@softphone/contracts';

export interface LiveFrame {
  type: 'ready' | 'event' | 'position' | 'error' | 'seconds';
  key?: string;
  offset?: number;
  event?: { id: string; type: string; tenantId: string; data: Record<string, unknown> };
  position?: Record<string, number>;
  reset?: boolean;
  code?: string;
  tenantId?: string;
  seconds?: QualitySecond[];
}

/** A browser's side of the live channel, for tests and the bench: keeps every frame and its position. */
export class LiveClient {
  readonly frames: LiveFrame[] = [];
  position: Record<string, number> = {};
  closed: { code: number; reason: string } | null = null;
  private readonly socket: WebSocket;
  private readonly opened: Promise<void>;

  constructor(url: string) {
    this.socket = new WebSocket(url);
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
    this.socket.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as LiveFrame;
      this.frames.push(frame);
      if (frame.position) this.position = { ...this.position, ...frame.position };
      if (frame.type === 'event') this.position[frame.key!] = frame.offset!;
    });
    this.socket.on('close', (code: number, reason: Buffer) => (this.closed = { code, reason: reason.toString() }));
  }

  static async connect(url: string, auth: Record<string, unknown>): Promise<LiveClient> {
    const client = new LiveClient(url);
    await client.opened;
    client.send({ event: 'auth', data: auth });
    return client;
  }

  send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }

  get ready(): LiveFrame | undefined {
    return this.frames.find((f) => f.type === 'ready');
  }

  /** The events received, in order. */
  events(): NonNullable<LiveFrame['event']>[] {
    return this.frames.filter((f) => f.type === 'event').map((f) => f.event!);
  }

  /** The `seconds` frames received, in order. */
  secondsFrames(): { tenantId: string; seconds: QualitySecond[] }[] {
    return this.frames.filter((f) => f.type === 'seconds').map((f) => ({ tenantId: f.tenantId!, seconds: f.seconds! }));
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }
}

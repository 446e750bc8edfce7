import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { decodeEnvelope, topics as topicNames, type EventTopic } from '@softphone/contracts';
import type { MessageBroker, Tail, TailMessage } from '@softphone/messaging';
import { MESSAGE_BROKER } from '@softphone/platform';
import { applyToDirectory, checkpointOf, forgetCall, restoreCheckpoint, type Directory } from '../directory/directory.js';
import { DirectoryStore } from '../directory/directory-store.js';
import { EDGE_CONFIG, type EdgeConfig } from '../edge-config.js';
import { DIRECTORY_TOPICS, LIVE_TOPICS } from './live-topic.js';
import { LiveHub } from './live-hub.js';
import { LiveWindow, type LiveEntry } from './live-window.js';
import { liveWindowEvents } from './live.metrics.js';
import { DIRECTORY } from './live.tokens.js';

/**
 * Reads every partition of the event topics (each instance all of them: no shared consumer group), keeps the
 * directory up to date, keeps the last minutes in the window and offers each event to the instance's connections.
 * At start it takes the directory's last checkpoint (Redis) and reads the tenant and agent topics from where it ends
 * (from their beginning without one) or the window's start if that is earlier, the call topic a few hours back
 * (which agent each live call is with) and the quality topic from the window's start; it is ready once it has read
 * up to where the topics ended when it started. It saves the directory's checkpoint now and then and when it stops.
 */
@Injectable()
export class LiveFeed implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('LiveFeed');
  private readonly byTopicName = new Map<string, EventTopic>();
  private tail: Tail | null = null;
  private windowFloor = 0;
  private readonly pending = new Set<string>();
  private ends: ReadonlyMap<string, number> = new Map();
  private markReady!: () => void;
  /** Resolves once the instance has caught up with the topics as they were when it started. */
  readonly ready = new Promise<void>((resolve) => (this.markReady = resolve));
  private isReady = false;
  private checkpointTimer: NodeJS.Timeout | undefined;
  /** Tenant or agent events applied since the last checkpoint. */
  private directoryChanged = false;
  /** How the directory started: from a checkpoint or the topics' beginning, and how many of their events were read. */
  readonly directoryStart = { from: 'beginning' as 'beginning' | 'checkpoint', eventsRead: 0 };

  constructor(
    @Inject(EDGE_CONFIG) private readonly config: EdgeConfig,
    @Inject(MESSAGE_BROKER) private readonly broker: MessageBroker,
    @Inject(DIRECTORY) private readonly directory: Directory,
    private readonly window: LiveWindow,
    private readonly hub: LiveHub,
    private readonly store: DirectoryStore,
  ) {
    const names = topicNames(config.kafkaTopicPrefix);
    for (const topic of LIVE_TOPICS) this.byTopicName.set(names.events(topic), topic);
  }

  get caughtUp(): boolean {
    return this.isReady;
  }

  async onModuleInit(): Promise<void> {
    const names = [...this.byTopicName.keys()];
    await this.broker.ensureTopics(names, this.config.kafkaPartitions);
    const now = Date.now();
    this.windowFloor = now - this.config.live.windowMs;
    const checkpoint = await this.store.load();
    if (checkpoint) {
      restoreCheckpoint(this.directory, checkpoint);
      this.directoryStart.from = 'checkpoint';
    }
    this.tail = await this.broker.tail({
      topics: names,
      groupPrefix: `${this.config.kafkaTopicPrefix}edge-svc.live.${this.config.instanceId}`,
      from: (name) => {
        const topic = this.byTopicName.get(name)!;
        if (DIRECTORY_TOPICS.includes(topic)) {
          if (!checkpoint) return 'beginning';
          // After the checkpoint's last offsets, or earlier for the window.
          const after = Object.entries(checkpoint.positions).filter(([key]) => key.startsWith(`${topic}:`));
          const noLaterThan = new Map(after.map(([key, offset]) => [Number(key.slice(topic.length + 1)), offset + 1]));
          return { timestamp: this.windowFloor, noLaterThan };
        }
        return { timestamp: topic === 'call' ? now - this.config.live.callLookbackMs : this.windowFloor };
      },
      starting: ({ starts, ends }) => {
        this.ends = ends;
        for (const [key, start] of starts) {
          this.window.open(this.shortKey(key), start);
          if ((ends.get(key) ?? 0) > start) this.pending.add(key);
        }
      },
      handler: (messages) => this.apply(messages),
    });
    this.checkReady();
    this.checkpointTimer = setInterval(() => void this.saveCheckpoint(), this.config.live.directoryCheckpointMs);
    this.checkpointTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.checkpointTimer);
    await this.tail?.stop();
    await this.saveCheckpoint();
    this.store.close();
    await this.broker.close();
  }

  /** Saves the directory and the offsets it is complete up to (once caught up, when it changed). */
  private async saveCheckpoint(): Promise<void> {
    if (!this.isReady || !this.directoryChanged) return;
    this.directoryChanged = false;
    const head = this.window.head();
    const positions = Object.fromEntries(Object.entries(head).filter(([key]) => DIRECTORY_TOPICS.some((t) => key.startsWith(`${t}:`))));
    await this.store.save(checkpointOf(this.directory, positions));
  }

  private apply(messages: TailMessage[]): void {
    const now = Date.now();
    for (const message of messages) {
      const topic = this.byTopicName.get(message.topic)!;
      const key = `${topic}:${message.partition}`;
      const offset = Number(message.offset);
      let event;
      try {
        event = decodeEnvelope(message.value);
      } catch (error) {
        this.logger.warn(`skipped ${message.topic}:${message.partition}@${offset}: ${(error as Error).message}`);
        this.window.pass(key, offset, true);
        continue;
      }
      applyToDirectory(this.directory, event);
      if (DIRECTORY_TOPICS.includes(topic)) {
        this.directoryChanged = true;
        if (!this.isReady) this.directoryStart.eventsRead += 1;
      }
      if (message.timestamp < this.windowFloor) {
        this.window.pass(key, offset, false);
      } else {
        const value = message.value!.toString();
        const entry: LiveEntry = {
          key,
          topic,
          offset,
          at: message.timestamp,
          event,
          frame: `{"type":"event","key":"${key}","offset":${offset},"event":${value}}`,
        };
        this.window.append(entry, now);
        this.hub.deliver(entry, this.directory);
      }
      forgetCall(this.directory, event);
    }
    liveWindowEvents.set(this.window.count);
    const last = messages.at(-1);
    if (last && !this.isReady) {
      const fullKey = `${last.topic}:${last.partition}`;
      if (Number(last.offset) >= (this.ends.get(fullKey) ?? 0) - 1) this.pending.delete(fullKey);
      this.checkReady();
    }
  }

  private checkReady(): void {
    if (this.isReady || !this.tail || this.pending.size > 0) return;
    this.isReady = true;
    this.logger.log(`caught up: ${this.window.count} events in the window`);
    this.markReady();
  }

  private shortKey(fullKey: string): string {
    const at = fullKey.lastIndexOf(':');
    return `${this.byTopicName.get(fullKey.slice(0, at))}:${fullKey.slice(at + 1)}`;
  }
}

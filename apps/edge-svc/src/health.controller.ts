import { Controller, Get, HttpException, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { MessageBroker } from '@softphone/messaging';
import { MESSAGE_BROKER } from '@softphone/platform';
import { LiveFeed } from './live/live-feed.js';
import { LiveHub } from './live/live-hub.js';
import { LiveWindow } from './live/live-window.js';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(MESSAGE_BROKER) private readonly broker: MessageBroker,
    private readonly feed: LiveFeed,
    private readonly hub: LiveHub,
    private readonly window: LiveWindow,
  ) {}

  /** 200 once the live feed has caught up and Kafka answers; 503 naming what is not ready. */
  @Get()
  async check() {
    const kafka = await this.broker.ping().then(
      () => 'up',
      () => 'down',
    );
    const body = {
      status: kafka === 'up' && this.feed.caughtUp ? 'ok' : 'error',
      kafka,
      live: {
        caughtUp: this.feed.caughtUp,
        connections: this.hub.size,
        windowEvents: this.window.count,
        directory: this.feed.directoryStart,
      },
    };
    if (body.status !== 'ok') throw new HttpException(body, 503);
    return body;
  }
}

import { Module } from '@nestjs/common';
import { CallQualityModule } from '../call-quality/call-quality.module.js';
import { DirectoryConsumer } from './directory.consumer.js';

@Module({ imports: [CallQualityModule], providers: [DirectoryConsumer] })
export class DirectoryModule {}

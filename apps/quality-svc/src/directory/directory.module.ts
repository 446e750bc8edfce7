import { Module } from '@nestjs/common';
import { CallQualityModule } from '../call-quality/call-quality.module.js';
import { DirectoryConsumer } from './directory.consumer.js';
import { DirectoryFactsProjection } from './directory-facts.projection.js';

@Module({ imports: [CallQualityModule], providers: [DirectoryFactsProjection, DirectoryConsumer] })
export class DirectoryModule {}

import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { currentCorrelation } from '@softphone/correlation';
import type { ServiceConfig } from './config.js';

const LEVELS: Record<ServiceConfig['logLevel'], LogLevel[]> = {
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

/** One JSON object per line, with the service, the instance and the current correlation id. */
export class JsonLogger extends ConsoleLogger {
  constructor(private readonly config: Pick<ServiceConfig, 'serviceName' | 'instanceId' | 'logLevel'>) {
    super({ json: true, logLevels: LEVELS[config.logLevel] });
  }

  protected override getJsonLogObject(message: unknown, options: Parameters<ConsoleLogger['getJsonLogObject']>[1]) {
    const record = super.getJsonLogObject(message, options);
    const correlation = currentCorrelation();
    return {
      ...record,
      service: this.config.serviceName,
      instance: this.config.instanceId,
      ...(correlation ? { correlationId: correlation.correlationId } : {}),
    };
  }
}

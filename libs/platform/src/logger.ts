import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { currentCorrelation } from '@softphone/correlation';
import type { ServiceConfig } from './config.js';

const LEVELS: Record<ServiceConfig['logLevel'], LogLevel[]> = {
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

/** How each level reads in a text line. */
const LEVEL_NAMES: Record<LogLevel, string> = {
  fatal: 'FATAL',
  error: 'ERROR',
  warn: 'WARN ',
  log: 'INFO ',
  debug: 'DEBUG',
  verbose: 'TRACE',
};

/** Nest's start-up inventory (every module and route, ~50 lines a service): debug, not info. */
const START_UP_CONTEXTS = new Set([
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestFactory',
  'NestApplication',
  'WebSocketsController',
]);

type LoggerConfig = Pick<ServiceConfig, 'serviceName' | 'instanceId' | 'logLevel' | 'logFormat'>;

/**
 * The services' logger. Text (`LOG_FORMAT=text`, the default outside production):
 * one line a record, `14:03:07.123 INFO  call-svc [Router] message corr=<id>`.
 * JSON (`LOG_FORMAT=json`, the default when NODE_ENV=production): one object a
 * line with `service`, `instance` and `correlationId`.
 */
export class ServiceLogger extends ConsoleLogger {
  constructor(private readonly config: LoggerConfig) {
    super({
      json: config.logFormat === 'json',
      logLevels: LEVELS[config.logLevel],
      colors: config.logFormat === 'text' && !!process.stdout.isTTY,
    });
  }

  override log(message: unknown, ...rest: unknown[]): void {
    const context = rest.at(-1);
    if (typeof context === 'string' && START_UP_CONTEXTS.has(context)) this.debug(message, ...rest);
    else super.log(message, ...rest);
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

  protected override formatMessage(level: LogLevel, message: unknown, _pid: string, _level: string, context: string): string {
    const correlation = currentCorrelation();
    const time = new Date().toISOString().slice(11, 23);
    const text = this.stringifyMessage(message, level);
    const line = `${time} ${this.colorize(LEVEL_NAMES[level], level)} ${this.config.serviceName} ${context}${text}`;
    return `${correlation ? `${line} corr=${correlation.correlationId}` : line}\n`;
  }

  /** A stack under its record, indented, so the record still starts its own line. */
  protected override printStackTrace(stack: string): void {
    if (!stack || this.options.json) return;
    process.stderr.write(`${stack.replace(/^/gm, '    ')}\n`);
  }
}

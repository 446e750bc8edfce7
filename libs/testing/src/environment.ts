/** Where the real servers of the test run are (npm test starts them first). */
export const testEnv = {
  postgresUrl: process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  kafkaBrokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
  mailApiUrl: process.env.MAIL_API_URL ?? 'http://127.0.0.1:1080',
  smtpUrl: process.env.SMTP_URL ?? 'smtp://127.0.0.1:1025',
  jwtSecret: 'test-secret',
};

import type { KafkaConfig, SASLOptions } from 'kafkajs';

/** SASL credentials of a Kafka principal. */
export interface KafkaCredentials {
  mechanism: 'scram-sha-512' | 'scram-sha-256' | 'plain';
  username: string;
  password: string;
}

/** How a client authenticates: as a principal (SASL), over TLS trusting `ca` (PEM; null: the system's CAs) or not. */
export interface KafkaSecurity {
  credentials?: KafkaCredentials | null;
  tls?: false | { ca: string | null };
}

/** kafkajs' sasl and ssl options. */
export function kafkaSecurity({ credentials, tls }: KafkaSecurity): Pick<KafkaConfig, 'sasl' | 'ssl'> {
  return {
    ...(credentials ? { sasl: { ...credentials } as SASLOptions } : {}),
    ...(tls ? { ssl: tls.ca ? { ca: [tls.ca] } : true } : {}),
  };
}

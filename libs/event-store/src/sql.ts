import type { DataSource, QueryRunner } from 'typeorm';

/** The little SQL surface the store and the read models need: rows out, affected count out. */
export interface Sql {
  rows<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  execute(text: string, params?: unknown[]): Promise<number>;
  /**
   * A hot statement as a named prepared statement (parsed and planned once per
   * connection), straight on the pg driver underneath TypeORM.
   */
  prepared<T = Record<string, unknown>>(name: string, text: string, params: unknown[]): Promise<T[]>;
}

interface PgQueryable {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

interface QueryResultLike {
  records: unknown[];
  affected?: number;
}

function over(run: (text: string, params: unknown[] | undefined) => Promise<QueryResultLike>, pg: () => Promise<PgQueryable>): Sql {
  return {
    async prepared<T>(name: string, text: string, values: unknown[]) {
      return (await (await pg()).query({ name, text, values })).rows as T[];
    },
    async rows<T>(text: string, params?: unknown[]) {
      return (await run(text, params)).records as T[];
    },
    async execute(text: string, params?: unknown[]) {
      return (await run(text, params)).affected ?? 0;
    },
  };
}

/** Statements on the pool, each in its own implicit transaction. */
export function sqlOnDataSource(dataSource: DataSource): Sql {
  return over(
    async (text, params) => {
      const runner = dataSource.createQueryRunner();
      try {
        return (await runner.query(text, params, true)) as QueryResultLike;
      } finally {
        await runner.release();
      }
    },
    async () => (dataSource.driver as unknown as { master: PgQueryable }).master,
  );
}

/** Statements on one connection (inside its transaction, when one is open). */
export function sqlOnRunner(runner: QueryRunner): Sql {
  return over(
    async (text, params) => (await runner.query(text, params, true)) as QueryResultLike,
    async () => (await runner.connect()) as PgQueryable,
  );
}

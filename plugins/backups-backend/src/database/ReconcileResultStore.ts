import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { EntityReconcileResult } from '../reconcile/Reconciler';

const TABLE = 'backups_reconcile_results';

/** What started a reconcile. */
export type ReconcileTrigger = 'schedule' | 'request';

/** A recorded reconcile of one entity. */
export interface ReconcileRecord {
  trigger: ReconcileTrigger;
  startedAt: string;
  finishedAt: string;
  /** False when the entity had annotation errors or any cluster or object failed. */
  succeeded: boolean;
  result: EntityReconcileResult;
}

/**
 * Whether a result is free of annotation errors, object errors and errors of
 * the clusters the entity targets. An unreachable cluster the entity does not
 * target only delays the clean-up of what it left there (retried every run).
 */
export function isSuccessful(result: EntityReconcileResult): boolean {
  return (
    result.state !== 'invalid' &&
    result.clusters.every(
      cluster =>
        !(cluster.error && cluster.targeted) &&
        cluster.objectErrors.length === 0,
    )
  );
}

interface Row {
  entity_ref: string;
  state: string;
  dry_run: boolean | number;
  succeeded: boolean | number;
  trigger: string;
  started_at: Date | string;
  finished_at: Date | string;
  result: string;
}

function toIso(value: Date | string): string {
  return new Date(value).toISOString();
}

/** The latest reconcile result of each entity, in the plugin's database. */
export class ReconcileResultStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<ReconcileResultStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip && !options.skipMigrations) {
      await client.migrate.latest({
        directory: resolvePackagePath(
          '@backups-for-backstage/plugin-backups-backend',
          'migrations',
        ),
      });
    }
    return new ReconcileResultStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async record(record: ReconcileRecord): Promise<void> {
    const row: Row = {
      entity_ref: record.result.entityRef,
      state: record.result.state,
      dry_run: record.result.dryRun,
      succeeded: record.succeeded,
      trigger: record.trigger,
      started_at: new Date(record.startedAt),
      finished_at: new Date(record.finishedAt),
      result: JSON.stringify(record.result),
    };
    await this.db<Row>(TABLE).insert(row).onConflict('entity_ref').merge();
  }

  async get(entityRef: string): Promise<ReconcileRecord | undefined> {
    const row = await this.db<Row>(TABLE)
      .where({ entity_ref: entityRef })
      .first();
    return row ? fromRow(row) : undefined;
  }

  async list(): Promise<ReconcileRecord[]> {
    const rows = await this.db<Row>(TABLE).orderBy('entity_ref');
    return rows.map(fromRow);
  }

  /** Forgets entities whose objects are gone (removed from every cluster). */
  async delete(entityRef: string): Promise<void> {
    await this.db<Row>(TABLE).where({ entity_ref: entityRef }).delete();
  }
}

function fromRow(row: Row): ReconcileRecord {
  return {
    trigger: row.trigger as ReconcileTrigger,
    startedAt: toIso(row.started_at),
    finishedAt: toIso(row.finished_at),
    succeeded: Boolean(row.succeeded),
    result: JSON.parse(row.result),
  };
}

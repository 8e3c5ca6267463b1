import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { migratedClient } from './migratedClient';
import {
  ReconcileRecord,
  ReconcileTrigger,
} from '@backups-for-backstage/plugin-backups-common';

export { isSuccessful } from '@backups-for-backstage/plugin-backups-common';
export type {
  ReconcileRecord,
  ReconcileTrigger,
} from '@backups-for-backstage/plugin-backups-common';

const TABLE = 'backups_reconcile_results';

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
    const client = await migratedClient(options);
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

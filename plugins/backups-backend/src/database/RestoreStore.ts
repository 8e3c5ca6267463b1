import { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { RestoreRecord } from '@backups-for-backstage/plugin-backups-common';
import { Knex } from 'knex';
import { migratedClient } from './migratedClient';

const RESTORES = 'backups_restores';
const RUNNING = 'backups_running_operations';

interface RestoreRow {
  id: string;
  entity_ref: string;
  state: string;
  requested_at: Date | string;
  updated_at: Date | string;
  record: string;
  revision: number;
}

interface RunningRow {
  entity_ref: string;
  operation: string;
  operation_id: string;
  started_at: Date | string;
}

/** The operation that holds an entity, while it runs. */
export interface RunningOperation {
  operation: 'restore' | 'drill';
  id: string;
  startedAt: string;
}

/**
 * Restores in the plugin database, and the rule that one restore or drill
 * runs per entity at a time: `begin` inserts the record and claims the
 * entity in one transaction, and the claim's primary key refuses a second
 * one, in whichever replica it is asked.
 */
export class RestoreStore {
  private constructor(private readonly db: Knex) {}

  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<RestoreStore> {
    return new RestoreStore(await migratedClient(options));
  }

  /** Records a new restore and claims its entity; 409 naming what runs. */
  async begin(record: RestoreRecord): Promise<void> {
    try {
      await this.db.transaction(async tx => {
        await tx<RunningRow>(RUNNING).insert({
          entity_ref: record.entityRef,
          operation: 'restore',
          operation_id: record.id,
          started_at: new Date(record.requestedAt),
        });
        await tx<RestoreRow>(RESTORES).insert(toRow(record));
      });
    } catch (error) {
      const running = await this.running(record.entityRef);
      if (!running) throw error;
      throw new ConflictError(
        `A ${running.operation} (${running.id}) is running for ${record.entityRef} since ${running.startedAt}; wait until it ends`,
      );
    }
  }

  /**
   * Saves a restore's progress; when it has ended, frees its entity. With
   * `revision` (as `listRunning` gave it), only if nobody saved it since:
   * false when someone did (another replica), and nothing is written.
   */
  async update(
    record: RestoreRecord,
    options: { revision?: number } = {},
  ): Promise<boolean> {
    return this.db.transaction(async tx => {
      const updated = await tx<RestoreRow>(RESTORES)
        .where({ id: record.id })
        .modify(query => {
          if (options.revision !== undefined) {
            query.where({ revision: options.revision });
          }
        })
        .update({
          state: record.state,
          updated_at: new Date(),
          record: JSON.stringify(record),
          revision: tx.raw('revision + 1') as unknown as number,
        });
      if (updated === 0) return false;
      if (record.state !== 'running') {
        await tx<RunningRow>(RUNNING)
          .where({ entity_ref: record.entityRef, operation_id: record.id })
          .delete();
      }
      return true;
    });
  }

  async get(id: string): Promise<RestoreRecord | undefined> {
    const row = await this.db<RestoreRow>(RESTORES).where({ id }).first();
    return row ? JSON.parse(row.record) : undefined;
  }

  async list(options: {
    entityRef: string;
    limit?: number;
  }): Promise<RestoreRecord[]> {
    const rows = await this.db<RestoreRow>(RESTORES)
      .where({ entity_ref: options.entityRef })
      .orderBy('requested_at', 'desc')
      .limit(options.limit ?? 50);
    return rows.map(row => JSON.parse(row.record));
  }

  /** Every restore that has not ended, with its revision (see update). */
  async listRunning(): Promise<
    Array<{ record: RestoreRecord; revision: number }>
  > {
    const rows = await this.db<RestoreRow>(RESTORES).where({
      state: 'running',
    });
    return rows.map(row => ({
      record: JSON.parse(row.record),
      revision: Number(row.revision),
    }));
  }

  async running(entityRef: string): Promise<RunningOperation | undefined> {
    const row = await this.db<RunningRow>(RUNNING)
      .where({ entity_ref: entityRef })
      .first();
    return row
      ? {
          operation: row.operation as RunningOperation['operation'],
          id: row.operation_id,
          startedAt: new Date(row.started_at).toISOString(),
        }
      : undefined;
  }
}

function toRow(record: RestoreRecord): RestoreRow {
  return {
    id: record.id,
    entity_ref: record.entityRef,
    state: record.state,
    requested_at: new Date(record.requestedAt),
    updated_at: new Date(),
    record: JSON.stringify(record),
    revision: 0,
  };
}

import { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  DrillRecord,
  RestoreRecord,
} from '@backups-for-backstage/plugin-backups-common';
import { Knex } from 'knex';
import { migratedClient } from './migratedClient';

const RUNNING = 'backups_running_operations';
const DRILL_SLOTS = 'backups_drill_slots';
const TABLES = { restore: 'backups_restores', drill: 'backups_drills' };

interface OperationRow {
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

/** What both kinds of operation record have in common. */
interface OperationRecord {
  id: string;
  entityRef: string;
  requestedAt: string;
  state: string;
}

/**
 * Restores or drills in the plugin database, and the rule that one restore
 * or drill runs per entity at a time: `begin` inserts the record and claims
 * the entity in one transaction, and the claim's primary key refuses a
 * second one, in whichever replica it is asked. Drills also take one of
 * `maxConcurrent` slots, held the same way.
 */
export class OperationStore<T extends OperationRecord> {
  private readonly table: string;

  private constructor(
    private readonly db: Knex,
    private readonly operation: RunningOperation['operation'],
    private readonly maxConcurrent?: number,
  ) {
    this.table = TABLES[operation];
  }

  static async restores(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<RestoreStore> {
    return new OperationStore<RestoreRecord>(
      await migratedClient(options),
      'restore',
    );
  }

  static async drills(options: {
    database: DatabaseService;
    maxConcurrent: number;
    skipMigrations?: boolean;
  }): Promise<DrillStore> {
    return new OperationStore<DrillRecord>(
      await migratedClient(options),
      'drill',
      options.maxConcurrent,
    );
  }

  /** Records a new operation and claims its entity (and a drill slot); 409 naming what runs. */
  async begin(record: T): Promise<void> {
    // A replica that takes the same free slot at once makes the insert fail: try the next.
    for (let attempt = 0; ; attempt++) {
      try {
        await this.insert(record);
        return;
      } catch (error) {
        if (error instanceof ConflictError) throw error;
        const running = await this.running(record.entityRef);
        if (running) {
          throw new ConflictError(
            `A ${running.operation} (${running.id}) is running for ${record.entityRef} since ${running.startedAt}; wait until it ends`,
          );
        }
        if (this.maxConcurrent === undefined) throw error;
        const busy = await this.db(DRILL_SLOTS).count({ n: '*' }).first();
        if (Number(busy?.n ?? 0) >= this.maxConcurrent) throw this.full();
        if (attempt >= this.maxConcurrent) throw error;
      }
    }
  }

  private async insert(record: T) {
    await this.db.transaction(async tx => {
      await tx<RunningRow>(RUNNING).insert({
        entity_ref: record.entityRef,
        operation: this.operation,
        operation_id: record.id,
        started_at: new Date(record.requestedAt),
      });
      if (this.maxConcurrent !== undefined) {
        await this.takeSlot(tx, record.id);
      }
      await tx<OperationRow>(this.table).insert(toRow(record));
    });
  }

  /** The lowest free slot; a replica that takes it at the same time makes the insert fail. */
  private async takeSlot(tx: Knex.Transaction, id: string) {
    const taken = new Set(
      (await tx(DRILL_SLOTS).select('slot')).map(row => Number(row.slot)),
    );
    const free = [...Array(this.maxConcurrent).keys()].find(
      slot => !taken.has(slot),
    );
    if (free === undefined) throw this.full();
    await tx(DRILL_SLOTS).insert({ slot: free, drill_id: id });
  }

  private full() {
    return new ConflictError(
      `${this.maxConcurrent} drill(s) are running, the most backups.drills.maxConcurrent allows; try again when one ends`,
    );
  }

  /**
   * Saves a restore's progress; when it has ended, frees its entity. With
   * `revision` (as `listRunning` gave it), only if nobody saved it since:
   * false when someone did (another replica), and nothing is written.
   */
  async update(
    record: T,
    options: { revision?: number } = {},
  ): Promise<boolean> {
    return this.db.transaction(async tx => {
      const updated = await tx<OperationRow>(this.table)
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
        await tx(DRILL_SLOTS).where({ drill_id: record.id }).delete();
      }
      return true;
    });
  }

  async get(id: string): Promise<T | undefined> {
    const row = await this.db<OperationRow>(this.table).where({ id }).first();
    return row ? JSON.parse(row.record) : undefined;
  }

  async list(options: { entityRef: string; limit?: number }): Promise<T[]> {
    const rows = await this.db<OperationRow>(this.table)
      .where({ entity_ref: options.entityRef })
      .orderBy('requested_at', 'desc')
      .limit(options.limit ?? 50);
    return rows.map(row => JSON.parse(row.record));
  }

  /** Every operation of this kind that has not ended, with its revision (see update). */
  async listRunning(): Promise<Array<{ record: T; revision: number }>> {
    const rows = await this.db<OperationRow>(this.table).where({
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

/** The restores in the plugin database. */
export type RestoreStore = OperationStore<RestoreRecord>;
/** The drills in the plugin database. */
export type DrillStore = OperationStore<DrillRecord>;

function toRow(record: OperationRecord): OperationRow {
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

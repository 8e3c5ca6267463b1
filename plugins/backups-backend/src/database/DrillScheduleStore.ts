import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { insertOnce } from './insertOnce';
import { migratedClient } from './migratedClient';

const SCHEDULES = 'backups_drill_schedules';
const RUNS = 'backups_scheduled_drill_runs';

interface ScheduleRow {
  entity_ref: string;
  schedule: string;
  since: Date | string;
}

interface RunRow {
  entity_ref: string;
  scheduled_for: Date | string;
  drill_id: string | null;
  outcome: string | null;
  claimed_at: Date | string;
}

/** One run of an entity's drill schedule, as a replica claimed it. */
export interface ScheduledDrillRun {
  entityRef: string;
  scheduledFor: string;
  drillId?: string;
  /** Why no drill started for this run, when none did. */
  outcome?: string;
  claimedAt: string;
}

/**
 * Scheduled drills in the plugin database: since when each entity's drill
 * schedule is known (a run before that is not owed: opting in, or changing
 * the schedule, does not start a drill at once), and the runs replicas
 * claimed. The claim's primary key (entity, run) lets exactly one replica
 * start the drill of a run.
 */
export class DrillScheduleStore {
  private constructor(private readonly db: Knex) {}

  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DrillScheduleStore> {
    return new DrillScheduleStore(await migratedClient(options));
  }

  /** Every entity's drill schedule as last seen, and since when it is known. */
  async schedules(): Promise<Map<string, { schedule: string; since: Date }>> {
    const rows = await this.db<ScheduleRow>(SCHEDULES);
    return new Map(
      rows.map(row => [
        row.entity_ref,
        { schedule: row.schedule, since: new Date(row.since) },
      ]),
    );
  }

  /** Remembers an entity's (new or changed) drill schedule as known since `since`. */
  async rememberSchedule(options: {
    entityRef: string;
    schedule: string;
    since: Date;
  }): Promise<void> {
    await this.db<ScheduleRow>(SCHEDULES)
      .insert({
        entity_ref: options.entityRef,
        schedule: options.schedule,
        since: options.since,
      })
      .onConflict('entity_ref')
      .merge(['schedule', 'since']);
  }

  /** Forgets an entity's schedule (drills turned off, or gone from the catalog). */
  async forgetSchedule(entityRef: string): Promise<void> {
    await this.db(SCHEDULES).where({ entity_ref: entityRef }).delete();
  }

  /**
   * Claims a run for this replica: false when another one (or an earlier
   * look) claimed it already.
   */
  async claim(options: {
    entityRef: string;
    scheduledFor: Date;
    now: Date;
  }): Promise<boolean> {
    const key = {
      entity_ref: options.entityRef,
      scheduled_for: options.scheduledFor,
    };
    return insertOnce<RunRow>(
      this.db,
      RUNS,
      { ...key, drill_id: null, outcome: null, claimed_at: options.now },
      key,
    );
  }

  /** Records what a claimed run did: the drill it started, or why none. */
  async settle(options: {
    entityRef: string;
    scheduledFor: Date;
    drillId?: string;
    outcome?: string;
  }): Promise<void> {
    await this.db<RunRow>(RUNS)
      .where({
        entity_ref: options.entityRef,
        scheduled_for: options.scheduledFor,
      })
      .update({
        drill_id: options.drillId ?? null,
        outcome: options.outcome ?? null,
      });
  }

  /** Gives a claimed run up, so that a later look may start it. */
  async release(options: {
    entityRef: string;
    scheduledFor: Date;
  }): Promise<void> {
    await this.db<RunRow>(RUNS)
      .where({
        entity_ref: options.entityRef,
        scheduled_for: options.scheduledFor,
      })
      .delete();
  }

  async runs(entityRef: string): Promise<ScheduledDrillRun[]> {
    const rows = await this.db<RunRow>(RUNS)
      .where({ entity_ref: entityRef })
      .orderBy('scheduled_for', 'desc');
    return rows.map(row => ({
      entityRef: row.entity_ref,
      scheduledFor: new Date(row.scheduled_for).toISOString(),
      ...(row.drill_id ? { drillId: row.drill_id } : {}),
      ...(row.outcome ? { outcome: row.outcome } : {}),
      claimedAt: new Date(row.claimed_at).toISOString(),
    }));
  }

  /** Deletes the claims of runs older than `before` (the drills keep their own records). */
  async pruneRuns(before: Date): Promise<void> {
    await this.db(RUNS).where('scheduled_for', '<', before).delete();
  }
}

import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { migratedClient } from './migratedClient';

const TABLE = 'backups_dump_restore_points';

/** Failed dumps kept per entity and cluster (for "failing" and the timeline). */
const FAILED_KEPT = 20;

/** One finished dump pod: a restore point when it succeeded. */
export interface DumpRecord {
  entityRef: string;
  cluster: string;
  namespace: string;
  podName: string;
  jobName: string;
  succeeded: boolean;
  onDemand: boolean;
  file?: string;
  bytes?: number;
  sha256?: string;
  error?: string;
  startedAt?: string;
  finishedAt: string;
  retention?: { count?: number; maxAgeSeconds?: number };
}

interface Row {
  entity_ref: string;
  cluster: string;
  namespace: string;
  pod_name: string;
  job_name: string;
  succeeded: boolean | number;
  on_demand: boolean | number;
  file: string | null;
  bytes: string | number | null;
  sha256: string | null;
  error: string | null;
  started_at: Date | string | null;
  finished_at: Date | string;
  retention_count: number | null;
  retention_max_age_seconds: string | number | null;
}

function toIso(value: Date | string): string {
  return new Date(value).toISOString();
}

function fromRow(row: Row): DumpRecord {
  const maxAge =
    row.retention_max_age_seconds === null
      ? undefined
      : Number(row.retention_max_age_seconds);
  return {
    entityRef: row.entity_ref,
    cluster: row.cluster,
    namespace: row.namespace,
    podName: row.pod_name,
    jobName: row.job_name,
    succeeded: Boolean(row.succeeded),
    onDemand: Boolean(row.on_demand),
    ...(row.file !== null ? { file: row.file } : {}),
    ...(row.bytes !== null ? { bytes: Number(row.bytes) } : {}),
    ...(row.sha256 !== null ? { sha256: row.sha256 } : {}),
    ...(row.error !== null ? { error: row.error } : {}),
    ...(row.started_at !== null ? { startedAt: toIso(row.started_at) } : {}),
    finishedAt: toIso(row.finished_at),
    ...(row.retention_count !== null || maxAge !== undefined
      ? {
          retention: {
            ...(row.retention_count !== null
              ? { count: row.retention_count }
              : {}),
            ...(maxAge !== undefined ? { maxAgeSeconds: maxAge } : {}),
          },
        }
      : {}),
  };
}

/**
 * The dumps seen finishing, in the plugin's database: every backend replica
 * records what its watch sees (the same pod is recorded once), and prunes
 * what the dump's own retention has removed from the dump storage.
 */
export class DumpRecordStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DumpRecordStore> {
    const client = await migratedClient(options);
    return new DumpRecordStore(client);
  }

  private constructor(private readonly db: Knex) {}

  /** Records a finished dump (again is a no-op) and applies its retention. */
  async record(record: DumpRecord, now: Date = new Date()): Promise<void> {
    await this.db<Row>(TABLE)
      .insert({
        entity_ref: record.entityRef,
        cluster: record.cluster,
        namespace: record.namespace,
        pod_name: record.podName,
        job_name: record.jobName,
        succeeded: record.succeeded,
        on_demand: record.onDemand,
        file: record.file ?? null,
        bytes: record.bytes ?? null,
        sha256: record.sha256 ?? null,
        error: record.error ?? null,
        started_at: record.startedAt ? new Date(record.startedAt) : null,
        finished_at: new Date(record.finishedAt),
        retention_count: record.retention?.count ?? null,
        retention_max_age_seconds: record.retention?.maxAgeSeconds ?? null,
      })
      .onConflict(['cluster', 'namespace', 'pod_name'])
      .ignore();
    await this.prune(record, now);
  }

  /** An entity's dumps (in one cluster, or all), newest first. */
  async list(options: {
    entityRef: string;
    cluster?: string;
  }): Promise<DumpRecord[]> {
    const rows = await this.db<Row>(TABLE)
      .where({ entity_ref: options.entityRef })
      .modify(query => {
        if (options.cluster) query.where({ cluster: options.cluster });
      })
      .orderBy('finished_at', 'desc');
    return rows.map(fromRow);
  }

  /** Every entity's dumps, newest first (the fleet overview). */
  async listAll(): Promise<DumpRecord[]> {
    const rows = await this.db<Row>(TABLE).orderBy('finished_at', 'desc');
    return rows.map(fromRow);
  }

  /**
   * Deletes what the dump storage no longer holds: succeeded dumps beyond the
   * retention the newest dump ran with, and failed ones beyond the last few.
   */
  private async prune(record: DumpRecord, now: Date) {
    const scope = { entity_ref: record.entityRef, cluster: record.cluster };
    const newest = await this.db<Row>(TABLE)
      .where({ ...scope, succeeded: true })
      .orderBy('finished_at', 'desc')
      .first();
    const retention = newest ? fromRow(newest).retention : undefined;
    if (retention?.count) {
      const keep = await this.db<Row>(TABLE)
        .where({ ...scope, succeeded: true })
        .orderBy('finished_at', 'desc')
        .limit(retention.count)
        .select('pod_name', 'namespace');
      await this.db<Row>(TABLE)
        .where({ ...scope, succeeded: true })
        .whereNotIn(
          'pod_name',
          keep.map(row => row.pod_name),
        )
        .delete();
    } else if (retention?.maxAgeSeconds) {
      await this.db<Row>(TABLE)
        .where({ ...scope, succeeded: true })
        .where(
          'finished_at',
          '<',
          new Date(now.getTime() - retention.maxAgeSeconds * 1000),
        )
        .delete();
    }
    const failedKept = await this.db<Row>(TABLE)
      .where({ ...scope, succeeded: false })
      .orderBy('finished_at', 'desc')
      .limit(FAILED_KEPT)
      .select('pod_name');
    await this.db<Row>(TABLE)
      .where({ ...scope, succeeded: false })
      .whereNotIn(
        'pod_name',
        failedKept.map(row => row.pod_name),
      )
      .delete();
  }
}

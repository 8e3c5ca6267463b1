import { MANAGED_OBJECT_LABELS } from '@backups-for-backstage/plugin-backups-common';
import { planDatabaseLayer } from '../database/planDatabaseLayer';
import { NAME_LIMITS, objectName } from '../naming';
import { PlanContext, PlannedObject } from '../types';

/** What a restore (or drill) loads, and into which database. */
export interface RestoreJobTarget {
  /** Our restore's (or drill's) id: names the Job, labels it. */
  id: string;
  label:
    | typeof MANAGED_OBJECT_LABELS.restore
    | typeof MANAGED_OBJECT_LABELS.drill;
  /** The dump's `file`, as its report gave it. */
  restoreFile: string;
  /** The sha256 recorded with the dump: the Job refuses any other file. */
  sha256: string;
  /** A new database on the same server; absent: the component's own (in place). */
  database?: string;
  /** Another server, for a drill whose database came back with Velero. */
  host?: string;
  /**
   * A drill: `database` is its scratch database, which the Job checks with
   * `verify` (`backups/drill-verify`; none: at least one table or
   * collection) read-only, and drops whatever happens.
   */
  drill?: { verify?: string };
}

/**
 * The restore Job of the database layer for one restore: the planned
 * template (same image, Secret, storage and security context as the dump)
 * with the dump to load, its recorded sha256 and the target filled in. The
 * script checks the sha256 before it touches any database.
 */
export function planRestoreJob(
  ctx: PlanContext,
  target: RestoreJobTarget,
): PlannedObject {
  if (target.drill && !target.database) {
    throw new Error('A drill restores into a scratch database: name it');
  }
  const template = planDatabaseLayer(ctx).restoreJob;
  const values: Record<string, string> = {
    RESTORE_FILE: target.restoreFile,
    EXPECTED_SHA256: target.sha256,
    TARGET_DB_NAME: target.database ?? '',
    TARGET_DB_HOST: target.host ?? '',
    DRILL: target.drill ? '1' : '',
    VERIFY_QUERY: target.drill?.verify ?? '',
  };
  const fill = (container: any) => ({
    ...container,
    env: (container.env ?? []).map((env: any) =>
      env.name in values && !env.valueFrom
        ? { name: env.name, value: values[env.name] }
        : env,
    ),
  });
  const name = objectName(ctx, `db-restore-${target.id}`, NAME_LIMITS.job);
  const labels = { ...template.metadata.labels, [target.label]: target.id };
  const spec = template.spec as any;
  const pod = spec.template.spec;
  return {
    ...template,
    metadata: { ...template.metadata, name, labels },
    spec: {
      ...spec,
      template: {
        ...spec.template,
        metadata: { ...spec.template.metadata, labels: { ...labels } },
        spec: {
          ...pod,
          ...(pod.initContainers
            ? { initContainers: pod.initContainers.map(fill) }
            : {}),
          containers: pod.containers.map(fill),
        },
      },
    },
  };
}

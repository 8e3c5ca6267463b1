import { parseEntityRef } from '@backstage/catalog-model';
import { NotificationPayload } from '@backstage/plugin-notifications-common';
import {
  BackupLayer,
  DrillRecord,
  RestoreRecord,
} from '@backups-for-backstage/plugin-backups-common';

/** The topic of every notification of the plugin (users can mute it). */
export const NOTIFICATION_TOPIC = 'backups';

/**
 * Why an entity's owners are told: at most one notification per entity and
 * cause a day.
 */
export type NotificationCause =
  | 'drill-failed'
  | 'drill-missed-target'
  | 'restore-failed'
  | `layer-failing:${BackupLayer}`;

/** A notification to an entity's owners, and why. */
export interface BackupsNotification {
  entityRef: string;
  cause: NotificationCause;
  payload: NotificationPayload;
}

/**
 * A failing layer of an entity in one cluster, as the status says it.
 *
 * @public
 */
export interface FailingLayer {
  entityRef: string;
  layer: BackupLayer;
  cluster: string;
  /** Why it is failing, most important first. */
  reasons: string[];
}

const LAYER_NAMES: Record<BackupLayer, string> = {
  velero: 'Velero backups',
  database: 'Database dumps',
  'volume-snapshot': 'Volume snapshots',
};

/**
 * The entity's Backups tab in the portal: its catalog page as the catalog's
 * `entityRouteParams` makes it (kind and namespace in lower case), then the
 * tab.
 */
export function backupsTabLink(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${[
    namespace.toLocaleLowerCase('en-US'),
    kind.toLocaleLowerCase('en-US'),
    name,
  ]
    .map(encodeURIComponent)
    .join('/')}/backups`;
}

/** What to tell of an ended drill: nothing when it passed (or still runs). */
export function drillNotification(
  record: DrillRecord,
): BackupsNotification | undefined {
  if (record.state !== 'failed' && record.state !== 'missed-target') {
    return undefined;
  }
  const failed = record.state === 'failed';
  const step = record.steps.find(s => s.name === record.failedStep);
  const what = failed
    ? `failed${record.failedStep ? ` at ${record.failedStep}` : ''}`
    : 'missed its target';
  return notification({
    entityRef: record.entityRef,
    cause: failed ? 'drill-failed' : 'drill-missed-target',
    severity: failed ? 'high' : 'normal',
    title: `Disaster-recovery drill of ${record.entityRef} ${what}`,
    sentences: [
      record.outcome,
      step ? `The step: ${step.title}.` : undefined,
      `Drill ${record.id} in cluster ${record.cluster}, ${
        record.trigger === 'schedule'
          ? 'scheduled'
          : `run by ${record.requestedBy}`
      } at ${record.requestedAt}; everything it created was deleted.`,
    ],
  });
}

/** What to tell of an ended restore: nothing unless it failed. */
export function restoreNotification(
  record: RestoreRecord,
): BackupsNotification | undefined {
  if (record.state !== 'failed') return undefined;
  return notification({
    entityRef: record.entityRef,
    cause: 'restore-failed',
    severity: 'high',
    title: `Restore of ${record.entityRef} (${record.layer}) failed`,
    sentences: [
      record.outcome,
      `Restore ${record.id} of ${record.restorePoint.id} in cluster ${
        record.cluster
      }, ${
        record.target.mode === 'in-place' ? 'in place' : 'to a new place'
      } (${record.target.namespace}), asked for by ${record.requestedBy} at ${
        record.requestedAt
      }.`,
    ],
  });
}

/** What to tell when a layer turns failing in a cluster. */
export function failingLayerNotification(
  failing: FailingLayer,
): BackupsNotification {
  return notification({
    entityRef: failing.entityRef,
    cause: `layer-failing:${failing.layer}`,
    severity: 'high',
    title: `${LAYER_NAMES[failing.layer]} of ${
      failing.entityRef
    } are failing in cluster ${failing.cluster}`,
    sentences: failing.reasons,
  });
}

function notification(options: {
  entityRef: string;
  cause: NotificationCause;
  severity: NotificationPayload['severity'];
  title: string;
  sentences: Array<string | undefined>;
}): BackupsNotification {
  const { entityRef, cause } = options;
  return {
    entityRef,
    cause,
    payload: {
      title: options.title,
      description: options.sentences.filter(Boolean).join(' '),
      link: backupsTabLink(entityRef),
      severity: options.severity,
      topic: NOTIFICATION_TOPIC,
      // The notifications backend updates a user's notification of the same
      // scope instead of adding one: one per entity and cause in the list.
      scope: `backups:${cause}:${entityRef}`,
    },
  };
}

import {
  DrillRecord,
  RestoreRecord,
} from '@backups-for-backstage/plugin-backups-common';
import { FailingLayer } from './backupsNotifications';

/**
 * Tells an entity's owners, through Backstage's notifications, what needs
 * them: a drill that failed or missed its target, a failed restore, a layer
 * that turned failing. At most one notification per entity and cause a day,
 * across replicas. Never throws: a notification that cannot be sent is
 * logged, and what caused it goes on.
 *
 * @public
 */
export interface BackupsNotifier {
  /** A drill ended (a passed one is not told). */
  drillEnded(record: DrillRecord): Promise<void>;
  /** A restore ended (only a failed one is told). */
  restoreEnded(record: RestoreRecord): Promise<void>;
  /** A layer turned failing in a cluster. */
  layerTurnedFailing(failing: FailingLayer): Promise<void>;
}

import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  DrillList,
  DrillRecord,
} from '@backups-for-backstage/plugin-backups-common';

/**
 * Disaster-recovery drills of an entity: its newest restore points restored
 * into a scratch namespace, checked, timed against its targets, and removed
 * again; recorded in the plugin database.
 *
 * @public
 */
export interface DrillService {
  /**
   * Starts a drill and answers its record (state `running`). InputError when
   * the entity cannot be drilled (not opted in, a layer without a good
   * restore point); ConflictError when a restore or drill runs for it or
   * `maxConcurrent` drills run; ServiceUnavailableError naming the cluster.
   * The caller's permission is checked before (see the router).
   */
  startDrill(options: {
    entityRef: CompoundEntityRef;
    credentials: BackstageCredentials;
    cluster?: string;
    reason?: string;
    /**
     * For a scheduled drill: the run of the entity's drill schedule it is
     * started for (trigger `schedule`, requested by `schedule`).
     */
    scheduledFor?: Date;
  }): Promise<DrillRecord>;

  /** NotFoundError for an unknown id. */
  getDrill(options: { id: string }): Promise<DrillRecord>;

  listDrills(options: {
    entityRef: CompoundEntityRef;
    credentials: BackstageCredentials;
  }): Promise<DrillList>;
}

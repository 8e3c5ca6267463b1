import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  EntityPlanPreview,
  ProtectionIntentResult,
  ReconcileRecord,
} from '@backups-for-backstage/plugin-backups-common';
import { FleetReconcileSummary } from '../reconcile/reconcileFleet';

export type { EntityPlanPreview };

/**
 * The domain operations behind the backups HTTP API.
 *
 * @public
 */
export interface BackupsService {
  /** The entity's parsed protection intent; NotFoundError for unknown entities. */
  getIntent(options: {
    entityRef: CompoundEntityRef;
    credentials: BackstageCredentials;
  }): Promise<ProtectionIntentResult>;

  /** The entity's plan and its diff against the clusters (writes nothing). */
  getPlan(options: {
    entityRef: CompoundEntityRef;
    credentials: BackstageCredentials;
  }): Promise<EntityPlanPreview>;

  /**
   * Applies the entity's plan now (only reports when `backups.reconcile.dryRun`
   * is set) and records the result.
   */
  reconcileEntity(options: {
    entityRef: CompoundEntityRef;
    credentials: BackstageCredentials;
  }): Promise<ReconcileRecord>;

  /** Reconciles every entity; what the scheduled task runs. */
  reconcileAll(): Promise<FleetReconcileSummary>;
}

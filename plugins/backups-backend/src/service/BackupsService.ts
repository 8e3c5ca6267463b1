import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { ProtectionIntentResult } from '@backups-for-backstage/plugin-backups-common';
import { DefaultBackupsService } from './DefaultBackupsService';
import { readBackupsConfig } from '../config/readBackupsConfig';
import {
  ReconcileRecord,
  ReconcileResultStore,
} from '../database/ReconcileResultStore';
import { EntityPlan } from '../plan/planEntity';
import { EntityReconcileResult, Reconciler } from '../reconcile/Reconciler';
import { FleetReconcileSummary } from '../reconcile/reconcileFleet';

/**
 * An entity's desired objects and what applying them would change.
 *
 * @public
 */
export interface EntityPlanPreview {
  entityRef: string;
  /** The plan: per cluster the desired objects, or the annotation errors. */
  plan: EntityPlan;
  /** A dry run of reconcile: what would be created, updated and deleted. */
  diff: EntityReconcileResult;
  /** The latest recorded reconcile of the entity, if any. */
  lastReconcile?: ReconcileRecord;
}

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

/**
 * Replace it with `createServiceFactory({ service: backupsServiceRef, … })` in
 * tests or to change how entities are read and reconciled.
 *
 * @public
 */
export const backupsServiceRef = createServiceRef<BackupsService>({
  id: 'backups.service',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
        database: coreServices.database,
        auth: coreServices.auth,
        logger: coreServices.logger,
      },
      async factory({ config, catalog, database, auth, logger }) {
        const backupsConfig = readBackupsConfig(config);
        return new DefaultBackupsService({
          catalog,
          auth,
          logger,
          config: backupsConfig,
          reconciler: new Reconciler({ config: backupsConfig, logger }),
          store: await ReconcileResultStore.create({ database }),
        });
      },
    }),
});

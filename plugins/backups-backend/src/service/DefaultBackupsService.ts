import {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CompoundEntityRef,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { parseProtectionIntent } from '@backups-for-backstage/plugin-backups-common';
import { BackupsConfig, toIntentContext } from '../config/readBackupsConfig';
import {
  isSuccessful,
  ReconcileRecord,
} from '@backups-for-backstage/plugin-backups-common';
import { ReconcileResultStore } from '../database/ReconcileResultStore';
import { EntityCache } from '../entities/EntityCache';
import { Reconciler } from '../reconcile/Reconciler';
import { reconcileFleet } from '../reconcile/reconcileFleet';
import type { BackupsService, EntityPlanPreview } from './BackupsService';

/**
 * The backups service: reads entities from the catalog, their intent from
 * their annotations and the configured policies, and reconciles their plans.
 */
export class DefaultBackupsService implements BackupsService {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      config: BackupsConfig;
      reconciler: Reconciler;
      store: ReconcileResultStore;
      /** Fed with every entity the fleet reconcile reads. */
      entities?: EntityCache;
    },
  ) {}

  async getIntent(options: {
    entityRef: CompoundEntityRef;
    credentials: BackstageCredentials;
  }) {
    const entity = await this.requireEntity(options);
    return parseProtectionIntent(entity, toIntentContext(this.options.config));
  }

  async getPlan(options: {
    entityRef: CompoundEntityRef;
    credentials: BackstageCredentials;
  }): Promise<EntityPlanPreview> {
    const entity = await this.requireEntity(options);
    const entityRef = stringifyEntityRef(entity);
    const [{ plan, result }, lastReconcile] = await Promise.all([
      this.options.reconciler.preview({ entity }),
      this.options.store.get(entityRef),
    ]);
    return { entityRef, plan, diff: result, lastReconcile };
  }

  async reconcileEntity(options: {
    entityRef: CompoundEntityRef;
    credentials: BackstageCredentials;
  }): Promise<ReconcileRecord> {
    const entity = await this.requireEntity(options);
    const startedAt = new Date().toISOString();
    const result = await this.options.reconciler.reconcileEntity({
      entity,
      dryRun: this.options.config.reconcile.dryRun,
    });
    const record: ReconcileRecord = {
      trigger: 'request',
      startedAt,
      finishedAt: new Date().toISOString(),
      succeeded: isSuccessful(result),
      result,
    };
    await this.options.store.record(record);
    return record;
  }

  async reconcileAll() {
    const { catalog, auth, logger, config, reconciler, store } = this.options;
    const fleet: Entity[] = [];
    const summary = await reconcileFleet({
      reconciler,
      catalog,
      store,
      logger,
      credentials: await auth.getOwnServiceCredentials(),
      dryRun: config.reconcile.dryRun,
      concurrency: config.reconcile.concurrency,
      onEntity: entity => fleet.push(entity),
    });
    // The stream completed: this is the whole opted-in fleet.
    this.options.entities?.setFleet(fleet);
    return summary;
  }

  private async requireEntity(options: {
    entityRef: CompoundEntityRef;
    credentials: BackstageCredentials;
  }): Promise<Entity> {
    const entity = await this.options.catalog.getEntityByRef(
      options.entityRef,
      { credentials: options.credentials },
    );
    if (!entity) {
      throw new NotFoundError(
        `No entity ${stringifyEntityRef(options.entityRef)} in the catalog`,
      );
    }
    return entity;
  }
}

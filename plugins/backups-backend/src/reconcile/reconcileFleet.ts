import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import pLimit from 'p-limit';
import { isSuccessful } from '@backups-for-backstage/plugin-backups-common';
import { isOptedIn, OPTED_IN_FILTER } from '../entities/optedIn';
import { ReconcileResultStore } from '../database/ReconcileResultStore';
import { EntityReconcileResult, Reconciler } from './Reconciler';

/** What one reconcile run of the whole catalog did. */
export interface FleetReconcileSummary {
  entities: number;
  succeeded: number;
  failed: number;
  removed: number;
  dryRun: boolean;
}

/**
 * Reconciles every opted-in entity of the catalog, and removes the managed
 * objects of entities that left the catalog or the opt-in. Every cluster's
 * managed objects are listed once per run; entities run `concurrency` at a
 * time; one entity's failure is recorded and never stops the others.
 */
export async function reconcileFleet(options: {
  reconciler: Reconciler;
  catalog: CatalogService;
  credentials: BackstageCredentials;
  store: Pick<ReconcileResultStore, 'record' | 'delete'>;
  dryRun: boolean;
  concurrency: number;
  logger: LoggerService;
  /** Called with every opted-in entity read from the catalog (the entity cache). */
  onEntity?: (entity: Entity) => void;
}): Promise<FleetReconcileSummary> {
  const { reconciler, catalog, credentials, store, dryRun, logger } = options;
  const limit = pLimit(options.concurrency);
  const summary: FleetReconcileSummary = {
    entities: 0,
    succeeded: 0,
    failed: 0,
    removed: 0,
    dryRun,
  };

  async function run(
    entityRef: string,
    reconcile: () => Promise<EntityReconcileResult>,
    { forgetWhenDone = false }: { forgetWhenDone?: boolean } = {},
  ) {
    const startedAt = new Date().toISOString();
    summary.entities += 1;
    let result: EntityReconcileResult;
    try {
      result = await reconcile();
    } catch (error) {
      // Reconcile reports cluster errors in its result; this is a defect.
      logger.error(
        `Reconcile of ${entityRef} failed unexpectedly`,
        error as Error,
      );
      summary.failed += 1;
      return;
    }
    const succeeded = isSuccessful(result);
    summary[succeeded ? 'succeeded' : 'failed'] += 1;
    if (result.state === 'removed') summary.removed += 1;
    try {
      if (forgetWhenDone && succeeded && !dryRun) {
        await store.delete(entityRef);
      } else {
        await store.record({
          trigger: 'schedule',
          startedAt,
          finishedAt: new Date().toISOString(),
          succeeded,
          result,
        });
      }
    } catch (error) {
      logger.error(
        `Could not record the reconcile of ${entityRef}`,
        error as Error,
      );
    }
  }

  const snapshot = await reconciler.snapshot();
  const withObjects = Reconciler.entitiesWithObjects(snapshot);
  const tasks: Promise<void>[] = [];
  const seen = new Set<string>();
  for await (const page of catalog.streamEntities(
    { filter: OPTED_IN_FILTER },
    { credentials },
  )) {
    for (const entity of page) {
      const entityRef = stringifyEntityRef(entity);
      seen.add(entityRef);
      options.onEntity?.(entity);
      tasks.push(
        limit(() =>
          run(entityRef, () =>
            reconciler.reconcileEntity({ entity, dryRun, snapshot }),
          ),
        ),
      );
    }
  }

  // Objects whose entity was not streamed: look each up again before
  // deleting anything, so that an entity opted in since the stream began (or
  // a catalog hiccup) never loses its protection.
  const orphans = [...withObjects].filter(entityRef => !seen.has(entityRef));
  if (orphans.length > 0) {
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: orphans },
      { credentials },
    );
    orphans.forEach((entityRef, index) => {
      const entity = items[index];
      if (entity && isOptedIn(entity)) {
        options.onEntity?.(entity);
        tasks.push(
          limit(() =>
            run(entityRef, () =>
              reconciler.reconcileEntity({ entity, dryRun, snapshot }),
            ),
          ),
        );
        return;
      }
      tasks.push(
        limit(() =>
          run(
            entityRef,
            () =>
              reconciler.deleteEntity({ entity: entityRef, dryRun, snapshot }),
            // An entity gone from the catalog has nowhere to show its result.
            { forgetWhenDone: !entity },
          ),
        ),
      );
    });
  }
  await Promise.all(tasks);
  logger.info(
    `Reconciled ${summary.entities} entities${dryRun ? ' (dry run)' : ''}: ${
      summary.succeeded
    } succeeded, ${summary.failed} failed, ${summary.removed} removed`,
  );
  return summary;
}

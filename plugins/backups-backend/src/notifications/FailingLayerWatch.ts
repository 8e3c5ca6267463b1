import { LoggerService } from '@backstage/backend-plugin-api';
import { EntityStatus } from '@backups-for-backstage/plugin-backups-common';
import { errorMessage } from '../cluster/objects';
import { FailingLayerStore, LayerKey } from '../database/FailingLayerStore';
import { FailingLayer } from './backupsNotifications';
import { BackupsNotifier } from './BackupsNotifier';

/** The scheduler task that looks for layers that turned failing. */
export const FAILING_LAYERS_TASK_ID = 'backups-failing-layers';

/**
 * Tells the owners when a layer turns `failing`: each look compares the
 * layers failing now with those last seen failing (in the plugin database,
 * so a restart or another replica does not tell them again), tells the new
 * ones, and forgets those that recovered, so that failing again is told
 * again. A layer in a cluster that does not answer keeps what was last seen.
 */
export class FailingLayerWatch {
  private readonly now: () => Date;

  constructor(
    private readonly options: {
      /** The opted-in entities' statuses (see DefaultStatusService.fleet). */
      fleet: () => Promise<Array<{ status: EntityStatus }>>;
      store: FailingLayerStore;
      notifier: BackupsNotifier;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** One look; answers the layers that turned failing since the last. */
  async check(): Promise<FailingLayer[]> {
    const { store, notifier } = this.options;
    const fleet = await this.options.fleet();
    const known = new Map(
      (await store.list()).map(layer => [keyOf(layer), layer]),
    );
    const turned: FailingLayer[] = [];
    for (const { status } of fleet) {
      const reachable = new Set(
        status.clusters.filter(c => c.reachable).map(c => c.cluster),
      );
      for (const layer of status.layers) {
        const key: LayerKey = {
          entityRef: status.entityRef,
          layer: layer.layer,
          cluster: layer.cluster,
        };
        const seen = known.has(keyOf(key));
        if (layer.state === 'failing') {
          if (!seen && (await store.add(key, this.now()))) {
            turned.push({ ...key, reasons: layer.reasons });
          }
        } else if (seen && reachable.has(layer.cluster)) {
          await store.remove(key);
        }
      }
    }
    for (const failing of turned) {
      this.options.logger.info(
        `The ${failing.layer} layer of ${failing.entityRef} turned failing in cluster ${failing.cluster}`,
      );
      await notifier.layerTurnedFailing(failing);
    }
    return turned;
  }

  /** `check`, for the scheduler: a look that fails is logged, and the next one tries again. */
  async run(): Promise<void> {
    await this.check().catch(error =>
      this.options.logger.warn(
        `Could not look for layers that turned failing: ${errorMessage(error)}`,
      ),
    );
  }
}

function keyOf(key: LayerKey): string {
  return `${key.entityRef}|${key.layer}|${key.cluster}`;
}

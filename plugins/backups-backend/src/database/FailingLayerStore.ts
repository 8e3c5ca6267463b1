import { DatabaseService } from '@backstage/backend-plugin-api';
import { BackupLayer } from '@backups-for-backstage/plugin-backups-common';
import { Knex } from 'knex';
import { insertOnce } from './insertOnce';
import { migratedClient } from './migratedClient';

const TABLE = 'backups_failing_layers';

interface Row {
  entity_ref: string;
  layer: string;
  cluster: string;
  since: Date | string;
}

/** A layer of an entity in one cluster. */
export interface LayerKey {
  entityRef: string;
  layer: BackupLayer;
  cluster: string;
}

/**
 * The layers last seen failing, so that a layer is told about when it turns
 * failing, not each time it is looked at: `add` is true for the one caller,
 * in whichever replica, that recorded the change.
 */
export class FailingLayerStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<FailingLayerStore> {
    return new FailingLayerStore(await migratedClient(options));
  }

  private constructor(private readonly db: Knex) {}

  async list(): Promise<Array<LayerKey & { since: string }>> {
    const rows = await this.db<Row>(TABLE).orderBy([
      'entity_ref',
      'layer',
      'cluster',
    ]);
    return rows.map(row => ({
      entityRef: row.entity_ref,
      layer: row.layer as BackupLayer,
      cluster: row.cluster,
      since: new Date(row.since).toISOString(),
    }));
  }

  /** Records that the layer is failing since `since`; false when it was recorded already. */
  async add(key: LayerKey, since: Date): Promise<boolean> {
    const where = {
      entity_ref: key.entityRef,
      layer: key.layer,
      cluster: key.cluster,
    };
    return insertOnce<Row>(this.db, TABLE, { ...where, since }, where);
  }

  /** The layer is no longer failing. */
  async remove(key: LayerKey): Promise<void> {
    await this.db<Row>(TABLE)
      .where({
        entity_ref: key.entityRef,
        layer: key.layer,
        cluster: key.cluster,
      })
      .delete();
  }
}

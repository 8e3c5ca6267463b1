import { CatalogService } from '@backstage/plugin-catalog-node';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import {
  IntentContext,
  parseProtectionIntent,
} from '@backups-for-backstage/plugin-backups-common';
import type { BackupsService } from './BackupsService';

/**
 * The backups service: reads entities from the catalog and their intent from
 * their annotations and the configured policies.
 */
export class DefaultBackupsService implements BackupsService {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      intentContext: IntentContext;
    },
  ) {}

  async getIntent({
    entityRef,
    credentials,
  }: Parameters<BackupsService['getIntent']>[0]) {
    const entity = await this.options.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(
        `No entity ${stringifyEntityRef(entityRef)} in the catalog`,
      );
    }
    return parseProtectionIntent(entity, this.options.intentContext);
  }
}

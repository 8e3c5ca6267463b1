import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity } from '@backstage/catalog-model';
import { BACKUPS_ANNOTATIONS } from '@backups-for-backstage/plugin-backups-common';

/** The catalog filter of the entities that opted in (they carry `backups/policy`). */
export const OPTED_IN_FILTER = {
  [`metadata.annotations.${BACKUPS_ANNOTATIONS.policy}`]: CATALOG_FILTER_EXISTS,
};

export function isOptedIn(entity: Entity): boolean {
  return (
    entity.metadata.annotations?.[BACKUPS_ANNOTATIONS.policy] !== undefined
  );
}

import { Entity } from '@backstage/catalog-model';
import { BACKUPS_ANNOTATIONS } from '@backups-for-backstage/plugin-backups-common';

/**
 * Whether an entity has opted into backups, i.e. carries the
 * `backups/policy` annotation (even an empty or unknown value: the Backups
 * tab then explains what is wrong with it).
 *
 * @public
 */
export function isBackupsAvailable(entity: Entity): boolean {
  return (
    entity.metadata.annotations?.[BACKUPS_ANNOTATIONS.policy] !== undefined
  );
}

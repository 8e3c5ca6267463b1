import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { BACKUPS_ANNOTATIONS } from '@backups-for-backstage/plugin-backups-common';

/**
 * The backup status card of an entity's overview page, for entities that
 * opted in.
 *
 * @alpha
 */
export const backupsEntityCard = EntityCardBlueprint.make({
  name: 'status',
  params: {
    filter: {
      [`metadata.annotations.${BACKUPS_ANNOTATIONS.policy}` as const]: {
        $exists: true,
      },
    },
    loader: () =>
      import('../components/EntityBackupStatusCard').then(m => (
        <m.EntityBackupStatusCard />
      )),
  },
});

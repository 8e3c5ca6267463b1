import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { BACKUPS_ANNOTATIONS } from '@backups-for-backstage/plugin-backups-common';

/**
 * The Backups tab of an entity page.
 *
 * @alpha
 */
export const backupsEntityContent = EntityContentBlueprint.make({
  name: 'entity',
  params: {
    path: '/backups',
    title: 'Backups',
    // Which entities get the tab: every entity that has opted in (it carries
    // `backups/policy`, whatever its kind), and every Component and Resource
    // even when it has not. Those are the kinds that own workloads and
    // databases, and for them the tab is where a team learns that backups
    // exist and copies the annotation that opts in; showing the tab only to
    // opted-in entities (`isBackupsAvailable`) would make that explanation
    // unreachable. Other kinds (User, Group, API, Domain…) get no empty tab.
    // Apps that want the tab on opted-in entities only override `filter` in
    // app-config (see the README).
    filter: {
      $any: [
        { kind: { $in: ['component', 'resource'] } },
        {
          [`metadata.annotations.${BACKUPS_ANNOTATIONS.policy}` as const]: {
            $exists: true,
          },
        },
      ],
    },
    loader: () =>
      import('../components/EntityBackupsContent').then(m => (
        <m.EntityBackupsContent />
      )),
  },
});

import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import { PageBlueprint } from '@backstage/frontend-plugin-api';
import BackupIcon from '@material-ui/icons/Backup';
import { fleetRouteRef } from '../routes';

/**
 * The fleet page at /backups, with its item in the app's navigation (the
 * navigation lists pages that carry a route ref).
 *
 * @alpha
 */
export const backupsPage = PageBlueprint.make({
  params: {
    path: '/backups',
    title: 'Backups',
    icon: <BackupIcon />,
    routeRef: convertLegacyRouteRef(fleetRouteRef),
    loader: () =>
      import('../components/BackupsPage').then(m => <m.BackupsPage />),
  },
});

import { PageBlueprint } from '@backstage/frontend-plugin-api';
import BackupIcon from '@material-ui/icons/Backup';

/**
 * The fleet page at /backups, with its item in the app's navigation.
 *
 * @alpha
 */
export const backupsPage = PageBlueprint.make({
  params: {
    path: '/backups',
    title: 'Backups',
    icon: <BackupIcon />,
    loader: () =>
      import('../components/BackupsPage').then(m => <m.BackupsPage />),
  },
});

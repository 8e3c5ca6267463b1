import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import backupsPlugin from '@backups-for-backstage/plugin-backups/alpha';
import { navModule } from './modules/nav';

export default createApp({
  features: [catalogPlugin, backupsPlugin, navModule],
});

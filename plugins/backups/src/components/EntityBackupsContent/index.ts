export { EntityBackupsContent } from './EntityBackupsContent';

export { EntityBackupStatusCard } from './EntityBackupStatusCard';

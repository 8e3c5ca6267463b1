/**
 * The Backups backend plugin: Kubernetes backups and disaster recovery per
 * catalog entity.
 *
 * @packageDocumentation
 */

export { backupsPlugin as default } from './plugin';
export { backupsServiceRef } from './service/backupsServiceRef';
export { backupsConfigServiceRef } from './config/backupsConfigServiceRef';
export { clusterConnectionsServiceRef } from './cluster/clusterConnectionsServiceRef';
export type { ClusterConnections } from './cluster/ClusterConnections';
export type { BackupsService } from './service/BackupsService';
export { readBackupsConfig } from './config/readBackupsConfig';
export type { BackupsConfig, ClusterConfig } from './config/readBackupsConfig';
export { statusServiceRef } from './status/statusServiceRef';
export type { StatusService } from './status/StatusService';
export { clusterWatchersServiceRef } from './cluster/watch/clusterWatchersServiceRef';
export type { ClusterWatchers } from './cluster/watch/ClusterWatchers';
export { entityCacheServiceRef } from './entities/entityCacheServiceRef';
export type { EntityCache } from './entities/EntityCache';
export { onDemandBackupServiceRef } from './onDemand/onDemandBackupServiceRef';
export type { OnDemandBackupService } from './onDemand/OnDemandBackupService';
export { restoreServiceRef } from './restores/restoreServiceRef';
export type { RestoreService } from './restores/RestoreService';
export { drillServiceRef } from './drills/drillServiceRef';
export type { DrillService } from './drills/DrillService';
export { backupsNotifierServiceRef } from './notifications/backupsNotifierServiceRef';
export type { BackupsNotifier } from './notifications/BackupsNotifier';
export type { FailingLayer } from './notifications/backupsNotifications';

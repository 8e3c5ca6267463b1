/** The kinds the planner can produce: the only kinds reconcile lists or deletes. */
export const MANAGED_KINDS: ReadonlyArray<{
  apiVersion: string;
  kind: string;
}> = [
  { apiVersion: 'velero.io/v1', kind: 'Schedule' },
  { apiVersion: 'batch/v1', kind: 'CronJob' },
  { apiVersion: 'v1', kind: 'ServiceAccount' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding' },
  { apiVersion: 'snapscheduler.backube/v1', kind: 'SnapshotSchedule' },
];

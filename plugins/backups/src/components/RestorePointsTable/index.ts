export { RestorePointsTable } from './RestorePointsTable';
export type { RestorePointsTableProps } from './RestorePointsTable';

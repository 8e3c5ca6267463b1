export { BackupsPage } from './BackupsPage';
export type { BackupsPageProps } from './BackupsPage';
export { FleetTable } from './FleetTable';
export type { FleetTableProps } from './FleetTable';

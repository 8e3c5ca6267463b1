import { parseEntityRef } from '@backstage/catalog-model';
import { Link, Table, TableColumn } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  BACKUP_LAYERS,
  COMPLIANCE_STATES,
  formatDuration,
  LAYER_TITLES,
  OverviewRow,
} from '@backups-for-backstage/plugin-backups-common';
import { relativeTime } from '../../utils/time';
import { ComplianceChip } from '../ComplianceChip';

/** @public */
export interface FleetTableProps {
  rows: OverviewRow[];
  loading?: boolean;
  now?: Date;
}

/**
 * One row per opted-in entity: its state and why, owner, policy, the newest
 * good restore point per layer and the RPO; sortable, each linking to the
 * entity's Backups tab.
 *
 * @public
 */
export function FleetTable(props: FleetTableProps) {
  const entityRoute = useRouteRef(entityRouteRef);
  const now = props.now ?? new Date();
  const columns: TableColumn<OverviewRow>[] = [
    {
      title: 'Entity',
      field: 'entityRef',
      highlight: true,
      render: row => {
        const ref = parseEntityRef(row.entityRef);
        return (
          <Link to={`${entityRoute(ref)}/backups`}>
            {row.title ?? ref.name}
          </Link>
        );
      },
    },
    {
      title: 'State',
      field: 'state',
      customSort: (a, b) =>
        COMPLIANCE_STATES.indexOf(a.state) - COMPLIANCE_STATES.indexOf(b.state),
      render: row => <ComplianceChip state={row.state} />,
    },
    { title: 'Why', field: 'summary', sorting: false },
    { title: 'Owner', field: 'owner' },
    { title: 'Policy', field: 'policy' },
    ...BACKUP_LAYERS.map(
      (layer): TableColumn<OverviewRow> => ({
        title: `Newest good: ${LAYER_TITLES[layer].toLowerCase()}`,
        customSort: (a, b) =>
          (a.newestGood[layer] ?? '').localeCompare(b.newestGood[layer] ?? ''),
        render: row => {
          const time = row.newestGood[layer];
          return time ? relativeTime(time, now) : '—';
        },
      }),
    ),
    {
      title: 'RPO achieved / target',
      customSort: (a, b) =>
        (a.rpo?.achievedMs ?? Infinity) - (b.rpo?.achievedMs ?? Infinity),
      render: row =>
        row.rpo
          ? `${
              row.rpo.achievedMs !== undefined
                ? formatDuration(row.rpo.achievedMs)
                : 'none'
            } / ${row.rpo.target}`
          : '—',
    },
  ];
  return (
    <Table<OverviewRow>
      title="Fleet"
      isLoading={props.loading}
      options={{ search: true, paging: true, pageSize: 20, padding: 'dense' }}
      columns={columns}
      data={props.rows.map(row => ({ ...row }))}
      emptyContent={
        <div style={{ padding: 16 }}>
          No opted-in entity matches the filters.
        </div>
      }
    />
  );
}

import { parseEntityRef } from '@backstage/catalog-model';
import { Link, Table, TableColumn } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  BACKUP_LAYERS,
  COMPLIANCE_STATES,
  DRILL_VERDICTS,
  formatDuration,
  LAYER_TITLES,
  OverviewRow,
} from '@backups-for-backstage/plugin-backups-common';
import { relativeTime } from '../../utils/time';
import { ComplianceChip } from '../ComplianceChip';
import { DRILL_STATE_LABELS } from '../DrillVerdictChip';
import { LastDrill } from '../LastDrill';

/** Passed first, then missed target, failed, and no drill yet last. */
function drillRank(row: OverviewRow): number {
  return row.lastDrill
    ? DRILL_VERDICTS.indexOf(row.lastDrill.state)
    : DRILL_VERDICTS.length;
}

/** What the search box matches in the Last drill column. */
function lastDrillText(row: OverviewRow): string {
  const drill = row.lastDrill;
  if (!drill) return 'No drill yet';
  return [
    DRILL_STATE_LABELS[drill.state],
    drill.failedStepTitle,
    drill.failedStep,
  ].join(' ');
}

/** @public */
export interface FleetTableProps {
  rows: OverviewRow[];
  loading?: boolean;
  now?: Date;
}

/**
 * One row per opted-in entity: its state and why, owner, policy, the newest
 * good restore point per layer, the RPO and the last drill; sortable (the
 * last drill by verdict), searchable, each linking to the entity's Backups
 * tab.
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
    {
      title: 'Last drill',
      // By verdict, then the newest first.
      customSort: (a, b) =>
        drillRank(a) - drillRank(b) ||
        (b.lastDrill?.requestedAt ?? '').localeCompare(
          a.lastDrill?.requestedAt ?? '',
        ),
      customFilterAndSearch: (search: string, row) =>
        lastDrillText(row).toLowerCase().includes(search.toLowerCase()),
      render: row => <LastDrill drill={row.lastDrill} now={now} />,
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

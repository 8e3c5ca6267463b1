import { Table, TableColumn } from '@backstage/core-components';
import {
  BackupLayer,
  LAYER_TITLES,
  RestorePoint,
} from '@backups-for-backstage/plugin-backups-common';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import { formatBytes, relativeTime, utcTime } from '../../utils/time';

function content(point: RestorePoint): string {
  if (point.items !== undefined) {
    return point.totalItems !== undefined
      ? `${point.items} of ${point.totalItems} items`
      : `${point.items} items`;
  }
  if (point.bytes !== undefined) return formatBytes(point.bytes);
  return '';
}

function verdict(point: RestorePoint) {
  if (point.good) return <Chip size="small" label="good" />;
  const label = point.outcome === 'running' ? 'running' : point.outcome;
  return (
    <Tooltip title={point.reason ?? ''}>
      <Chip
        size="small"
        variant="outlined"
        color={point.outcome === 'running' ? 'default' : 'secondary'}
        label={label}
      />
    </Tooltip>
  );
}

/** @public */
export interface RestorePointsTableProps {
  layer: BackupLayer;
  restorePoints: RestorePoint[];
  now?: Date;
  /** A Restore action on every good restore point. */
  restore?: {
    onRestore(point: RestorePoint): void;
    /** Disables the action, saying why (e.g. no permission, one is running). */
    disabledReason?: string;
  };
}

function RestoreAction(props: {
  point: RestorePoint;
  restore: NonNullable<RestorePointsTableProps['restore']>;
}) {
  const { point, restore } = props;
  if (!point.good) return null;
  const button = (
    <Button
      size="small"
      variant="outlined"
      color="primary"
      disabled={restore.disabledReason !== undefined}
      onClick={() => restore.onRestore(point)}
      aria-label={`Restore from ${point.id}`}
    >
      Restore
    </Button>
  );
  return restore.disabledReason ? (
    <Tooltip title={restore.disabledReason}>
      <span data-testid="restore-disabled">{button}</span>
    </Tooltip>
  ) : (
    button
  );
}

/**
 * One layer's restore points, newest first: when, where, phase, what it holds,
 * until when it is kept, and whether it counts (empty and failed ones marked,
 * with why).
 *
 * @public
 */
export function RestorePointsTable(props: RestorePointsTableProps) {
  const now = props.now ?? new Date();
  const columns: TableColumn<RestorePoint>[] = [
    {
      title: 'Taken',
      field: 'time',
      render: point => (
        <Tooltip title={point.id}>
          <span>
            {utcTime(point.time)} ({relativeTime(point.time, now)})
          </span>
        </Tooltip>
      ),
    },
    { title: 'Cluster', field: 'cluster' },
    { title: 'Phase', field: 'phase' },
    {
      title: props.layer === 'velero' ? 'Items' : 'Size',
      render: point => content(point),
    },
    ...(props.layer === 'volume-snapshot'
      ? [{ title: 'PVC', field: 'pvc' } as TableColumn<RestorePoint>]
      : []),
    {
      title: 'Kept until',
      render: point =>
        point.expiresAt ? utcTime(point.expiresAt) : 'by retention count',
    },
    { title: 'Counts', render: point => verdict(point) },
    {
      title: 'Taken by',
      render: point => (point.onDemand ? 'Back up now' : 'schedule'),
    },
    ...(props.restore
      ? [
          {
            title: 'Restore',
            render: point => (
              <RestoreAction point={point} restore={props.restore!} />
            ),
          } as TableColumn<RestorePoint>,
        ]
      : []),
  ];
  return (
    <Table<RestorePoint>
      title={`${LAYER_TITLES[props.layer]}: restore points`}
      options={{
        search: false,
        paging: props.restorePoints.length > 10,
        pageSize: 10,
        padding: 'dense',
      }}
      columns={columns}
      data={props.restorePoints.map(point => ({ ...point }))}
      emptyContent={<div style={{ padding: 16 }}>No restore point yet.</div>}
    />
  );
}

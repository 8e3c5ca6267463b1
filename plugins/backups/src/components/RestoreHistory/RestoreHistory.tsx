import { InfoCard, Table, TableColumn } from '@backstage/core-components';
import {
  LAYER_TITLES,
  RestoreRecord,
} from '@backups-for-backstage/plugin-backups-common';
import Chip from '@material-ui/core/Chip';
import { StepsProgress } from './StepsProgress';
import { relativeTime, utcTime } from '../../utils/time';

const STATE_LABELS: Record<RestoreRecord['state'], string> = {
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
};

function StateChip(props: { state: RestoreRecord['state'] }) {
  return (
    <Chip
      size="small"
      label={STATE_LABELS[props.state]}
      color={props.state === 'failed' ? 'secondary' : 'default'}
      variant={props.state === 'completed' ? 'default' : 'outlined'}
    />
  );
}

function target(restore: RestoreRecord): string {
  if (restore.layer === 'database') {
    return restore.target.mode === 'in-place'
      ? `in place, database ${restore.target.database}`
      : `new database ${restore.target.database}`;
  }
  if (restore.layer === 'volume-snapshot') {
    return restore.target.mode === 'in-place'
      ? `new PVC ${restore.target.claim} beside ${restore.target.sourceClaim}`
      : `new PVC ${restore.target.claim} in new namespace ${restore.target.namespace}`;
  }
  return restore.target.mode === 'in-place'
    ? `in place, ${restore.target.namespace}`
    : `new namespace ${restore.target.namespace}`;
}

/** A running restore's steps, as they advance. */
function RestoreProgress(props: { restore: RestoreRecord }) {
  const { restore } = props;
  return (
    <StepsProgress
      label={`Restore ${restore.id} in progress`}
      heading={`${LAYER_TITLES[restore.layer]}: restoring ${
        restore.restorePoint.id
      } to ${target(restore)} in ${restore.cluster}`}
      steps={restore.steps}
    />
  );
}

/** @public */
export interface RestoreHistoryProps {
  restores: RestoreRecord[];
  now?: Date;
}

/**
 * An entity's restores: the running ones with their steps advancing, then
 * every restore with who asked, when, why, to where, and how it ended.
 *
 * @public
 */
export function RestoreHistory(props: RestoreHistoryProps) {
  const now = props.now ?? new Date();
  const running = props.restores.filter(r => r.state === 'running');
  const columns: TableColumn<RestoreRecord>[] = [
    {
      title: 'Asked',
      render: r => (
        <span title={utcTime(r.requestedAt)}>
          {relativeTime(r.requestedAt, now)}
        </span>
      ),
    },
    { title: 'By', field: 'requestedBy' },
    { title: 'Layer', render: r => LAYER_TITLES[r.layer] },
    { title: 'Restore point', render: r => r.restorePoint.id },
    { title: 'To', render: r => `${target(r)} (${r.cluster})` },
    { title: 'Why', render: r => r.reason ?? '' },
    { title: 'State', render: r => <StateChip state={r.state} /> },
    {
      title: 'Outcome',
      render: r =>
        r.outcome ??
        r.steps.find(step => step.state === 'running')?.title ??
        '',
    },
  ];
  return (
    <InfoCard title="Restores">
      {running.map(restore => (
        <RestoreProgress key={restore.id} restore={restore} />
      ))}
      <Table<RestoreRecord>
        options={{
          search: false,
          toolbar: false,
          paging: props.restores.length > 5,
          pageSize: 5,
          padding: 'dense',
        }}
        columns={columns}
        data={props.restores.map(restore => ({ ...restore }))}
        emptyContent={
          <div style={{ padding: 16 }}>
            No restore yet: choose Restore on a good restore point.
          </div>
        }
      />
    </InfoCard>
  );
}

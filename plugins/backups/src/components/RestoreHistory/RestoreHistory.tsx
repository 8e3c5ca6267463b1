import { InfoCard, Table, TableColumn } from '@backstage/core-components';
import {
  LAYER_TITLES,
  RestoreRecord,
  RestoreStep,
} from '@backups-for-backstage/plugin-backups-common';
import Chip from '@material-ui/core/Chip';
import Step from '@material-ui/core/Step';
import StepContent from '@material-ui/core/StepContent';
import StepLabel from '@material-ui/core/StepLabel';
import Stepper from '@material-ui/core/Stepper';
import Typography from '@material-ui/core/Typography';
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
  const active = restore.steps.findIndex(step => step.state !== 'succeeded');
  return (
    <div aria-label={`Restore ${restore.id} in progress`}>
      <Typography variant="subtitle2">
        {LAYER_TITLES[restore.layer]}: restoring {restore.restorePoint.id} to{' '}
        {target(restore)} in {restore.cluster}
      </Typography>
      <Stepper
        orientation="vertical"
        activeStep={active === -1 ? restore.steps.length : active}
      >
        {restore.steps.map((step: RestoreStep) => (
          <Step key={step.name} completed={step.state === 'succeeded'}>
            <StepLabel error={step.state === 'failed'}>{step.title}</StepLabel>
            <StepContent>
              <Typography variant="body2" role="status">
                {step.message ??
                  (step.state === 'running' ? 'In progress…' : 'Waiting')}
              </Typography>
            </StepContent>
          </Step>
        ))}
      </Stepper>
    </div>
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

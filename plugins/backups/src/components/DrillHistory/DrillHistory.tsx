import { InfoCard, Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  backupsDrillCreatePermission,
  DrillRecord,
} from '@backups-for-backstage/plugin-backups-common';
import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { backupsApiRef } from '../../api';
import { againstTarget } from '../../utils/againstTarget';
import { describeError } from '../../utils/describeError';
import { relativeTime, utcTime } from '../../utils/time';
import { DrillRtoChart } from '../DrillRtoChart';
import { DrillVerdictChip } from '../DrillVerdictChip';
import { StepsProgress } from '../RestoreHistory';

/** @public */
export interface DrillHistoryProps {
  entityRef: string;
  drills: DrillRecord[];
  /** Called once the backend started a drill. */
  onStarted?(drill: DrillRecord): void;
  /** Why Run drill cannot be used now (a restore or drill runs), if so. */
  busy?: string;
  now?: Date;
}

/**
 * An entity's disaster-recovery drills: Run drill (with
 * `backups.drill.create`), the running drill's steps as they advance, a
 * chart of the RTO each finished drill achieved over time against the
 * target, and every drill with who or what started it, its verdict, and the RTO and RPO
 * it achieved against the targets.
 *
 * @public
 */
export function DrillHistory(props: DrillHistoryProps) {
  const now = props.now ?? new Date();
  const backupsApi = useApi(backupsApiRef);
  const allowed = usePermission({
    permission: backupsDrillCreatePermission,
    resourceRef: props.entityRef,
  });
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string>();
  const running = props.drills.filter(d => d.state === 'running');
  let disabledReason: string | undefined;
  if (allowed.loading) disabledReason = 'Checking your permissions…';
  else if (!allowed.allowed) {
    disabledReason = `You may not run drills of ${props.entityRef} (backups.drill.create)`;
  } else if (running[0]) {
    disabledReason = `Drill ${running[0].id} is running; one at a time`;
  } else disabledReason = props.busy;

  async function start() {
    setStarting(true);
    setError(undefined);
    try {
      const { drill } = await backupsApi.startDrill(props.entityRef, {});
      props.onStarted?.(drill);
    } catch (e) {
      setError(`Could not start a drill: ${describeError(e as Error)}`);
    } finally {
      setStarting(false);
    }
  }

  const button = (
    <Button
      color="primary"
      variant="outlined"
      disabled={starting || disabledReason !== undefined}
      onClick={start}
    >
      {starting ? 'Starting…' : 'Run drill'}
    </Button>
  );
  const columns: TableColumn<DrillRecord>[] = [
    {
      title: 'Started',
      render: d => (
        <span title={utcTime(d.requestedAt)}>
          {relativeTime(d.requestedAt, now)}
        </span>
      ),
    },
    {
      title: 'By',
      render: d => (d.trigger === 'schedule' ? 'schedule' : d.requestedBy),
    },
    { title: 'Verdict', render: d => <DrillVerdictChip state={d.state} /> },
    {
      title: 'RTO achieved / target',
      render: d => againstTarget(d.achieved.rtoMs, d.targets.rtoMs),
    },
    {
      title: 'RPO achieved / target',
      render: d => againstTarget(d.achieved.rpoMs, d.targets.rpoMs),
    },
    {
      title: 'Outcome',
      render: d =>
        d.outcome ?? d.steps.find(step => step.state === 'running')?.title,
    },
  ];
  return (
    <InfoCard
      title="Drills"
      subheader="Each drill restores the newest restore points into a scratch namespace, checks them, times them and deletes them"
      action={
        disabledReason ? (
          <Tooltip title={disabledReason}>
            <span data-testid="run-drill-disabled">{button}</span>
          </Tooltip>
        ) : (
          button
        )
      }
    >
      {error ? (
        <Typography color="error" role="alert">
          {error}
        </Typography>
      ) : null}
      {running.map(drill => (
        <StepsProgress
          key={drill.id}
          label={`Drill ${drill.id} in progress`}
          heading={`Drilling into ${drill.namespace} in ${drill.cluster}`}
          steps={drill.steps}
        />
      ))}
      <DrillRtoChart drills={props.drills} />
      <Table<DrillRecord>
        options={{
          search: false,
          toolbar: false,
          paging: props.drills.length > 5,
          pageSize: 5,
          padding: 'dense',
        }}
        columns={columns}
        data={props.drills.map(drill => ({ ...drill }))}
        emptyContent={
          <div style={{ padding: 16 }}>
            No drill yet: Run drill restores the newest restore points into a
            scratch namespace and measures how long it takes.
          </div>
        }
      />
    </InfoCard>
  );
}

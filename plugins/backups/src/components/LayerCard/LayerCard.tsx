import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';
import {
  BackupLayer,
  DatabaseEngine,
  LAYER_RUN_NOUNS,
  LayerStatus,
  OnDemandBackup,
  ProtectionIntent,
} from '@backups-for-backstage/plugin-backups-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { relativeTime, utcTime } from '../../utils/time';
import { BackUpNowButton } from '../BackUpNowButton';
import { ComplianceChip } from '../ComplianceChip';
import { RunTimeline } from '../RunTimeline';
import { ReactNode } from 'react';
import { describeRetention, LAYER_TITLES, ScheduleText } from './format';

const ENGINE_NAMES: Record<DatabaseEngine, string> = {
  postgres: 'PostgreSQL (pg_dump)',
  mysql: 'MySQL (mysqldump)',
  mongodb: 'MongoDB (mongodump)',
};

interface LayerDescription {
  subheader: string;
  metadata: Record<string, ReactNode>;
}

function describeLayer(
  layer: BackupLayer,
  intent: ProtectionIntent,
): LayerDescription | undefined {
  switch (layer) {
    case 'velero': {
      const velero = intent.velero;
      if (!velero) return undefined;
      return {
        subheader:
          'A Velero Schedule backs up the resources and volumes of the workload',
        metadata: {
          Schedule: <ScheduleText cron={velero.schedule} />,
          'Keep backups for': velero.ttl,
          'Snapshot volumes': velero.snapshotVolumes ? 'yes' : 'no',
        },
      };
    }
    case 'database': {
      const database = intent.database;
      if (!database) return undefined;
      return {
        subheader: 'A CronJob writes a logical dump of the database',
        metadata: {
          Engine: ENGINE_NAMES[database.engine] ?? database.engine,
          Host: `${database.host}:${database.port}`,
          Databases:
            database.databases.length > 0
              ? database.databases.join(', ')
              : 'all databases on the server',
          Credentials: `Secret ${database.secretName} (keys username, password)`,
          Schedule: <ScheduleText cron={database.schedule} />,
          Retention: describeRetention(database.retention, 'dumps'),
        },
      };
    }
    case 'volume-snapshot': {
      const snapshots = intent.volumeSnapshot;
      if (!snapshots) return undefined;
      return {
        subheader: 'CSI VolumeSnapshots of the persistent volume claims',
        metadata: {
          PVCs:
            snapshots.pvcs.type === 'names'
              ? snapshots.pvcs.names.join(', ')
              : `selected by ${snapshots.pvcs.labelSelector}`,
          Schedule: <ScheduleText cron={snapshots.schedule} />,
          Retention: describeRetention(snapshots.retention, 'snapshots'),
          'Snapshot class': snapshots.className ?? 'the cluster default',
        },
      };
    }
    default:
      return undefined;
  }
}

/** @public */
export interface LayerCardProps {
  layer: BackupLayer;
  intent: ProtectionIntent;
  /** The layer's status in each of the entity's clusters, when known. */
  statuses?: LayerStatus[];
  /** Called when Back up now started a backup (to refresh). */
  onBackupStarted?(backup: OnDemandBackup): void;
  now?: Date;
}

function outcomeText(outcome: LayerStatus['lastAttemptOutcome']): string {
  switch (outcome) {
    case 'good':
      return 'succeeded';
    case 'empty':
      return 'held nothing';
    case 'failed':
      return 'failed';
    default:
      return 'running';
  }
}

function LayerClusterStatus(props: {
  status: LayerStatus;
  intent: ProtectionIntent;
  onBackupStarted?(backup: OnDemandBackup): void;
  now: Date;
}) {
  const { status, intent, now } = props;
  return (
    <Box mb={2} data-testid={`layer-status-${status.layer}-${status.cluster}`}>
      <Box display="flex" alignItems="center" mb={1} style={{ gap: 8 }}>
        <ComplianceChip state={status.state} />
        <Typography variant="subtitle2">in {status.cluster}</Typography>
        <Box flexGrow={1} />
        <BackUpNowButton
          entityRef={intent.entityRef}
          layer={status.layer}
          cluster={status.cluster}
          busyReason={
            status.running
              ? `A ${LAYER_RUN_NOUNS[status.layer]} is running in ${
                  status.cluster
                }`
              : undefined
          }
          onStarted={props.onBackupStarted}
        />
      </Box>
      <StructuredMetadataTable
        options={{ titleFormat: key => key }}
        metadata={{
          'Last success': status.lastSuccessAt
            ? `${utcTime(status.lastSuccessAt)} (${relativeTime(
                status.lastSuccessAt,
                now,
              )})`
            : 'none yet',
          'Last attempt': status.lastAttemptAt
            ? `${outcomeText(status.lastAttemptOutcome)}, ${relativeTime(
                status.lastAttemptAt,
                now,
              )}`
            : 'none yet',
          'Next run': status.nextRunAt
            ? `${utcTime(status.nextRunAt)} (${relativeTime(
                status.nextRunAt,
                now,
              )})`
            : 'never',
          'Restore points': `${status.restorePointCount} good`,
        }}
      />
      {status.state !== 'protected' && status.reasons.length > 0 ? (
        <ul
          aria-label={`Why ${LAYER_TITLES[status.layer]} in ${
            status.cluster
          } is ${status.state}`}
        >
          {status.reasons.map(reason => (
            <li key={reason}>
              <Typography variant="body2">{reason}</Typography>
            </li>
          ))}
        </ul>
      ) : null}
      <RunTimeline
        runs={status.recentRuns}
        rpoMs={intent.targets.rpo.milliseconds}
        now={now}
      />
    </Box>
  );
}

/**
 * The settings of one enabled protection layer of an entity.
 *
 * @public
 */
export function LayerCard(props: LayerCardProps) {
  const { layer, intent } = props;
  const now = props.now ?? new Date();
  const description = describeLayer(layer, intent);
  if (!description) {
    return null;
  }
  return (
    <InfoCard
      title={LAYER_TITLES[layer]}
      subheader={description.subheader}
      variant="gridItem"
    >
      {(props.statuses ?? []).map(status => (
        <LayerClusterStatus
          key={status.cluster}
          status={status}
          intent={intent}
          onBackupStarted={props.onBackupStarted}
          now={now}
        />
      ))}
      <Typography variant="overline">Settings</Typography>
      <StructuredMetadataTable
        metadata={description.metadata}
        options={{ titleFormat: key => key }}
      />
    </InfoCard>
  );
}

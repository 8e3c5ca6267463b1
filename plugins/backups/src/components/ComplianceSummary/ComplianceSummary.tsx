import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';
import {
  EntityStatus,
  formatDuration,
  LAYER_RUN_NOUNS,
} from '@backups-for-backstage/plugin-backups-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { relativeTime } from '../../utils/time';
import { ComplianceChip } from '../ComplianceChip';

/** @public */
export interface ComplianceSummaryProps {
  status: EntityStatus;
  now?: Date;
}

function rpoText(status: EntityStatus): string {
  const rpo = status.rpo;
  if (!rpo) return 'no target';
  if (rpo.achievedMs === undefined) {
    return `target ${rpo.target}; no good copy of the data yet`;
  }
  const by = rpo.achievedBy
    ? ` (${LAYER_RUN_NOUNS[rpo.achievedBy.layer]} in ${rpo.achievedBy.cluster})`
    : '';
  return `${formatDuration(rpo.achievedMs)} achieved${by}, target ${
    rpo.target
  }${rpo.met ? '' : ': missed'}`;
}

/**
 * "If we lost this service now, what could we get back, and from when?": the
 * compliance state, the one sentence that says why, RPO target against what
 * is achieved, and the age of the data in each cluster.
 *
 * @public
 */
export function ComplianceSummary(props: ComplianceSummaryProps) {
  const { status } = props;
  const now = props.now ?? new Date();
  const [summary, ...details] = status.reasons;
  return (
    <InfoCard title="Is it protected?" variant="gridItem">
      <Box display="flex" alignItems="center" mb={2} style={{ gap: 12 }}>
        <ComplianceChip state={status.state} size="medium" />
        <Typography variant="h6" component="p" data-testid="compliance-reason">
          {summary}
        </Typography>
      </Box>
      {status.warnings.map(warning => (
        <Box mb={1} key={warning}>
          <Alert severity="warning">{warning}</Alert>
        </Box>
      ))}
      {status.clusters
        .filter(cluster => !cluster.reachable)
        .map(cluster => (
          <Box mb={1} key={cluster.cluster}>
            <Alert severity="error">
              Cluster {cluster.cluster} does not answer
              {cluster.unreachableSince
                ? ` since ${relativeTime(cluster.unreachableSince, now)}`
                : ''}
              {cluster.error ? ` (${cluster.error})` : ''}: shown is what was
              last known.
            </Alert>
          </Box>
        ))}
      <StructuredMetadataTable
        options={{ titleFormat: key => key }}
        metadata={{
          RPO: rpoText(status),
          RTO: status.rto ? `target ${status.rto.target}` : 'no target',
          'Data age': (
            <>
              {status.clusters.map(cluster => (
                <div key={cluster.cluster}>
                  {cluster.cluster}:{' '}
                  {cluster.dataAgeMs !== undefined
                    ? formatDuration(cluster.dataAgeMs)
                    : 'no good copy yet'}
                </div>
              ))}
            </>
          ),
        }}
      />
      {details.length > 0 ? (
        <ul aria-label="What needs attention">
          {details.map(reason => (
            <li key={reason}>
              <Typography variant="body2">{reason}</Typography>
            </li>
          ))}
        </ul>
      ) : null}
    </InfoCard>
  );
}

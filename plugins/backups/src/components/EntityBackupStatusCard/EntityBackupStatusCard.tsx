import {
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InfoCard, Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  BACKUPS_ANNOTATIONS,
  EntityStatus,
  formatDuration,
} from '@backups-for-backstage/plugin-backups-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { backupsApiRef } from '../../api';
import { describeError } from '../../utils/describeError';
import { relativeTime } from '../../utils/time';
import { ComplianceChip } from '../ComplianceChip';
import { LastDrill } from '../LastDrill';

function newestGood(status: EntityStatus): string | undefined {
  return status.layers
    .map(layer => layer.lastSuccessAt)
    .filter((time): time is string => Boolean(time))
    .sort()
    .pop();
}

/**
 * The entity's protection at a glance, for its overview page: the state, the
 * age of its newest good backup, its RPO and its last drill (verdict, when,
 * RTO against the target, the step that failed); with a link to the Backups
 * tab.
 *
 * @public
 */
export function EntityBackupStatusCard() {
  const { entity } = useEntity();
  const backupsApi = useApi(backupsApiRef);
  const entityRef = stringifyEntityRef(entity);
  const optedIn = Boolean(
    entity.metadata.annotations?.[BACKUPS_ANNOTATIONS.policy],
  );
  const { value, loading, error } = useAsync(
    async () =>
      optedIn ? backupsApi.getStatus(getCompoundEntityRef(entity)) : undefined,
    [backupsApi, entityRef, optedIn],
  );
  const deepLink = { link: 'backups', title: 'Backups' };

  let body;
  if (!optedIn) {
    body = (
      <Typography variant="body2">
        Not backed up: add the annotation{' '}
        <code>{BACKUPS_ANNOTATIONS.policy}</code> to opt in. The{' '}
        <Link to="backups">Backups tab</Link> shows how.
      </Typography>
    );
  } else if (loading) {
    body = <Progress />;
  } else if (error || !value) {
    body = (
      <Typography variant="body2" color="error">
        Could not load the backup status of {entityRef}:{' '}
        {error ? describeError(error) : 'no answer'}
      </Typography>
    );
  } else {
    const newest = newestGood(value);
    body = (
      <>
        <Box display="flex" alignItems="center" mb={1} style={{ gap: 8 }}>
          <ComplianceChip state={value.state} />
          <Typography variant="body2">{value.reasons[0]}</Typography>
        </Box>
        <Typography variant="body2">
          Newest good backup: {newest ? relativeTime(newest) : 'none yet'}
        </Typography>
        {value.rpo ? (
          <Typography variant="body2">
            RPO:{' '}
            {value.rpo.achievedMs !== undefined
              ? `${formatDuration(value.rpo.achievedMs)} achieved`
              : 'nothing achieved yet'}
            , target {value.rpo.target}
          </Typography>
        ) : null}
        <Box mt={1} aria-label="Last drill" role="group">
          <Typography variant="subtitle2">Last drill</Typography>
          <LastDrill drill={value.lastDrill} />
        </Box>
      </>
    );
  }
  return (
    <InfoCard title="Backups" deepLink={deepLink} variant="gridItem">
      {body}
    </InfoCard>
  );
}

import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  BackupLayer,
  backupsBackupCreatePermission,
  LAYER_RUN_NOUNS,
  OnDemandBackup,
} from '@backups-for-backstage/plugin-backups-common';
import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { backupsApiRef } from '../../api';
import { describeError } from '../../utils/describeError';

/** @public */
export interface BackUpNowButtonProps {
  entityRef: string;
  layer: BackupLayer;
  cluster?: string;
  /** Disables the button with this explanation (e.g. one is running). */
  busyReason?: string;
  /** Called once the backend started the backup. */
  onStarted?(backup: OnDemandBackup): void;
}

/**
 * Backs one layer up now. Disabled, with a tooltip saying why, when the
 * caller may not (`backups.backup.create`) or one already runs.
 *
 * @public
 */
export function BackUpNowButton(props: BackUpNowButtonProps) {
  const backupsApi = useApi(backupsApiRef);
  const { allowed, loading } = usePermission({
    permission: backupsBackupCreatePermission,
    resourceRef: props.entityRef,
  });
  const [starting, setStarting] = useState(false);
  const [message, setMessage] = useState<{
    text: string;
    error: boolean;
  }>();
  const noun = LAYER_RUN_NOUNS[props.layer];

  let disabledReason: string | undefined;
  if (!loading && !allowed) {
    disabledReason = `You may not start backups of ${props.entityRef} (backups.backup.create)`;
  } else if (props.busyReason) {
    disabledReason = props.busyReason;
  }

  async function start() {
    setStarting(true);
    setMessage(undefined);
    try {
      const backup = await backupsApi.createBackup(props.entityRef, {
        layer: props.layer,
        ...(props.cluster ? { cluster: props.cluster } : {}),
      });
      setMessage({
        text: `Started ${backup.created
          .map(ref => `${ref.kind} ${ref.name}`)
          .join(', ')} in ${
          backup.cluster
        }; it appears below when it completes.`,
        error: false,
      });
      props.onStarted?.(backup);
    } catch (error) {
      setMessage({
        text: `Could not start a ${noun}: ${describeError(error as Error)}`,
        error: true,
      });
    } finally {
      setStarting(false);
    }
  }

  const button = (
    <Button
      variant="outlined"
      color="primary"
      size="small"
      disabled={loading || starting || disabledReason !== undefined}
      onClick={start}
      aria-label={`Back up now: a ${noun}${
        props.cluster ? ` in ${props.cluster}` : ''
      }`}
    >
      {starting ? 'Starting…' : 'Back up now'}
    </Button>
  );
  return (
    <div>
      {disabledReason ? (
        <Tooltip title={disabledReason}>
          {/* A disabled button fires no events; the span carries the tooltip. */}
          <span data-testid="back-up-now-disabled">{button}</span>
        </Tooltip>
      ) : (
        button
      )}
      {message ? (
        <Typography
          variant="caption"
          color={message.error ? 'error' : 'textSecondary'}
          component="p"
          role={message.error ? 'alert' : 'status'}
        >
          {message.text}
        </Typography>
      ) : null}
    </div>
  );
}

import { WarningPanel } from '@backstage/core-components';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import { AnnotationError } from '@backups-for-backstage/plugin-backups-common';

/** @public */
export interface IntentErrorsPanelProps {
  entityRef: string;
  errors: AnnotationError[];
}

/**
 * The annotations that keep an entity's backups from being applied: each
 * annotation with its value, and the message saying what is allowed.
 *
 * @public
 */
export function IntentErrorsPanel(props: IntentErrorsPanelProps) {
  const { entityRef, errors } = props;
  const count =
    errors.length === 1
      ? 'One annotation is'
      : `${errors.length} annotations are`;
  return (
    <WarningPanel
      severity="error"
      title={`Backups are not applied to ${entityRef}`}
      message={`${count} invalid, so nothing is created or changed in any cluster for this entity until ${
        errors.length === 1 ? 'it is' : 'they are'
      } fixed in its catalog-info.yaml.`}
      defaultExpanded
    >
      <List dense disablePadding aria-label="Invalid annotations">
        {errors.map(error => (
          <ListItem key={`${error.annotation}:${error.message}`} disableGutters>
            <ListItemText
              primary={
                <>
                  <code>{error.annotation}</code>
                  {error.value === undefined ? (
                    ' is missing'
                  ) : (
                    <>
                      : <code>{error.value}</code>
                    </>
                  )}
                </>
              }
              secondary={error.message}
              secondaryTypographyProps={{
                style: { whiteSpace: 'normal', overflowWrap: 'anywhere' },
              }}
            />
          </ListItem>
        ))}
      </List>
    </WarningPanel>
  );
}

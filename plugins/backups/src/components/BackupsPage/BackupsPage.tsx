import {
  Content,
  ContentHeader,
  Header,
  Page,
  ResponseErrorPanel,
  SupportButton,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  COMPLIANCE_STATES,
  ComplianceState,
} from '@backups-for-backstage/plugin-backups-common';
import Box from '@material-ui/core/Box';
import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { backupsApiRef } from '../../api';
import { COMPLIANCE_LABELS } from '../ComplianceChip';
import { FleetTable } from './FleetTable';

const ALL = '';

function FilterSelect(props: {
  id: string;
  label: string;
  value: string;
  options: Array<{ value: string; label: string }>;
  onChange(value: string): void;
}) {
  return (
    <FormControl variant="outlined" size="small" style={{ minWidth: 200 }}>
      <InputLabel id={`${props.id}-label`}>{props.label}</InputLabel>
      <Select
        labelId={`${props.id}-label`}
        id={props.id}
        label={props.label}
        value={props.value}
        onChange={event => props.onChange(String(event.target.value))}
      >
        <MenuItem value={ALL}>All</MenuItem>
        {props.options.map(option => (
          <MenuItem key={option.value} value={option.value}>
            {option.label}
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}

/** @public */
export interface BackupsPageProps {
  /** Rows per request (default 1000). */
  limit?: number;
}

/**
 * The fleet: every opted-in entity the caller may read, worst first,
 * filterable by owner, policy and state.
 *
 * @public
 */
export function BackupsPage(props: BackupsPageProps) {
  const backupsApi = useApi(backupsApiRef);
  const [owner, setOwner] = useState(ALL);
  const [policy, setPolicy] = useState(ALL);
  const [state, setState] = useState(ALL);
  const limit = props.limit ?? 1000;

  // The filters' choices come from the whole fleet.
  const everything = useAsync(
    () => backupsApi.getOverview({ limit }),
    [backupsApi, limit],
  );
  const filtered = useAsync(
    () =>
      owner || policy || state
        ? backupsApi.getOverview({
            owner: owner || undefined,
            policy: policy || undefined,
            state: (state || undefined) as ComplianceState | undefined,
            limit,
          })
        : Promise.resolve(undefined),
    [backupsApi, owner, policy, state, limit],
  );

  const rows = everything.value?.items ?? [];
  const unique = (values: Array<string | undefined>) =>
    [...new Set(values.filter((v): v is string => Boolean(v)))].sort();
  const shown = owner || policy || state ? filtered.value?.items ?? [] : rows;
  const error = everything.error ?? filtered.error;
  const counts = everything.value?.stateCounts ?? {};

  return (
    <Page themeId="tool">
      <Header
        title="Backups"
        subtitle="Whether every component is protected, and what needs attention"
      />
      <Content>
        <ContentHeader
          title={`${
            everything.value?.totalCount ?? 0
          } opted-in entities: ${COMPLIANCE_STATES.filter(s => counts[s])
            .map(s => `${counts[s]} ${COMPLIANCE_LABELS[s].toLowerCase()}`)
            .join(', ')}`}
        >
          <SupportButton>
            Each row links to the entity's Backups tab, which says why.
          </SupportButton>
        </ContentHeader>
        <Box display="flex" mb={2} style={{ gap: 16 }}>
          <FilterSelect
            id="backups-filter-owner"
            label="Owner"
            value={owner}
            options={unique(rows.map(r => r.owner)).map(value => ({
              value,
              label: value,
            }))}
            onChange={setOwner}
          />
          <FilterSelect
            id="backups-filter-policy"
            label="Policy"
            value={policy}
            options={unique(rows.map(r => r.policy)).map(value => ({
              value,
              label: value,
            }))}
            onChange={setPolicy}
          />
          <FilterSelect
            id="backups-filter-state"
            label="State"
            value={state}
            options={COMPLIANCE_STATES.map(value => ({
              value,
              label: COMPLIANCE_LABELS[value],
            }))}
            onChange={setState}
          />
        </Box>
        {error ? (
          <ResponseErrorPanel error={error} />
        ) : (
          <FleetTable
            rows={shown}
            loading={everything.loading || filtered.loading}
          />
        )}
      </Content>
    </Page>
  );
}

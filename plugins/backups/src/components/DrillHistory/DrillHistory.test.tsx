import { parseEntityRef } from '@backstage/catalog-model';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import {
  DrillRecord,
  drillSignalChannel,
} from '@backups-for-backstage/plugin-backups-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { act } from 'react';
import { SWRConfig } from 'swr';
import { backupsApiRef } from '../../api';
import {
  createTestBackupsClient,
  serveBackupsApi,
} from '../../__testUtils__/backupsServer';
import { DrillHistory } from './DrillHistory';
import { useEntityDrills } from './useEntityDrills';
import { testSignals, TestSignals } from '../../__testUtils__/testSignals';
import { drillRecord } from '../../__testUtils__/drillFixtures';

// Typing into dialogs on a loaded 2-core CI machine can take longer than 5 s.
jest.setTimeout(30_000);

const server = setupServer();
registerMswTestHooks(server);

const ENTITY = 'component:default/orders';
const MINUTE = 60_000;

/** The drills of the tab, as the tab wires them. */
function Drills() {
  const drills = useEntityDrills(parseEntityRef(ENTITY));
  return (
    <DrillHistory
      entityRef={ENTITY}
      drills={drills.records}
      onStarted={drills.refresh}
    />
  );
}

function renderDrills(options: { denied?: boolean; signals: TestSignals }) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [backupsApiRef, createTestBackupsClient()],
        [
          permissionApiRef,
          mockApis.permission({
            authorize: options.denied
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
          }),
        ],
        [signalApiRef, options.signals.api],
      ]}
    >
      <SWRConfig value={{ provider: () => new Map() }}>
        <Drills />
      </SWRConfig>
    </TestApiProvider>,
  );
}

describe('DrillHistory', () => {
  it('runs a drill, shows its steps advancing from signals, then its verdict with RTO and RPO against the targets, and on the RTO chart', async () => {
    let drills: DrillRecord[] = [];
    const { requests } = serveBackupsApi(server, {
      drills: () => ({ body: { entityRef: ENTITY, drills } }),
      startDrill: () => {
        drills = [drillRecord()];
        return { status: 202, body: { id: 'dddd1234', drill: drills[0] } };
      },
    });
    const signals = testSignals();
    await renderDrills({ signals });
    expect(await screen.findByText(/No drill yet/)).toBeInTheDocument();
    expect(screen.queryByRole('img')).not.toBeInTheDocument();
    const run = await screen.findByRole('button', { name: 'Run drill' });
    await waitFor(() => expect(run).toBeEnabled());
    fireEvent.click(run);
    await waitFor(() =>
      expect(requests.filter(r => r.method === 'POST')).toEqual([
        expect.objectContaining({ body: {} }),
      ]),
    );
    const progress = await screen.findByLabelText('Drill dddd1234 in progress');
    expect(progress).toHaveTextContent(
      'Velero restores the newest good backup',
    );
    expect(screen.getByRole('button', { name: 'Run drill' })).toBeDisabled();

    drills = [
      drillRecord({
        state: 'passed',
        verdict: 'passed',
        outcome:
          'Restored and verified in 12 min (RTO 30 min) from restore points 20 min old (RPO 1 h).',
        steps: drills[0].steps.map(step => ({ ...step, state: 'succeeded' })),
        achieved: { rtoMs: 12 * MINUTE, rpoMs: 20 * MINUTE, layers: [] },
      }),
    ];
    act(() =>
      signals.send(drillSignalChannel(ENTITY), {
        id: 'dddd1234',
        state: 'passed',
      }),
    );
    const row = (await screen.findByText('Passed')).closest('tr')!;
    expect(within(row).getByText('12 min / 30 min')).toBeInTheDocument();
    expect(within(row).getByText('20 min / 1 h')).toBeInTheDocument();
    const chart = screen.getByRole('img', {
      name: /^Achieved RTO of 1 finished drill\(s\) .* against the RTO target of 30 min: 1 passed/,
    });
    expect(within(chart).getByTestId('drill-rto-point')).toHaveTextContent(
      /Drill dddd1234, .*: Passed, restored in 12 min/,
    );
    expect(
      screen.queryByLabelText('Drill dddd1234 in progress'),
    ).not.toBeInTheDocument();
  });

  it('disables Run drill with the reason without backups.drill.create', async () => {
    const { requests } = serveBackupsApi(server, {});
    await renderDrills({ denied: true, signals: testSignals() });
    const run = await screen.findByRole('button', { name: 'Run drill' });
    await waitFor(() =>
      expect(screen.getByTestId('run-drill-disabled')).toHaveAttribute(
        'title',
        `You may not run drills of ${ENTITY} (backups.drill.create)`,
      ),
    );
    expect(run).toBeDisabled();
    expect(requests.filter(r => r.method === 'POST')).toEqual([]);
  });
});

import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  RestoreRecord,
  restoreSignalChannel,
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
import { intentOf, ordersEntity } from '../../__testUtils__/fixtures';
import {
  entityStatus,
  restorePoint,
  restorePointList,
} from '../../__testUtils__/statusFixtures';
import { EntityBackupsContent } from '../EntityBackupsContent';
import { testSignals, TestSignals } from '../../__testUtils__/testSignals';

// Typing into dialogs on a loaded 2-core CI machine can take longer than 5 s.
jest.setTimeout(30_000);

const server = setupServer();
registerMswTestHooks(server);

const POINT = restorePoint('velero', { id: 'orders-velero-20261202100000' });

function restoreRecord(overrides: Partial<RestoreRecord> = {}): RestoreRecord {
  return {
    id: 'abcd1234',
    entityRef: 'component:default/orders',
    layer: 'velero',
    cluster: 'prod-eu',
    restorePoint: { id: POINT.id, time: POINT.time },
    target: { mode: 'namespace', namespace: 'shop-copy' },
    requestedBy: 'user:default/guest',
    requestedAt: new Date().toISOString(),
    state: 'running',
    steps: [
      {
        name: 'namespace',
        title:
          'Create the namespace shop-copy, labelled backups/restore=abcd1234',
        state: 'succeeded',
      },
      {
        name: 'velero-restore',
        title: `Velero restores the backup ${POINT.id} into shop-copy`,
        state: 'running',
      },
    ],
    created: [],
    ...overrides,
  };
}

async function renderTab(options: {
  denied?: string[];
  signals?: TestSignals;
}) {
  const permissions = mockApis.permission({
    authorize: request =>
      options.denied?.includes(request.permission.name)
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
  });
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [backupsApiRef, createTestBackupsClient()],
        [permissionApiRef, permissions],
        ...(options.signals
          ? [[signalApiRef, options.signals.api] as const]
          : []),
      ]}
    >
      {/* usePermission caches decisions in SWR: a fresh cache per render. */}
      <SWRConfig value={{ provider: () => new Map() }}>
        <EntityProvider entity={ordersEntity}>
          <EntityBackupsContent />
        </EntityProvider>
      </SWRConfig>
    </TestApiProvider>,
  );
}

function serve(
  overrides: Parameters<typeof serveBackupsApi>[1] = {},
): ReturnType<typeof serveBackupsApi> {
  return serveBackupsApi(server, {
    intent: { body: intentOf(ordersEntity) },
    status: { body: entityStatus('protected') },
    restorePoints: { body: restorePointList([POINT]) },
    ...overrides,
  });
}

async function openDialog() {
  fireEvent.click(
    await screen.findByRole('button', { name: `Restore from ${POINT.id}` }),
  );
  return screen.findByRole('dialog', {
    name: `Restore velero backups from ${POINT.id}`,
  });
}

describe('restoring from the Backups tab', () => {
  it('restores to a new namespace, prefilled, saying what will happen, and sends exactly that', async () => {
    const { requests } = serve({
      createRestore: {
        status: 202,
        body: { id: 'abcd1234', restore: restoreRecord() },
      },
    });
    await renderTab({});
    const dialog = await openDialog();
    const namespace = within(dialog).getByLabelText('New namespace');
    expect((namespace as HTMLInputElement).value).toMatch(
      /^shop-restore-[0-9a-f]{6}$/,
    );
    fireEvent.change(namespace, { target: { value: 'shop-copy' } });
    fireEvent.change(
      within(dialog).getByLabelText('Why (for the history and the audit log)'),
      { target: { value: 'check last night' } },
    );
    const summary = within(dialog).getByRole('list', {
      name: 'What will happen',
    });
    expect(summary).toHaveTextContent(
      'Create the namespace shop-copy in cluster prod-eu, labelled as a restore copy.',
    );
    expect(summary).toHaveTextContent(
      "the component's backup CronJobs are left out",
    );
    fireEvent.click(within(dialog).getByRole('button', { name: 'Restore' }));
    await waitFor(() =>
      expect(requests.filter(r => r.method === 'POST')).toEqual([
        expect.objectContaining({
          body: {
            layer: 'velero',
            restorePoint: POINT.id,
            cluster: 'prod-eu',
            target: { mode: 'namespace', namespace: 'shop-copy' },
            reason: 'check last night',
          },
        }),
      ]),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('restores in place only once the component name is typed, with the policy chosen', async () => {
    const { requests } = serve({
      createRestore: {
        status: 202,
        body: {
          id: 'abcd1234',
          restore: restoreRecord({
            target: { mode: 'in-place', namespace: 'shop' },
          }),
        },
      },
    });
    await renderTab({});
    const dialog = await openDialog();
    fireEvent.click(within(dialog).getByLabelText('In place, into shop'));
    const restore = within(dialog).getByRole('button', { name: 'Restore' });
    expect(restore).toBeDisabled();
    fireEvent.change(within(dialog).getByLabelText('Type orders to confirm'), {
      target: { value: 'order' },
    });
    expect(restore).toBeDisabled();
    fireEvent.change(within(dialog).getByLabelText('Type orders to confirm'), {
      target: { value: 'orders' },
    });
    fireEvent.click(
      within(dialog).getByLabelText(
        'Update objects that exist from the backup (existingResourcePolicy: update)',
      ),
    );
    expect(
      within(dialog).getByRole('list', { name: 'What will happen' }),
    ).toHaveTextContent('objects that exist are updated from the backup');
    expect(restore).toBeEnabled();
    fireEvent.click(restore);
    await waitFor(() =>
      expect(requests.filter(r => r.method === 'POST')[0]?.body).toEqual({
        layer: 'velero',
        restorePoint: POINT.id,
        cluster: 'prod-eu',
        target: { mode: 'in-place', existingResourcePolicy: 'update' },
        confirm: 'orders',
      }),
    );
  });

  it('restores a dump into a new database, without a namespace, its sha256 checked', async () => {
    const dump = restorePoint('database', {
      id: 'dump-20261202T100000Z.pgdump',
      sha256: 'a'.repeat(64),
      file: 'default/component/orders/dump-20261202T100000Z.pgdump',
    });
    const { requests } = serve({
      restorePoints: { body: restorePointList([POINT, dump]) },
      createRestore: {
        status: 202,
        body: {
          id: 'abcd1234',
          restore: restoreRecord({ layer: 'database' }),
        },
      },
    });
    await renderTab({});
    fireEvent.click(
      await screen.findByRole('button', { name: `Restore from ${dump.id}` }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: `Restore database dumps from ${dump.id}`,
    });
    expect(
      within(dialog).queryByRole('textbox', { name: 'New namespace' }),
    ).not.toBeInTheDocument();
    const summary = within(dialog).getByRole('list', {
      name: 'What will happen',
    });
    expect(summary).toHaveTextContent(
      `The dump ${dump.id} is loaded into a new database orders_restore_<id> on the component's server`,
    );
    expect(summary).toHaveTextContent('Its sha256 is checked');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Restore' }));
    await waitFor(() =>
      expect(requests.filter(r => r.method === 'POST')[0]?.body).toEqual({
        layer: 'database',
        restorePoint: dump.id,
        cluster: 'prod-eu',
        target: { mode: 'namespace' },
      }),
    );
  });

  it('restores a volume snapshot as a new PVC: in a new namespace through a Retain copy, or beside the old one', async () => {
    const snapshot = restorePoint('volume-snapshot', {
      id: 'orders-data-20261202100000',
      pvc: 'orders-data',
    });
    const { requests } = serve({
      restorePoints: { body: restorePointList([POINT, snapshot]) },
      createRestore: {
        status: 202,
        body: {
          id: 'abcd1234',
          restore: restoreRecord({ layer: 'volume-snapshot' }),
        },
      },
    });
    await renderTab({});
    const open = async () => {
      fireEvent.click(
        await screen.findByRole('button', {
          name: `Restore from ${snapshot.id}`,
        }),
      );
      return screen.findByRole('dialog', {
        name: `Restore volume snapshots from ${snapshot.id}`,
      });
    };
    let dialog = await open();
    fireEvent.change(within(dialog).getByLabelText('New namespace'), {
      target: { value: 'shop-data' },
    });
    const summary = () =>
      within(dialog).getByRole('list', { name: 'What will happen' });
    expect(summary()).toHaveTextContent(
      'a VolumeSnapshotContent naming the same storage snapshot, with deletionPolicy Retain',
    );
    expect(summary()).toHaveTextContent(
      'Create the PVC orders-data-restore-<id> in shop-data from it',
    );
    fireEvent.click(within(dialog).getByRole('button', { name: 'Restore' }));
    await waitFor(() =>
      expect(requests.filter(r => r.method === 'POST')[0]?.body).toEqual({
        layer: 'volume-snapshot',
        restorePoint: snapshot.id,
        cluster: 'prod-eu',
        target: { mode: 'namespace', namespace: 'shop-data' },
      }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );

    dialog = await open();
    fireEvent.click(
      within(dialog).getByLabelText(
        'In place: a new PVC beside orders-data in shop',
      ),
    );
    // No existing-object policy: a PVC is never overwritten.
    expect(
      within(dialog).queryByLabelText(
        'Update objects that exist from the backup (existingResourcePolicy: update)',
      ),
    ).not.toBeInTheDocument();
    expect(summary()).toHaveTextContent(
      'orders-data is not changed or overwritten',
    );
    const restore = within(dialog).getByRole('button', { name: 'Restore' });
    expect(restore).toBeDisabled();
    fireEvent.change(within(dialog).getByLabelText('Type orders to confirm'), {
      target: { value: 'orders' },
    });
    fireEvent.click(restore);
    await waitFor(() =>
      expect(requests.filter(r => r.method === 'POST')[1]?.body).toEqual({
        layer: 'volume-snapshot',
        restorePoint: snapshot.id,
        cluster: 'prod-eu',
        target: { mode: 'in-place' },
        confirm: 'orders',
      }),
    );
  });

  it("keeps the dialog open with the backend's reason when it refuses", async () => {
    serve({
      createRestore: {
        status: 409,
        body: {
          error: {
            name: 'ConflictError',
            message:
              'A restore (ffff0000) is running for component:default/orders',
          },
          request: { method: 'POST', url: '/' },
          response: { statusCode: 409 },
        },
      },
    });
    await renderTab({});
    const dialog = await openDialog();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Restore' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Could not start the restore: A restore (ffff0000) is running for component:default/orders (409)',
    );
  });

  it('disables Restore with the reason without backups.restore.create, and in place without backups.restore.in-place', async () => {
    serve();
    const { unmount } = await renderTab({
      denied: ['backups.restore.create'],
    });
    const button = await screen.findByRole('button', {
      name: `Restore from ${POINT.id}`,
    });
    await waitFor(() => expect(button).toBeDisabled());
    unmount();

    await renderTab({ denied: ['backups.restore.in-place'] });
    const dialog = await openDialog();
    await waitFor(() =>
      expect(
        within(dialog).getByLabelText('In place, into shop'),
      ).toBeDisabled(),
    );
    expect(dialog).toHaveTextContent(
      'Restoring in place needs backups.restore.in-place',
    );
  });

  it("shows a running restore's steps, and advances them when the backend signals", async () => {
    let record = restoreRecord();
    serve({
      restores: () => ({
        body: { entityRef: 'component:default/orders', restores: [record] },
      }),
    });
    const signals = testSignals();
    await renderTab({ signals });
    const progress = await screen.findByLabelText(
      'Restore abcd1234 in progress',
    );
    expect(progress).toHaveTextContent(
      `Velero restores the backup ${POINT.id} into shop-copy`,
    );
    expect(
      screen.getByRole('button', { name: `Restore from ${POINT.id}` }),
    ).toBeDisabled();

    record = restoreRecord({
      state: 'completed',
      outcome: 'Restored into the new namespace shop-copy of cluster prod-eu.',
      steps: record.steps.map(step => ({ ...step, state: 'succeeded' })),
    });
    act(() =>
      signals.send(restoreSignalChannel('component:default/orders'), {
        id: 'abcd1234',
        state: 'completed',
      }),
    );
    expect(
      await screen.findByText(
        'Restored into the new namespace shop-copy of cluster prod-eu.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByLabelText('Restore abcd1234 in progress'),
    ).not.toBeInTheDocument();
  });
});

import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { fireEvent, screen } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { backupsApiRef } from '../../api';
import {
  createTestBackupsClient,
  errorBody,
  serveBackupsApi,
} from '../../__testUtils__/backupsServer';
import { BackUpNowButton } from './BackUpNowButton';

const server = setupServer();
registerMswTestHooks(server);

// usePermission caches decisions per entity for the whole file: each test
// uses an entity of its own.
function renderButton(
  authorize: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
  entityRef: string,
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [backupsApiRef, createTestBackupsClient()],
        [permissionApiRef, mockApis.permission({ authorize })],
      ]}
    >
      <BackUpNowButton entityRef={entityRef} layer="database" />
    </TestApiProvider>,
  );
}

describe('BackUpNowButton', () => {
  it("says what the backend refused, with the backend's message", async () => {
    serveBackupsApi(server, {
      backups: {
        status: 409,
        body: errorBody(
          'ConflictError',
          'A database dump of component:default/ledger is already running (Job x); wait for it to finish',
          409,
        ),
      },
    });
    await renderButton(AuthorizeResult.ALLOW, 'component:default/ledger');
    const button = await screen.findByRole('button', {
      name: 'Back up now: a database dump',
    });
    fireEvent.click(button);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not start a database dump: A database dump of component:default/ledger is already running (Job x); wait for it to finish (409)',
    );
  });
  it('is disabled, with a tooltip saying why, when backups.backup.create is denied', async () => {
    const { requests } = serveBackupsApi(server, {});
    await renderButton(AuthorizeResult.DENY, 'component:default/payments');
    const button = await screen.findByRole('button', {
      name: 'Back up now: a database dump',
    });
    await screen.findByTestId('back-up-now-disabled');
    expect(button).toBeDisabled();
    // MUI shows a closed tooltip's text as the title of what it wraps.
    expect(screen.getByTestId('back-up-now-disabled')).toHaveAttribute(
      'title',
      'You may not start backups of component:default/payments (backups.backup.create)',
    );
    expect(requests).toEqual([]);
  });
});

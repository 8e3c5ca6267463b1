import { ResponseError } from '@backstage/errors';
import { registerMswTestHooks } from '@backstage/test-utils';
import { setupServer } from 'msw/node';
import {
  createTestBackupsClient,
  errorBody,
  serveBackups,
} from '../__testUtils__/backupsServer';
import { intentOf, ordersEntity } from '../__testUtils__/fixtures';

const server = setupServer();
registerMswTestHooks(server);

describe('BackupsClient', () => {
  it('reads the intent of a compound entity ref', async () => {
    const intent = intentOf(ordersEntity);
    const { urls } = serveBackups(server, { body: intent });

    await expect(
      createTestBackupsClient().getIntent({
        kind: 'Component',
        namespace: 'default',
        name: 'orders',
      }),
    ).resolves.toEqual(intent);
    expect(urls.map(url => url.href)).toEqual([
      'http://example.com/api/backups/entities/Component/default/orders/intent',
    ]);
  });

  it('accepts string refs, defaulting the namespace', async () => {
    const { urls } = serveBackups(server, { body: intentOf(ordersEntity) });
    const client = createTestBackupsClient();

    await client.getIntent('component:shop/orders');
    await client.getIntent('resource:orders-db');

    expect(urls.map(url => url.pathname)).toEqual([
      '/api/backups/entities/component/shop/orders/intent',
      '/api/backups/entities/resource/default/orders-db/intent',
    ]);
  });

  it('rejects a string ref without a kind before calling the backend', async () => {
    const { urls } = serveBackups(server, { body: {} });

    await expect(createTestBackupsClient().getIntent('orders')).rejects.toThrow(
      /kind/,
    );
    expect(urls).toEqual([]);
  });

  it('throws the backend error as a ResponseError', async () => {
    serveBackups(server, {
      status: 404,
      body: errorBody('NotFoundError', 'No entity component:default/x', 404),
    });

    const error = await createTestBackupsClient()
      .getIntent('component:default/x')
      .catch(e => e);

    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(404);
    expect(error.cause).toMatchObject({
      name: 'NotFoundError',
      message: 'No entity component:default/x',
    });
  });
});

import { mockApis, MockFetchApi } from '@backstage/test-utils';
import { http, HttpResponse, JsonBodyType } from 'msw';
import { SetupServer } from 'msw/node';
import { BackupsClient } from '../api';

/** The base URL `mockApis.discovery()` gives the backups plugin. */
export const BACKUPS_BASE_URL = 'http://example.com/api/backups';

/** A real client, on a mock discovery and the global fetch (which msw intercepts). */
export function createTestBackupsClient(): BackupsClient {
  return new BackupsClient({
    discoveryApi: mockApis.discovery(),
    fetchApi: new MockFetchApi(),
  });
}

/**
 * Answers every call to the backups backend with `status` and `body`, and
 * records the URLs called (as received, still percent-encoded).
 */
export function serveBackups(
  server: Pick<SetupServer, 'use'>,
  answer: { status?: number; body: JsonBodyType },
): { urls: URL[] } {
  const urls: URL[] = [];
  server.use(
    http.all(`${BACKUPS_BASE_URL}/*`, ({ request }) => {
      urls.push(new URL(request.url));
      return HttpResponse.json(answer.body, { status: answer.status ?? 200 });
    }),
  );
  return { urls };
}

/** Backstage's error body, as the backend's error handler writes it. */
export function errorBody(name: string, message: string, statusCode: number) {
  return {
    error: { name, message },
    request: { method: 'GET', url: '/api/backups/...' },
    response: { statusCode },
  };
}

/** A request the mock backend received. */
export interface ReceivedRequest {
  method: string;
  url: URL;
  body?: unknown;
}

/** An answer, or a function of the request that gives one. */
type Answer =
  | { status?: number; body: JsonBodyType }
  | ((request: ReceivedRequest) => { status?: number; body: JsonBodyType });

/**
 * The backups backend, route by route: each route answers what it is given
 * (the status fixture by default, 404 for what is not given), and every
 * request is recorded with its body.
 */
export function serveBackupsApi(
  server: Pick<SetupServer, 'use'>,
  routes: {
    intent?: Answer;
    status?: Answer;
    restorePoints?: Answer;
    backups?: Answer;
    overview?: Answer;
    /** GET …/restores; an empty list when not given. */
    restores?: Answer;
    createRestore?: Answer;
    /** GET …/drills; an empty list when not given. */
    drills?: Answer;
    startDrill?: Answer;
  },
): { requests: ReceivedRequest[] } {
  const requests: ReceivedRequest[] = [];
  const respond = (answer: Answer | undefined, request: ReceivedRequest) => {
    if (!answer) {
      return HttpResponse.json(
        errorBody('NotFoundError', `not served: ${request.url.pathname}`, 404),
        { status: 404 },
      );
    }
    const { status, body } =
      typeof answer === 'function' ? answer(request) : answer;
    return HttpResponse.json(body, { status: status ?? 200 });
  };
  const handler =
    (pick: (r: typeof routes) => Answer | undefined) =>
    async ({ request }: { request: Request }) => {
      const text = request.method === 'GET' ? '' : await request.text();
      const received: ReceivedRequest = {
        method: request.method,
        url: new URL(request.url),
        ...(text ? { body: JSON.parse(text) } : {}),
      };
      requests.push(received);
      return respond(pick(routes), received);
    };
  const entity = `${BACKUPS_BASE_URL}/entities/:kind/:namespace/:name`;
  server.use(
    http.get(
      `${entity}/intent`,
      handler(r => r.intent),
    ),
    http.get(
      `${entity}/status`,
      handler(r => r.status),
    ),
    http.get(
      `${entity}/restore-points`,
      handler(r => r.restorePoints),
    ),
    http.post(
      `${entity}/backups`,
      handler(r => r.backups),
    ),
    http.get(
      `${BACKUPS_BASE_URL}/overview`,
      handler(r => r.overview),
    ),
    http.get(
      `${entity}/restores`,
      handler(
        r =>
          r.restores ?? {
            body: { entityRef: 'component:default/orders', restores: [] },
          },
      ),
    ),
    http.post(
      `${entity}/restores`,
      handler(r => r.createRestore),
    ),
    http.get(
      `${entity}/drills`,
      handler(
        r =>
          r.drills ?? {
            body: { entityRef: 'component:default/orders', drills: [] },
          },
      ),
    ),
    http.post(
      `${entity}/drills`,
      handler(r => r.startDrill),
    ),
  );
  return { requests };
}

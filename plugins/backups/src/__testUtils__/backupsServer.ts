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

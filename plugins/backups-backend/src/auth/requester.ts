import { BackstageCredentials } from '@backstage/backend-plugin-api';

/** Who asked, for a record: the user's entity ref, or the service's subject. */
export function requester(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  return principal.userEntityRef ?? principal.subject ?? principal.type;
}

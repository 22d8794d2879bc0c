// Signing in: the pasted API token is checked with GET /api/v1/me and kept in sessionStorage
// (this tab only, gone when it closes; never in localStorage or a cookie, so no other site's
// request can carry it).
import { MeResponseSchema, type MeResponse } from '@fjc/contracts';
import { ApiClient } from './client';

const KEY = 'fjc.token';

export interface Session {
  readonly client: ApiClient;
  readonly me: MeResponse;
}

/** `onExpired`: called when the API stops accepting the token later on. */
export async function signIn(token: string, onExpired: () => void = () => undefined): Promise<Session> {
  let signedIn = false;
  const client = new ApiClient(token.trim(), () => {
    if (signedIn) onExpired();
  });
  const me = await client.get('/me', MeResponseSchema);
  sessionStorage.setItem(KEY, token.trim());
  signedIn = true;
  return { client, me };
}

export function storedToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
}

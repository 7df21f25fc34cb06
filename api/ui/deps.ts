/** What the pages and their sessions need, built once from configuration (api/build.ts, the test stack). */
import type { Env } from '../../config/env.ts';
import { loadUiAssets, type UiAssets } from './assets.ts';
import { sessionCookie } from './cookies.ts';
import type { UiSessionConfig } from './sessions.ts';

export interface UiDeps {
  sessions: UiSessionConfig;
  /** UI_FRAME_ANCESTORS: the CSP frame-ancestors source list. */
  frameAncestors: string;
  assets: UiAssets;
  temporal: { uiUrl: string | null; namespace: string };
}

export async function uiFromEnv(env: Env): Promise<UiDeps> {
  const publicUrl = env.API_PUBLIC_URL;
  return {
    sessions: {
      sessionTtlMs: env.UI_SESSION_TTL,
      linkTtlMs: env.UI_SIGN_IN_LINK_TTL,
      // Secure cookies whenever browsers reach us over https (behind a TLS-terminating proxy too).
      cookie: sessionCookie(publicUrl?.startsWith('https:') ?? false),
      publicUrl,
    },
    frameAncestors: env.UI_FRAME_ANCESTORS,
    assets: await loadUiAssets(),
    temporal: { uiUrl: env.TEMPORAL_UI_URL ?? null, namespace: env.TEMPORAL_NAMESPACE },
  };
}

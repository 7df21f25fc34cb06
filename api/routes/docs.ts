/**
 * `GET /openapi.json` (the document, generated once at start from the route catalogue) and `GET /docs`, a
 * reference page for it: Swagger UI from the `swagger-ui-dist` package, every asset served from here. A
 * Content-Security-Policy forbids any other origin, so the page works offline and leaks nothing.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Router } from 'express';
import { z } from 'zod';
import type { OpenApiDocument } from '../openapi/document.ts';

const swaggerUiDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** What the page loads; nothing else of the package is served. */
const ASSETS = {
  'swagger-ui.css': 'text/css',
  'swagger-ui-bundle.js': 'application/javascript',
  'swagger-ui-standalone-preset.js': 'application/javascript',
  'xero-sync-docs.js': 'application/javascript',
} as const;

export const docsAssetParams = z.strictObject({ file: z.enum(Object.keys(ASSETS) as [keyof typeof ASSETS, ...Array<keyof typeof ASSETS>]) });

/** Ours, not the package's initializer (which points at a petstore on the internet). No inline script: the CSP allows none. */
const INITIALIZER = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
  });
});
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>xero-sync API reference</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
<script src="/docs/assets/xero-sync-docs.js"></script>
</body>
</html>
`;

/**
 * Only this origin. Swagger UI sets style attributes and draws its icons as data: images; "Try it out" calls
 * this API (connect-src 'self').
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function docsRouter({ document }: { document: OpenApiDocument }): Router {
  const router = Router();
  const json = JSON.stringify(document);
  const assets = new Map<string, Buffer>();
  const asset = (file: keyof typeof ASSETS) => {
    let body = assets.get(file);
    if (!body) {
      body = file === 'xero-sync-docs.js' ? Buffer.from(INITIALIZER) : readFileSync(join(swaggerUiDir, file));
      assets.set(file, body);
    }
    return body;
  };
  const secured = { 'content-security-policy': DOCS_CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };

  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').set('cache-control', 'no-cache').send(json);
  });
  router.get('/docs', (_req, res) => {
    res.set(secured).type('html').send(PAGE);
  });
  router.get('/docs/assets/:file', (req, res, next) => {
    const params = docsAssetParams.safeParse(req.params);
    if (!params.success) return next(); // the app's 404
    res.set({ ...secured, 'cache-control': 'public, max-age=3600' }).type(ASSETS[params.data.file]).send(asset(params.data.file));
  });
  return router;
}

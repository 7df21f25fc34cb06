/**
 * Every route an Express 5 app serves, as `METHOD /path`, found by walking its router stack (the routers
 * mounted inside it included, with their mount paths). A route on several paths counts once per path. A path
 * that is not a plain string (a RegExp) cannot be matched against the OpenAPI document and is reported as
 * such, never skipped.
 */
import type { Express } from 'express';

interface Layer {
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: unknown;
}

export function servedRoutes(app: Express): string[] {
  const root = (app as unknown as { router?: { stack: Layer[] } }).router;
  if (!root) throw new Error('the app has no router: is this Express 5?');
  const routes: string[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const path of paths) {
          if (typeof path !== 'string') throw new Error(`a route with a non-string path (${String(path)}) under ${prefix || '/'}: give it a plain path`);
          for (const method of Object.keys(layer.route.methods)) {
            if (method === '_all') throw new Error(`${prefix}${path} answers every method (router.all): list its methods`);
            routes.push(`${method.toUpperCase()} ${prefix}${path}`);
          }
        }
      } else if (layer.handle?.stack) {
        const mount = layer.rawPath;
        if (typeof mount !== 'string') throw new Error(`a router mounted at a non-string path (${String(mount)})`);
        walk(layer.handle.stack, mount === '/' ? prefix : `${prefix}${mount}`);
      }
    }
  };
  walk(root.stack, '');
  return routes;
}

# The service image: one build, two roles (API or worker) chosen by the command.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY . .
# Scripts are off for npm ci: the one xero-sync needs patches postgres.js (scripts/patch-postgres.mjs says why).
RUN node scripts/patch-postgres.mjs && npm run build && npm prune --omit=dev --ignore-scripts

FROM node:20-bookworm-slim
ENV NODE_ENV=production
# Workflows bundled at build time: the worker starts without webpack.
ENV WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/package.json ./
USER node
# API: node dist/api/server.js   Worker: bin/start-worker (node dist/worker/main.js with its malloc settings and heap limit)
CMD ["node", "dist/api/server.js"]

# One image for the four services and the edge; docker-compose.yml picks the service with its command.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# scripts/kafka-admin.mjs: the compose's kafka-provision step (topics and ACLs).
COPY --from=build /app/scripts ./scripts
COPY --from=build /app/apps/edge-svc/public ./apps/edge-svc/public
USER node
CMD ["node", "dist/apps/tenant-svc/src/main.js"]

# Multi-stage build: compile TypeScript with dev dependencies, run the compiled JS on Node 22
# with production dependencies only, as a non-root user.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The pinned `node` devDependency is not needed inside a Node 22 image.
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=8080 \
    HOST=0.0.0.0 \
    DATA_DIR=/var/lib/gateway \
    PROFILES_DIR=/app/profiles \
    MAPPINGS_DIR=/app/mappings
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY profiles ./profiles
COPY mappings ./mappings
RUN mkdir -p /var/lib/gateway && chown node:node /var/lib/gateway
USER node
EXPOSE 8080
VOLUME ["/var/lib/gateway"]
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Exec form, so SIGTERM reaches node and in-flight requests finish before exit. Smaller young
# generation: about 30 MB less peak RSS for the same throughput (bench/gateway-node-args.ts).
CMD ["node", "--max-semi-space-size=4", "dist/server.js"]

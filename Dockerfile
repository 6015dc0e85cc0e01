# syntax=docker/dockerfile:1
# Coredeck's container image: Next's standalone server on Node 20, as uid 65532, with a read-only root filesystem.
#   docker build -t coredeck:0.1.0 .
#   docker run --rm -p 3000:3000 -v coredeck-data:/data -v $HOME/.kube/config:/kube/config:ro -e KUBECONFIG=/kube/config \
#     --read-only --tmpfs /tmp --tmpfs /app/.next/cache coredeck:0.1.0
# In a cluster: deploy/ (kubectl apply -k deploy/); the pod's service account is used.
ARG NODE_VERSION=20

# ---- build: full Debian image, with python3/make/g++ for better-sqlite3 when no prebuilt binary can be fetched ----
FROM node:${NODE_VERSION}-bookworm AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1
# npm 11 honours package.json's allowScripts (better-sqlite3's build runs; Prisma's engine downloads do not), as on
# the development machines; node:20 ships npm 10.
RUN npm install -g npm@11.19.1 --no-audit --no-fund
# Dependencies first, so that a source change does not reinstall them. The postinstall script generates the Prisma
# client offline (it needs the schema, its config and the schema-engine stub).
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts/prisma-generate.mjs scripts/prisma-schema-engine-stub.sh ./scripts/
RUN npm ci --no-audit --no-fund
COPY . .
# Standalone output: .next/standalone holds server.js and only the node_modules the server traces to. Then the
# backup script as one file for the runtime image (better-sqlite3 comes from the standalone node_modules).
RUN COREDECK_STANDALONE=1 npx next build \
 && mkdir -p public \
 && npx esbuild scripts/backup.ts --bundle --platform=node --format=esm --target=node20 \
      --external:better-sqlite3 --outfile=dist/backup.mjs --log-level=warning

# ---- runtime: slim Debian (same glibc and Node ABI as the build, so the native better-sqlite3 loads) ----
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOSTNAME=0.0.0.0 \
    PORT=3000 \
    COREDECK_DATA_DIR=/data \
    COREDECK_MIGRATIONS_DIR=/app/prisma/migrations
# Everything the server reads is owned by root and read-only to the app's user; it writes only to /data (the
# database, a volume), /tmp and /app/.next/cache (emptyDir or tmpfs under a read-only root filesystem).
COPY --from=build /app/.next/standalone ./
COPY --from=build /app/.next/static ./.next/static
COPY --from=build /app/public ./public
# Applied by the server at start-up (instrumentation.ts), before it answers.
COPY --from=build /app/prisma/migrations ./prisma/migrations
COPY --from=build /app/dist/backup.mjs ./scripts/backup.mjs
RUN mkdir -p /data /app/.next/cache \
 && chown 65532:65532 /data /app/.next/cache
USER 65532:65532
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health?probe=live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node as PID 1: Next's server stops on SIGTERM, which is what Kubernetes sends.
CMD ["node", "server.js"]

#!/bin/sh
# Stand-in for Prisma's native schema engine, which cannot be downloaded on
# air-gapped machines. `prisma generate` only asks it for its version; the
# migrations are plain SQL applied by lib/db/migrate.ts, so nothing else needs it.
if [ "$1" = "--version" ]; then
  echo "schema-engine-cli 0.0.0-offline-stub"
  exit 0
fi
echo "The native Prisma schema engine is not available; migrations are applied by lib/db/migrate.ts" >&2
exit 1

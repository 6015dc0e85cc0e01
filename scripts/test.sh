#!/usr/bin/env bash
# `npm test`: typecheck, lint, unit + integration (Vitest), build, end-to-end (Playwright in Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

bash scripts/ensure-chromium.sh

echo "== typecheck"
npx tsc --noEmit -p .
echo "== lint"
npx eslint . --max-warnings=0
echo "== unit and integration tests"
npx vitest run
echo "== build"
npx next build
echo "== end-to-end tests"
npx playwright test

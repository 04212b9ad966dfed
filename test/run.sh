#!/usr/bin/env bash
# The test command (README, .ci/run): installs what is missing, type-checks, runs the unit tests,
# boots the lab cluster (cached build), runs the end-to-end scenarios against it.
#   bash test/run.sh            everything
#   bash test/run.sh unit       unit tests only (no cluster)
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
t0=$(date +%s)
phase() { printf '\n== %s (%ss since start)\n' "$1" "$(( $(date +%s) - t0 ))"; }

phase "npm dependencies"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --ignore-scripts
fi
phase "typecheck and build"
npx tsc --noEmit -p .
# lint (typescript-eslint, type-aware; cached in node_modules/.cache/eslint/): errors fail the run
lint_t0=$(date +%s)
npm run -s lint
echo "lint: clean in $(( $(date +%s) - lint_t0 ))s"
npm run build --silent

phase "unit tests"
npx vitest run --config vitest.config.ts

phase "Mermaid path rendered in headless Chromium (Debian's chromium, driven by playwright-core)"
# Debian's package, never a browser download; the test fails (not skips) when Chromium cannot run.
if [ ! -x "${K8SNET_CHROMIUM:-/usr/bin/chromium}" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y --no-install-recommends chromium >/dev/null 2>&1 \
      || { apt-get update -qq && apt-get install -y --no-install-recommends chromium >/dev/null; }
  else
    echo "error: no Chromium at ${K8SNET_CHROMIUM:-/usr/bin/chromium} and no root apt-get to install it"; exit 1
  fi
fi
npx vitest run --config test/browser/vitest.config.ts

if [ "$what" = "unit" ]; then exit 0; fi

phase "lab cluster (build if missing, boot, self-test)"
bash test/lab/lab.sh up

phase "end-to-end scenarios against the lab"
status=0
node test/e2e/run.mjs || status=1

phase "kubectl plugin (krew archive, real kubectl) and shell completion against the lab"
node test/e2e/plugin.mjs || status=1

phase "NetworkPolicy engine vs the real enforcer"
node test/e2e/policy-agreement.mjs || status=1
[ "$status" = 0 ] || { echo "end-to-end tests failed"; exit 1; }

phase "done"

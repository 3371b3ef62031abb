#!/usr/bin/env bash
# Builds the Worker with worker-build, pointed at local tools. Run from worker/ (wrangler does).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/worker-env.sh"
cd "$(dirname "${BASH_SOURCE[0]}")/../worker"
exec worker-build --release

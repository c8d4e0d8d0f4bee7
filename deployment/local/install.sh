#!/usr/bin/env bash
# Installs kinesis-local (kinesis-mock for Node, version pinned in package.json / package-lock.json) into
# deployment/local/node_modules. Needs Node.js 18+ and npm.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
echo "kinesis-local $(node -p 'require("./node_modules/kinesis-local/package.json").version') installed in $(pwd)/node_modules"

#!/usr/bin/env bash
# Builds (warnings are errors) and runs every test against the real model, then prints "N passed, N failed".
# Models come from TAKEOFF_MODELS_DIR, else ../shared/models beside the repository.
set -uo pipefail
cd "$(dirname "$0")/.."
results=TestResults
rm -rf "$results"
dotnet test TakeoffLlama.sln --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" \
  --results-directory "$results" --blame-hang-timeout 5min "$@"
status=$?
trx=$(find "$results" -name '*.trx' | head -n 1)
if [ -z "$trx" ]; then
  echo "0 passed, 1 failed"
  exit 1
fi
counter() { grep -o "<Counters [^>]*" "$trx" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
passed=$(counter passed); failed=$(counter failed); total=$(counter total); executed=$(counter executed)
skipped=$((total - executed))
line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
exit $status

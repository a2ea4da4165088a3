#!/usr/bin/env bash
# Load test of `labbook models serve` over loopback with wrk (Debian package `wrk`): single-review
# requests/s and latency p50/p99 at 1, 8 and 32 connections, rows/s in batches of 1,000 reviews,
# cold start to the first answered request (model cached), and the server's RSS.
#   labbook-serving/bench/serve-bench.sh MODEL_DIR_OR_URI [IMDB_ARCHIVE] [DURATION_SECONDS]
# Reviews are real IMDb test reviews taken from the archive. Prints a markdown table.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
model="${1:?usage: serve-bench.sh MODEL_DIR_OR_URI [IMDB_ARCHIVE] [DURATION_SECONDS]}"
archive="${2:-$here/../shared/datasets/aclImdb-labeled.tar.gz}"
duration="${3:-10}"
port="${PORT:-5077}"
work="$(mktemp -d)"
trap 'kill "${pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
command -v wrk >/dev/null || { echo "serve-bench: needs wrk (apt-get install wrk)" >&2; exit 1; }

# 1,000 test reviews: one for the single-review body, all of them for the batch body
mkdir -p "$work/reviews"
tar -xzf "$archive" -C "$work/reviews" --wildcards 'aclImdb/test/pos/1[0-9][0-9]_*.txt' 'aclImdb/test/neg/1[0-9][0-9]_*.txt' \
  'aclImdb/test/pos/2[0-9][0-9]_*.txt' 'aclImdb/test/neg/2[0-9][0-9]_*.txt' 'aclImdb/test/pos/3[0-9][0-9]_*.txt' \
  'aclImdb/test/neg/3[0-9][0-9]_*.txt' 'aclImdb/test/pos/4[0-9][0-9]_*.txt' 'aclImdb/test/neg/4[0-9][0-9]_*.txt' \
  'aclImdb/test/pos/5[0-9][0-9]_*.txt' 'aclImdb/test/neg/5[0-9][0-9]_*.txt'
python3 - "$work" <<'PY'
import json, os, sys, glob
work = sys.argv[1]
files = sorted(glob.glob(work + "/reviews/aclImdb/test/*/*.txt"))[:1000]
texts = [open(f, encoding="utf-8").read() for f in files]
single = sorted(texts, key=len)[len(texts) // 2]          # the median-length review
open(work + "/single.json", "w").write(json.dumps({"inputs": [single]}))
# one body per line: the single-review load sends each review in turn, so the model's tables are
# read as real traffic reads them (one review sent again and again stays in the CPU caches)
open(work + "/singles.jsonl", "w").write("\n".join(json.dumps({"inputs": [t]}) for t in texts) + "\n")
open(work + "/batch.json", "w").write(json.dumps({"dataframe_split": {"columns": ["text"], "data": [[t] for t in texts]}}))
print(f"reviews: {len(texts)}, single review {len(single)} chars, batch body {os.path.getsize(work + '/batch.json') / 1e6:.1f} MB", file=sys.stderr)
PY
cat > "$work/post.lua" <<'LUA'
local bodies = {}
local name = os.getenv("BODY")
if name:match("%.jsonl$") then
  for line in io.lines(name) do bodies[#bodies + 1] = line end
else
  local f = io.open(name, "rb"); bodies[1] = f:read("*a"); f:close()
end
wrk.method = "POST"; wrk.headers["Content-Type"] = "application/json"
local i = 0
setup = function(thread) i = i + 1; thread:set("offset", i * 97) end
request = function()
  offset = offset + 1
  return wrk.format(nil, nil, nil, bodies[offset % #bodies + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %.1f %.3f %.3f %.3f\n", summary.requests, summary.errors.status + summary.errors.connect
    + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
LUA

# warm the cache, then measure the cold start of a second start (model cached) to the first answer
start() {
  "$here/labbook" models serve -m "$model" -p "$port" -w "${WORKERS:-2}" ${TRACKING:+--tracking-uri "$TRACKING"} >"$work/serve.log" 2>&1 &
  pid=$!
}
first_answer() {
  until curl -sf -o /dev/null "http://127.0.0.1:$port/invocations" -H 'Content-Type: application/json' -d @"$work/single.json"; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
    sleep 0.02
  done
}
start; first_answer; kill "$pid"; wait "$pid" 2>/dev/null || true
t0=$(date +%s.%N); start; first_answer; t1=$(date +%s.%N)
cold=$(python3 -c "print(f'{$t1 - $t0:.2f}')")

run() { # connections body threads
  BODY="$2" wrk -t "$3" -c "$1" -d "${duration}s" --timeout 30s --latency -s "$work/post.lua" "http://127.0.0.1:$port/invocations" | sed -n 's/^RESULT //p'
}
echo "| load | requests | failed | requests/s | p50 ms | p99 ms | max ms |"
echo "|---|---|---|---|---|---|---|"
BODY="$work/singles.jsonl" wrk -t 1 -c 8 -d 3s -s "$work/post.lua" "http://127.0.0.1:$port/invocations" >/dev/null   # JIT warm-up
for c in 1 8 32; do
  read -r n failed rps p50 p99 max <<<"$(run "$c" "$work/singles.jsonl" "$(( c < 2 ? 1 : 2 ))")"
  echo "| single review (1,000 different ones in turn), $c client(s) | $n | $failed | $rps | $p50 | $p99 | $max |"
done
read -r n failed rps p50 p99 max <<<"$(run 8 "$work/single.json" 2)"
echo "| one review sent again and again, 8 clients | $n | $failed | $rps | $p50 | $p99 | $max |"
read -r n failed rps p50 p99 max <<<"$(run 2 "$work/batch.json" 2)"
echo "| batches of 1,000 reviews, 2 clients | $n | $failed | $rps batches/s = $(python3 -c "print(f'{$rps * 1000:,.0f}')") rows/s | $p50 | $p99 | $max |"
rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
echo
echo "cold start to the first answered request (model cached): ${cold} s; server RSS after the load: $(( rss / 1024 )) MB"

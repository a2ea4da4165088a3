#!/usr/bin/env bash
# Sweep agents through a real server, for the README's figures (not a test):
#   four   200 TPE trials of a fast objective (a bash script logging through curl), 4 agent processes
#   asha   the same 24 random trials (seed 3) of a synthetic 16-epoch curve, 2 agents, without and with ASHA
# Usage: labbook-sweep/bench/agents-bench.sh four|asha   (builds ./labbook on first use)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d)"
port=$((20000 + RANDOM % 20000))
uri="http://127.0.0.1:$port"
cd "$here"
./labbook server --port "$port" --backend-store-uri "sqlite:///$work/labbook.db" > "$work/server.log" 2>&1 &
srv=$!
trap 'kill $srv 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "$uri/" > /dev/null && break; sleep 1; done

# trial programs: read --x=..., log to the trial's run ($MLFLOW_RUN_ID) with curl
cat > "$work/fast.sh" <<'SH'
#!/usr/bin/env bash
x=""; for a in "$@"; do case "$a" in --x=*) x="${a#--x=}";; esac; done
y=$(awk -v x="$x" 'BEGIN { printf "%.6f", (x - 0.3) * (x - 0.3) }')
curl -s -X POST "$MLFLOW_TRACKING_URI/api/2.0/mlflow/runs/log-metric" -H 'Content-Type: application/json' \
  -d "{\"run_id\": \"$MLFLOW_RUN_ID\", \"key\": \"y\", \"value\": $y, \"timestamp\": $(date +%s%3N), \"step\": 0}" > /dev/null
SH
cat > "$work/curve.sh" <<'SH'
#!/usr/bin/env bash
x=""; for a in "$@"; do case "$a" in --x=*) x="${a#--x=}";; esac; done
for step in $(seq 1 16); do
  sleep 0.5
  acc=$(awk -v x="$x" -v s="$step" 'BEGIN { printf "%.6f", (0.9 - (x - 0.6) * (x - 0.6)) * (1 - exp(-s / 3)) }')
  curl -s -X POST "$MLFLOW_TRACKING_URI/api/2.0/mlflow/runs/log-metric" -H 'Content-Type: application/json' \
    -d "{\"run_id\": \"$MLFLOW_RUN_ID\", \"key\": \"val_acc\", \"value\": $acc, \"timestamp\": $(date +%s%3N), \"step\": $step}" > /dev/null
done
SH
chmod +x "$work/fast.sh" "$work/curve.sh"

# runs K agents on sweep file $1 and prints the wall time and the trials' states
sweep() {
  local file=$1 agents=$2 id t0 t1 pids=()
  id=$(./labbook sweep create "$file" --tracking-uri "$uri" | tail -1)
  t0=$(date +%s.%N)
  for a in $(seq 1 "$agents"); do ./labbook sweep agent "$id" --tracking-uri "$uri" > "$work/agent-$id-$a.log" 2>&1 & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p"; done
  t1=$(date +%s.%N)
  curl -s "$uri/api/2.0/labbook/sweeps/get?sweep_id=$id" | python3 -c '
import collections, json, sys
d = json.load(sys.stdin); t = d["trials"]
done = [x for x in t if x["state"] == "COMPLETE" and x.get("value") is not None]
print("  trials", len(t), dict(collections.Counter(x["state"] for x in t)), "distinct numbers", len({x["number"] for x in t}),
      "distinct runs", len({x["run_id"] for x in t}), "per agent", sorted(collections.Counter(x["agent_id"] for x in t).values()),
      "best", d["sweep"].get("best_value"))'
  echo "  $(basename "$file"): wall $(echo "$t1 - $t0" | bc) s"
}

case "${1:-four}" in
  four)
    printf 'method: tpe\nseed: 1\nrun_cap: 200\nmetric: {name: y, goal: minimize}\nprogram: %s\nparameters:\n  x: {min: 0.0, max: 1.0}\n  k: {values: [a, b, c]}\n' \
      "$work/fast.sh" > "$work/four.yaml"
    sweep "$work/four.yaml" 4 ;;
  asha)
    for mode in none asha; do
      printf 'method: random\nseed: 3\nrun_cap: 24\nmetric: {name: val_acc, goal: maximize}\nprogram: %s\nparameters:\n  x: {min: 0.0, max: 1.0}\n' \
        "$work/curve.sh" > "$work/$mode.yaml"
      [ "$mode" = asha ] && echo "early_terminate: {type: asha, grace_period: 1, reduction_factor: 4, max_t: 16}" >> "$work/$mode.yaml"
      sweep "$work/$mode.yaml" 2
    done ;;
esac

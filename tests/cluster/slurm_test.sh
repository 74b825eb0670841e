#!/usr/bin/env bash
# Integration test of `actsweep slurm` against a real single-node Slurm
# (scripts/slurm-local: munged, slurmctld, slurmd under a temporary folder).
#   1. submit a tiny sweep as 4 array tasks + the merge job, wait for the queue;
#   2. the merged database matches a local `actsweep run` of the same sweep,
#      run key by run key (status, final_test_loss, number of epochs rows);
#   3. delete one shard (and the merged database), resubmit that index and the
#      merge with the line `actsweep slurm` prints, compare again.
# Skips (exit 0) when slurm-wlm/munge are not installed or not running as root.
# usage: slurm_test.sh ACTSWEEP_BINARY
set -euo pipefail

start_s=$(date +%s)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
slurm_local=$root/scripts/slurm-local
actsweep=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
PATH=$PATH:/usr/sbin:/sbin

for b in munged slurmctld slurmd sbatch squeue sinfo; do
  if ! command -v "$b" >/dev/null; then
    echo "slurm integration: SKIPPED (slurm-wlm not installed)"
    exit 0
  fi
done
if ! command -v sqlite3 >/dev/null; then
  echo "slurm integration: SKIPPED (sqlite3 not installed)"
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "slurm integration: SKIPPED (needs root to run munged/slurmd)"
  exit 0
fi

tmp=$(mktemp -d /tmp/actsweep-slurm-test.XXXXXX)
cleanup() {
  local rc=$?
  "$slurm_local" stop "$tmp/cluster" || true
  if ((rc != 0)); then
    echo "slurm integration: FAILED; logs:" >&2
    tail -n 20 "$tmp"/cluster/log/*.log "$tmp"/job/logs/*.out 2>/dev/null >&2 || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

fail() { echo "slurm integration: FAILED: $*" >&2; exit 1; }

eval "$("$slurm_local" start "$tmp/cluster")"
export SLURM_CONF

cat >"$tmp/tiny.yaml" <<'EOF'
name: tiny
data:
  dataset: xor
  samples: 200
model:
  hidden: [4]
train:
  epochs: 2
  batch_size: 32
  lr: 0.1
seeds: 3
grid:
  model.activation: [relu, tanh]
EOF

# The reference: the same sweep trained locally in one process.
"$actsweep" run "$tmp/tiny.yaml" --db "$tmp/local.db" --jobs 2 --quiet >/dev/null

wait_queue() { # until squeue is empty, 120 s at most
  for _ in $(seq 1200); do
    [[ -z $(squeue -h) ]] && return 0
    sleep 0.1
  done
  squeue >&2
  fail "jobs still queued after 120 s"
}

compare() { # compare LABEL: merged database == local database, run by run
  local db=$tmp/job/tiny.db
  [[ -s $db ]] || fail "$1: $db missing"
  local n_local n_merged n_same
  n_local=$(sqlite3 "$tmp/local.db" "select count(*) from runs")
  n_merged=$(sqlite3 "$db" "select count(*) from runs where status = 'done'")
  n_same=$(sqlite3 "$db" "
    attach '$tmp/local.db' as l;
    select count(*) from runs m join l.runs x using (run_key)
    where m.status = 'done' and x.status = 'done'
      and m.final_test_loss is not null and m.final_test_loss = x.final_test_loss
      and (select count(*) from epochs e where e.run_id = m.run_id)
        = (select count(*) from l.epochs e where e.run_id = x.run_id)
      and (select count(*) from epochs e where e.run_id = m.run_id) > 0;")
  [[ $n_local == 6 ]] || fail "$1: local run has $n_local runs, expected 6"
  [[ $n_merged == 6 ]] || fail "$1: merged database has $n_merged runs done, expected 6"
  [[ $n_same == 6 ]] || fail "$1: only $n_same of 6 runs match the local run"
  echo "slurm integration: $1: 6 of 6 runs match the local run"
}

slurm_out=$("$actsweep" slurm "$tmp/tiny.yaml" --tasks 4 --cpus 1 --time 00:05:00 --out "$tmp/job")
"$tmp/job/submit.sh"
wait_queue
compare "first submission"

# Lose shard 1 (and the merged database), then resubmit index 1 and the merge
# with the command `actsweep slurm` printed (its example indices are 3,7).
resubmit=$(grep -m1 'sbatch --parsable --array=' <<<"$slurm_out" | sed -e 's/^ *//' -e 's/--array=[0-9,]*/--array=1/')
[[ -n $resubmit ]] || fail "no resubmit line in the output of actsweep slurm"
rm -f "$tmp/job/shards/shard-1.db" "$tmp/job/tiny.db"
eval "$resubmit"
wait_queue
[[ -s $tmp/job/shards/shard-1.db ]] || fail "shard-1.db not written again"
compare "after resubmitting shard 1"

echo "slurm integration: passed in $(($(date +%s) - start_s)) s"

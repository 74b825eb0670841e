#!/usr/bin/env bash
# Integration test of `actsweep slurm` against a real single-node Slurm
# (scripts/slurm-local: munged, slurmctld, slurmd under a temporary folder).
#   1. submit a tiny sweep as 4 array tasks + the merge job, wait for the queue;
#   2. the merged database matches a local `actsweep run` of the same sweep,
#      run key by run key, value by value: runs' final metrics, every epochs
#      row and every layer_stats row (timings aside);
#   3. delete one shard (and the merged database), resubmit that index and the
#      merge with the line `actsweep slurm` prints, compare again.
# Skips (exit 77, which ctest reports as "Skipped") when slurm-wlm/munge are not installed or not running as root.
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
    exit 77
  fi
done
if ! command -v sqlite3 >/dev/null; then
  echo "slurm integration: SKIPPED (sqlite3 not installed)"
  exit 77
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "slurm integration: SKIPPED (needs root to run munged/slurmd)"
  exit 77
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

# Rows of table T (columns COLS, run identified by run_key) in database $1 and
# not in $2: the "metric by metric" half of the comparison, both ways round.
# Timings (seconds, wall_seconds) differ between runs by nature and are left out.
rows_only_in() { # DB_A DB_B TABLE COLS
  sqlite3 "$1" "
    attach '$2' as other;
    select count(*) from (
      select r.run_key, $4 from main.$3 t join main.runs r using (run_id) where r.status = 'done'
      except
      select r.run_key, $4 from other.$3 t join other.runs r using (run_id) where r.status = 'done');"
}

compare() { # compare LABEL: merged database == local database, run by run, metric by metric
  local db=$tmp/job/tiny.db
  [[ -s $db ]] || fail "$1: $db missing"
  local n_local n_merged n_epochs n_layers
  n_local=$(sqlite3 "$tmp/local.db" "select count(*) from runs where status = 'done'")
  n_merged=$(sqlite3 "$db" "select count(*) from runs where status = 'done'")
  [[ $n_local == 6 ]] || fail "$1: local run has $n_local runs done, expected 6"
  [[ $n_merged == 6 ]] || fail "$1: merged database has $n_merged runs done, expected 6"
  n_epochs=$(sqlite3 "$db" "select count(*) from epochs")
  n_layers=$(sqlite3 "$db" "select count(*) from layer_stats")
  ((n_epochs == 18 && n_layers == 18)) || fail "$1: $n_epochs epochs rows and $n_layers layer_stats rows, expected 18 and 18"
  local runs_cols="t.config_json, t.final_train_loss, t.final_test_loss, t.final_test_acc,
    t.best_val_acc, t.dead_fraction, t.born_dead, t.diverged_epoch"
  local epochs_cols="t.epoch, t.train_loss, t.train_acc, t.val_loss, t.val_acc, t.test_loss, t.test_acc, t.lr"
  local layer_cols="t.epoch, t.layer, t.dead_fraction, t.zero_fraction, t.act_mean, t.act_std,
    t.grad_norm, t.weight_norm, t.prelu_alpha"
  local table cols a b
  for table in runs epochs layer_stats; do
    case $table in runs) cols=$runs_cols ;; epochs) cols=$epochs_cols ;; *) cols=$layer_cols ;; esac
    a=$(rows_only_in "$db" "$tmp/local.db" "$table" "$cols")
    b=$(rows_only_in "$tmp/local.db" "$db" "$table" "$cols")
    [[ $a == 0 && $b == 0 ]] || fail "$1: $table differs: $a rows only in the merged database, $b only in the local one"
  done
  echo "slurm integration: $1: 6 of 6 runs, 18 epochs rows and 18 layer rows equal to the local run"
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

#!/usr/bin/env bash
# Every command of the real binary against what an attacker or a careless
# user hands it (issue 14; docs/security.md):
#   1. databases that are not ours (a foreign SQLite file, a foreign meta
#      table, an empty file, a text file, garbled pages) and a read-only one:
#      each command refuses the bad ones with exit 2 and one line, and every
#      file is byte-identical (sha256) afterwards, no -wal/-shm left beside it;
#   2. every command with stdout on /dev/full exits non-zero;
#   3. text from a database never runs: a plot of runs whose activation holds
#      a shell payload creates no file;
#   4. long and odd arguments: exit 2, never a crash (139) or a hang;
#   5. an alias bomb and a 10^6-point grid are answered within a deadline.
# usage: hostile_test.sh ACTSWEEP_BINARY
set -uo pipefail

actsweep=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
if ! command -v sqlite3 >/dev/null; then
  echo "hostile input: SKIPPED (sqlite3 not installed)"
  exit 77
fi
tmp=$(mktemp -d /tmp/actsweep-hostile.XXXXXX)
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# expect CODE COMMAND...: runs it (60 s at most), checks the exit code and
# that stderr is one line for an error.
expect() {
  local want=$1
  shift
  timeout 60 "$@" >out.txt 2>err.txt
  local got=$?
  if [[ $got -ne $want ]]; then
    fail "exit $got (want $want): ${*:1:8}: $(head -c 300 err.txt)"
  elif [[ $want -eq 2 && $(wc -l <err.txt) -ne 1 ]]; then
    fail "not one line on stderr: ${*:1:8}: $(head -c 300 err.txt)"
  fi
}

cat >tiny.yaml <<'EOF'
name: tiny
data: {dataset: xor, samples: 64}
model: {hidden: [4], init: he_normal}
train: {epochs: 1, lr: 0.1, batch_size: 16}
seeds: 2
grid:
  model.activation: [relu, tanh]
EOF
expect 0 "$actsweep" run tiny.yaml --db good.db --quiet
[[ -s good.db ]] || { echo "FAIL: no database from the tiny sweep"; exit 1; }

# 1. The files, and what each must do to them.
sqlite3 foreign.db "CREATE TABLE notes(x); INSERT INTO notes VALUES ('mine');"
sqlite3 foreign-meta.db "CREATE TABLE meta(a, b); INSERT INTO meta VALUES (1, 2);"
: >empty.db
echo "just some text, not a database" >text.db
cp good.db garbled.db
# Overwrite the middle of the file (whole pages of the runs table and its
# indexes) with a pattern: SQLite sees a malformed B-tree.
size=$(stat -c %s garbled.db)
head -c $((size / 2)) /dev/zero | tr '\0' 'Z' | dd of=garbled.db bs=1 seek=$((size / 4)) conv=notrunc status=none
cp good.db readonly.db
chmod 444 readonly.db

bad_files=(foreign.db foreign-meta.db empty.db text.db garbled.db)
# Read-only commands: a bad file is refused; nothing is ever written.
read_commands() { # FILE
  echo "status $1"
  echo "status $1 --json"
  echo "report $1"
  echo "report $1 --by activation --format csv"
  echo "export $1 --table runs --format csv"
  echo "export $1 --view group_summary --format json"
}

listing() { ls -A | grep -v -e '^out.txt$' -e '^err.txt$' | sort | tr '\n' ' '; }

# check_unchanged FILE expect CODE COMMAND...: FILE is byte-identical after
# the command and has no -wal/-shm beside it; a refused command (CODE 2)
# leaves no file behind at all (no output database, no plot folder).
check_unchanged() {
  local file=$1
  shift
  local before files_before
  before=$(sha256sum "$file")
  files_before=$(listing)
  "$@"
  [[ "$before" == "$(sha256sum "$file")" ]] || fail "$file changed by: ${*:3:6}"
  [[ ! -e "$file-wal" && ! -e "$file-shm" ]] || fail "$file-wal or -shm left by: ${*:3:6}"
  if [[ $2 == 2 && "$files_before" != "$(listing)" ]]; then
    fail "files changed ($(listing)) by the refused: ${*:3:6}"
  fi
}

for file in "${bad_files[@]}"; do
  while read -r -a command; do
    check_unchanged "$file" expect 2 "$actsweep" "${command[@]}"
  done < <(read_commands "$file")
  check_unchanged "$file" expect 2 "$actsweep" report "$file" --plot "plots-$file"
  rm -rf "plots-$file"
  # As a shard to merge (into a new database), and as the merge's output.
  check_unchanged "$file" expect 2 "$actsweep" merge "merged-$file" "$file"
  rm -f "merged-$file" "merged-$file"-wal "merged-$file"-shm
  [[ $file == empty.db ]] || check_unchanged "$file" expect 2 "$actsweep" merge "$file" good.db
  [[ $file == empty.db ]] || check_unchanged "$file" expect 2 "$actsweep" run tiny.yaml --db "$file" --quiet
done
# An empty file is a new database for the commands that write one (`--db
# $(mktemp)`): it becomes ours, and is no longer empty.
expect 0 "$actsweep" run tiny.yaml --db empty.db --quiet
[[ -s empty.db ]] || fail "run into an empty file wrote nothing"

# A read-only database reads; it is never written, its folder never gets a -wal or -shm.
while read -r -a command; do
  check_unchanged readonly.db expect 0 "$actsweep" "${command[@]}"
done < <(read_commands readonly.db)
check_unchanged readonly.db expect 0 "$actsweep" merge merged-ro.db readonly.db
rm -f merged-ro.db
# Write-protected is a refusal to write, for root too (who could).
check_unchanged readonly.db expect 2 "$actsweep" run tiny.yaml --db readonly.db --quiet
check_unchanged readonly.db expect 2 "$actsweep" merge readonly.db good.db

# 2. stdout on /dev/full: the output is lost, and the exit code says so.
full_commands=(
  "--version" "--help" "validate tiny.yaml" "plan tiny.yaml" "plan tiny.yaml --json"
  "train --dataset xor --hidden 4 --epochs 1"
  "run tiny.yaml --db full.db" "status good.db" "report good.db" "report good.db --format json"
  "export good.db --table epochs --format csv" "merge full-merge.db good.db"
  "slurm tiny.yaml --tasks 2 --out slurm-out"
)
for command in "${full_commands[@]}"; do
  read -r -a words <<<"$command"
  timeout 60 "$actsweep" "${words[@]}" >/dev/full 2>err.txt
  code=$?
  [[ $code -eq 3 ]] || fail "stdout on /dev/full: exit $code (want 3): $command"
done

# 3. A shell payload in the database, plotted.
if command -v gnuplot >/dev/null; then
  cp good.db payload.db
  sqlite3 payload.db "UPDATE runs SET activation = 'relu\`touch $tmp/ran-1\`' WHERE activation = 'relu';
                      UPDATE runs SET activation = 'tanh\"\`touch $tmp/ran-2\`\"' || char(10) ||
                                                   'system(\"touch $tmp/ran-3\")' WHERE activation = 'tanh';"
  expect 0 "$actsweep" report payload.db --by activation --plot payload-plots
  for i in 1 2 3; do [[ ! -e ran-$i ]] || fail "a plot ran the payload $i from the database"; done
  [[ -s payload-plots/learning_curves.svg ]] || fail "no plot drawn from the payload database"
else
  echo "hostile input: gnuplot missing, plot payload not tried"
fi

# 3b. A database whose text is not what actsweep writes: a config_json
# nested 300,000 deep (nlohmann's dump recursed per level: a segfault), one
# that is not JSON, text that is not UTF-8 (JSON output threw). Each is
# refused or shown, never a crash or an internal error; the file unchanged.
python3 - <<'PY'
import shutil, sqlite3
for name, sql, value in [
    ("deep.db", "UPDATE runs SET config_json = ?", '{"a.b": ' + "[" * 300000 + "]" * 300000 + "}"),
    ("notjson.db", "UPDATE runs SET config_json = ?", "not json"),
    ("notutf8.db", "UPDATE runs SET activation = CAST(? AS BLOB)", b"relu\xff\xed\xa0\x80"),
]:
    shutil.copy("good.db", name)
    db = sqlite3.connect(name)
    db.execute(sql, (value,))
    db.commit()
    db.close()
PY
for file in deep.db notjson.db; do
  check_unchanged "$file" expect 2 "$actsweep" report "$file" --by a.b
  check_unchanged "$file" expect 2 "$actsweep" report "$file" --format json
done
for command in "report notutf8.db --format json" "export notutf8.db --table runs --format json" \
  "status notutf8.db --json" "report notutf8.db"; do
  read -r -a words <<<"$command"
  check_unchanged notutf8.db expect 0 "$actsweep" "${words[@]}"
done

# 4. Long and odd arguments.
long=$(head -c 28000 /dev/zero | tr '\0' 'a')
expect 2 "$actsweep" report good.db --where "lr < $long"
expect 2 "$actsweep" report good.db --where "$long"
expect 2 "$actsweep" report good.db --by "$long"
expect 2 "$actsweep" report good.db --vs "activation=$long,activation=relu"
expect 2 "$actsweep" report good.db --where "lr < fast"
expect 2 "$actsweep" report good.db --where $'norm = none\nDROP TABLE runs'
expect 2 "$actsweep" plan tiny.yaml --set "model.hidden=[$long]"
expect 2 "$actsweep" plan tiny.yaml --set "$long=1"
expect 2 "$actsweep" train --dataset xor --hidden "$long"
expect 2 "$actsweep" "$long"

# 5. Deadlines: refused (or answered) well within them.
# refused_within_5s FILE WHAT: `validate FILE` exits 2 in under 5 s.
refused_within_5s() {
  local started elapsed_ms
  started=$(date +%s%N)
  expect 2 timeout 10 "$actsweep" validate "$1"
  elapsed_ms=$((($(date +%s%N) - started) / 1000000))
  ((elapsed_ms < 5000)) || fail "$2 took $elapsed_ms ms"
}

{
  echo "name: bomb"
  echo 'unknown_key:'
  echo '  a: &a [x, x, x, x, x, x, x, x, x]'
  previous=a
  for level in b c d e f g h i; do
    echo "  $level: &$level [*$previous, *$previous, *$previous, *$previous, *$previous, *$previous, *$previous, *$previous, *$previous]"
    previous=$level
  done
  echo 'data: {dataset: xor}'
  echo 'model: {hidden: [4]}'
} >bomb.yaml
refused_within_5s bomb.yaml "the alias bomb"

{
  echo "name: million"
  echo "data: {dataset: xor}"
  echo "model: {hidden: [4]}"
  echo "seeds: 10"
  echo "grid:"
  echo "  train.lr: [$(seq -s, -f '%ge-4' 1 1000)]"
  echo "  train.batch_size: [$(seq -s, 1 100)]"
} >million.yaml
refused_within_5s million.yaml "the 10^6-point grid"

if ((failures > 0)); then
  echo "hostile input: $failures failure(s)"
  exit 1
fi
echo "hostile input: all checks passed"

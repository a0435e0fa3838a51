#!/usr/bin/env bash
# benches/precommit.sh: whole-process latency of `sealant pre-commit`.
#
# What it measures: the wall time of one `sealant pre-commit` process (start-up, reading
# the index and HEAD with gix, diffing, scanning the added lines, exit), as a commit would
# pay it, on the issue's fixture: a repository of 10,000 tracked files (200 directories,
# nested 2 levels, 20-40 line python-ish files) with 20 staged files (10 modified, 10 new)
# adding ~2,000 lines of ordinary code. It reports the median and the minimum over RUNS
# runs, next to `git diff --cached -U0` (what a shell hook would start from) and
# `sealant --version` (the process floor: exec, dynamic loading, clap).
#
# It builds nothing. Run it from the repository root:
#
#     cargo build --release && benches/precommit.sh target/release/sealant
#
# Options and environment:
#     $1             the sealant binary (default target/release/sealant)
#     --with-secret  afterwards, stage one more file holding a fake GitHub token generated
#                    at run time and check that the hook exits 1
#     RUNS=N         timed runs per case (default 31); 3 warm-up runs are not counted
#     DETECT_SECRETS_HOOK=PATH, RIPSECRETS=PATH
#                    also time these peers as the pre-commit framework runs them: on the
#                    staged files' names (they read each whole file; sealant reads only the
#                    added lines). E.g. pip install detect-secrets==1.5.0 into a venv, and
#                    cargo install ripsecrets --root DIR; both must pass the clean fixture
#     BENCH_TOOL=loop  use the bash timing loop even when hyperfine is installed
#     LOOSE=1        do not pack the committed history (every object stays a loose file)
#
# The fixture lives in a temporary directory, removed on exit, with git isolated from the
# user's and the system's configuration. The script fails (non-zero) if the hook reports
# anything on the clean fixture, or, with --with-secret, misses the fake token.

set -euo pipefail

usage() {
    echo "usage: $0 [--with-secret] [path/to/sealant]   (env: RUNS=31, BENCH_TOOL=loop)" >&2
    exit 2
}

with_secret=0
bin=""
for arg in "$@"; do
    case "$arg" in
        --with-secret) with_secret=1 ;;
        -h | --help) usage ;;
        -*) echo "error: unknown option $arg" >&2; usage ;;
        *)
            [[ -z "$bin" ]] || usage
            bin="$arg"
            ;;
    esac
done
bin="${bin:-target/release/sealant}"
runs="${RUNS:-31}"
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "error: RUNS must be a positive integer, got '$runs'" >&2; exit 2; }

if [[ ! -f "$bin" || ! -x "$bin" ]]; then
    echo "error: sealant binary '$bin' is missing or not executable" >&2
    echo "       build it first: cargo build --release && $0 target/release/sealant" >&2
    exit 2
fi
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
command -v git >/dev/null || { echo "error: git is not on PATH" >&2; exit 2; }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/sealant-bench.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# --- git, isolated ---------------------------------------------------------------------
mkdir -p "$tmp/home"
export HOME="$tmp/home"
export GIT_CONFIG_NOSYSTEM=1
export GIT_CONFIG_GLOBAL="$tmp/gitconfig"
cat >"$GIT_CONFIG_GLOBAL" <<'EOF'
[init]
	defaultBranch = main
[commit]
	gpgsign = false
[core]
	hooksPath = /dev/null
EOF
export GIT_AUTHOR_NAME="Bench Author" GIT_AUTHOR_EMAIL="author@bench.invalid"
export GIT_COMMITTER_NAME="Bench Committer" GIT_COMMITTER_EMAIL="committer@bench.invalid"
export GIT_AUTHOR_DATE="2024-01-01T00:00:00+0000" GIT_COMMITTER_DATE="2024-01-01T00:00:00+0000"
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES
# Nothing may turn the scan off or change its output between runs.
unset SEALANT_SKIP SKIP
export NO_COLOR=1
export LC_ALL=C

repo="$tmp/repo"
git -c init.defaultBranch=main init -q "$repo"
cd "$repo"

# --- 10,000 committed files: pkg00..pkg19/mod00..mod09/file_00..49.py ----------------------
echo "building the fixture in $repo ..." >&2
mkdir -p pkg{00..19}/mod{00..09}
awk 'BEGIN {
    srand(20240101)
    for (p = 0; p < 20; p++) for (m = 0; m < 10; m++) for (f = 0; f < 50; f++) {
        path = sprintf("pkg%02d/mod%02d/file_%02d.py", p, m, f)
        n = p * 500 + m * 50 + f
        print "\"\"\"pkg" p ".mod" m ".file_" f ": record helpers.\"\"\"" > path
        print "" > path
        print "import logging" > path
        print "from dataclasses import dataclass" > path
        print "" > path
        print "log = logging.getLogger(__name__)" > path
        print "" > path
        print "" > path
        print "@dataclass" > path
        print "class Record" n ":" > path
        print "    name: str" > path
        print "    size: int = " (n % 7) > path
        print "" > path
        print "    def scaled(self, factor: int) -> int:" > path
        print "        return self.size * factor" > path
        print "" > path
        print "" > path
        print "def load_" n "(items):" > path
        print "    out = [Record" n "(str(i), len(str(i))) for i in items if i is not None]" > path
        print "    log.debug(\"loaded %d records\", len(out))" > path
        print "    return out" > path
        extra = int(rand() * 5)   # 0..4 helpers of 4 lines: 21..37 lines a file
        for (j = 0; j < extra; j++) {
            print "" > path
            print "" > path
            print "def helper_" n "_" j "(value, offset=" j "):" > path
            print "    return (value + offset) % " (97 + j) > path
        }
        close(path)
    }
}'
git add -A
git commit -q -m "fixture: 10,000 files"
# History packed, as in a clone; the staged blobs below stay loose, as `git add` leaves them.
# LOOSE=1 keeps all 10,000 blobs and ~210 trees loose (slower for both sealant and git).
[[ "${LOOSE:-0}" == 1 ]] || git repack -adq

# --- 20 staged files, 100 added lines each: 10 modified, 10 new -------------------------
# block TAG K: K functions of 10 lines each (one leading blank line).
block() {
    awk -v tag="$1" -v k="$2" 'BEGIN {
        for (j = 0; j < k; j++) {
            print ""
            print "def transform_" tag "_" j "(rows, limit=" (j + 10) "):"
            print "    \"\"\"Keep the rows whose weight is under the limit, heaviest first.\"\"\""
            print "    kept = []"
            print "    for row in rows:"
            print "        weight = row.get(\"weight\", 0)"
            print "        if weight < limit:"
            print "            kept.append(row)"
            print "    kept.sort(key=lambda r: r.get(\"weight\", 0), reverse=True)"
            print "    return kept[:limit]"
        }
    }'
}
for i in $(seq 0 9); do
    # Modified: 50 lines inserted after line 6 and 50 appended (two hunks a file).
    f="pkg$(printf %02d $((i * 2)))/mod$(printf %02d "$i")/file_$(printf %02d $((i * 5))).py"
    {
        head -n 6 "$f"
        block "m${i}a" 5
        tail -n +7 "$f"
        block "m${i}b" 5
    } >"$f.new"
    mv "$f.new" "$f"
    # New: 100 lines.
    n="pkg$(printf %02d $((i * 2 + 1)))/mod$(printf %02d "$i")/pipeline_$i.py"
    block "n$i" 10 >"$n"
    git add -- "$f" "$n"
done

# Refresh the index once, as `git commit` does before running the hook.
git status >/dev/null

tracked=$(git ls-tree -r --name-only HEAD | wc -l)
staged=$(git diff --cached --numstat | wc -l)
added=$(git diff --cached --numstat | awk '{ s += $1 } END { print s + 0 }')

# --- the hook must pass the clean fixture -----------------------------------------------
set +e
hook_err="$("$bin" pre-commit 2>&1 >/dev/null)"
rc=$?
set -e
if [[ $rc -ne 0 ]]; then
    echo "error: '$bin pre-commit' exited $rc on the clean fixture (expected 0):" >&2
    printf '%s\n' "$hook_err" | head -n 40 >&2
    exit 1
fi

# --- timing ---------------------------------------------------------------------------
names=("sealant pre-commit" "git diff --cached -U0" "sealant --version")
cmds=(
    "$(printf '%q pre-commit' "$bin")"
    "git diff --cached -U0 --no-color --no-ext-diff"
    "$(printf '%q --version' "$bin")"
)
# Peers, as the pre-commit framework calls them: the staged files' names as arguments.
mapfile -t staged_files < <(git diff --cached --name-only --diff-filter=ACM)
peers=()
for peer in "${DETECT_SECRETS_HOOK:-}" "${RIPSECRETS:-}"; do
    [[ -n "$peer" ]] || continue
    [[ -x "$peer" ]] || { echo "error: peer '$peer' is not an executable" >&2; exit 2; }
    if ! "$peer" "${staged_files[@]}" >/dev/null 2>&1; then
        echo "error: '$peer' does not pass the clean fixture" >&2
        exit 1
    fi
    peers+=("$peer")
    names+=("$(basename "$peer") (staged files)")
    cmds+=("$(printf '%q' "$peer") ${staged_files[*]}")
done
medians=()
mins=()

if [[ "${BENCH_TOOL:-}" != loop ]] && command -v hyperfine >/dev/null; then
    tool="hyperfine $(hyperfine --version | awk '{ print $2 }')"
    # -N: no intermediate shell; hyperfine discards the commands' output and fails on a
    # non-zero exit.
    hf_args=(-N --style basic --warmup 3 --runs "$runs" --export-json "$tmp/hf.json")
    for k in "${!names[@]}"; do hf_args+=(-n "${names[$k]}" "${cmds[$k]}"); done
    hyperfine "${hf_args[@]}" >"$tmp/hf.log" 2>&1 || { cat "$tmp/hf.log" >&2; exit 1; }
    # One "median" and one "min" per result, in command order (seconds).
    mapfile -t medians < <(grep -o '"median": *[0-9.e+-]*' "$tmp/hf.json" | awk -F': *' '{ printf "%.2f\n", $2 * 1000 }')
    mapfile -t mins < <(grep -o '"min": *[0-9.e+-]*' "$tmp/hf.json" | awk -F': *' '{ printf "%.2f\n", $2 * 1000 }')
else
    tool="bash loop"
    # Microseconds now, into $stamp_us: $EPOCHREALTIME (bash 5, no fork) or date +%s%N.
    stamp() {
        if [[ -n "${EPOCHREALTIME:-}" ]]; then
            local t="${EPOCHREALTIME/[.,]/}"
            stamp_us=$((10#$t))
        else
            stamp_us=$(($(date +%s%N) / 1000))
        fi
    }
    # The same commands as cmds[], without word splitting.
    run_case() {
        case "$1" in
            0) "$bin" pre-commit ;;
            1) git diff --cached -U0 --no-color --no-ext-diff ;;
            2) "$bin" --version ;;
            *) "${peers[$(($1 - 3))]}" "${staged_files[@]}" ;;
        esac
    }
    for k in "${!names[@]}"; do
        for _ in 1 2 3; do run_case "$k" >/dev/null 2>&1; done
        samples=()
        for _ in $(seq "$runs"); do
            stamp; t0=$stamp_us
            run_case "$k" >/dev/null 2>&1 || { echo "error: '${cmds[$k]}' failed" >&2; exit 1; }
            stamp; t1=$stamp_us
            samples+=($((t1 - t0)))
        done
        read -r med mn < <(printf '%s\n' "${samples[@]}" | sort -n | awk '
            { v[NR] = $1 }
            END {
                m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
                printf "%.2f %.2f\n", m / 1000, v[1] / 1000
            }')
        medians+=("$med")
        mins+=("$mn")
    done
fi

echo
echo "fixture: $tracked tracked files, $staged staged files, $added added lines"
echo "runs: $runs per case (+3 warm-up), timer: $tool, history: $([[ "${LOOSE:-0}" == 1 ]] && echo loose || echo packed)"
printf '%-34s %10s %10s\n' "case" "median ms" "min ms"
for k in "${!names[@]}"; do
    printf '%-34s %10s %10s\n' "${names[$k]}" "${medians[$k]}" "${mins[$k]}"
done

# --- optional: a fake token must be caught -----------------------------------------------
if [[ $with_secret -eq 1 ]]; then
    alnum=ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789
    fake=""
    for _ in $(seq 36); do fake+="${alnum:RANDOM%62:1}"; done
    fake="ghp""_$fake"
    mkdir -p deploy
    printf 'import requests\n\nGITHUB_TOKEN = "%s"\n\n\ndef whoami():\n    return requests.get("https://api.github.com/user", headers={"Authorization": "token " + GITHUB_TOKEN})\n' \
        "$fake" >deploy/github_client.py
    git add deploy/github_client.py
    set +e
    hook_err="$("$bin" pre-commit 2>&1 >/dev/null)"
    rc=$?
    set -e
    echo
    if [[ $rc -ne 1 ]]; then
        echo "--with-secret: FAIL: '$bin pre-commit' exited $rc with a fake GitHub token staged (expected 1)" >&2
        printf '%s\n' "$hook_err" | head -n 40 >&2
        exit 1
    fi
    echo "--with-secret: ok, the hook exited 1 on a staged fake GitHub token (deploy/github_client.py):"
    printf '%s\n' "$hook_err" | head -n 12 | sed 's/^/    | /'
fi

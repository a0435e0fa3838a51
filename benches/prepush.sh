#!/usr/bin/env bash
# benches/prepush.sh: whole-process latency of the pre-push guard on a 100-commit push.
#
# Fixture: a repository of 2,000 tracked files whose `main` is on a bare remote, then 100 new
# local commits, each changing 3 files (about 30 added lines a commit, 3,000 in all, no
# secrets). Measured: `sealant pre-push origin <url>` fed the exact line git would write
# (it walks the 100 commits, diffs each against its parent, scans the added lines), next to
# `git log -p -U0 origin/main..main` (the patch text a shell-based hook would start from), and
# a full-history scan (`sealant scan --history`, the base commit's 2,000 files included) next
# to `git log -p --all`.
#
#     cargo build --release && benches/prepush.sh target/release/sealant
#
# RUNS=N changes the number of timed runs (default 21). git is isolated from the user's
# configuration; the fixture is removed on exit.
set -euo pipefail

bin="${1:-target/release/sealant}"
[[ -x "$bin" ]] || { echo "error: $bin is not an executable (build it: cargo build --release)" >&2; exit 2; }
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
runs="${RUNS:-21}"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/sealant-prepush.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

export HOME="$tmp/home" GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL="$tmp/home/.gitconfig"
export GIT_AUTHOR_NAME=Ada GIT_AUTHOR_EMAIL=ada@example.invalid GIT_COMMITTER_NAME=Ada GIT_COMMITTER_EMAIL=ada@example.invalid
unset SEALANT_SKIP SKIP GIT_DIR GIT_INDEX_FILE GIT_WORK_TREE
mkdir -p "$HOME" && : > "$GIT_CONFIG_GLOBAL"
g() { git -c init.defaultBranch=main -c commit.gpgsign=false "$@"; }

g init -q --bare "$tmp/remote.git"
g init -q "$tmp/repo"
cd "$tmp/repo"
for d in $(seq -w 0 39); do
    mkdir -p "pkg$d"
    for f in $(seq -w 0 49); do
        printf 'def f_%s_%s(x):\n    return x + %s\n\nVALUE = "%s-%s"\n' "$d" "$f" "$f" "$d" "$f" > "pkg$d/mod$f.py"
    done
done
g add -A && g commit -q -m base
g remote add origin "$tmp/remote.git"
g push -q origin main
for c in $(seq 1 100); do
    for k in 0 1 2; do
        file="pkg$(printf %02d $(( (c * 7 + k * 13) % 40 )))/mod$(printf %02d $(( (c * 3 + k) % 50 ))).py"
        for l in $(seq 1 10); do
            printf 'def added_%s_%s_%s(items):\n' "$c" "$k" "$l" >> "$file"
        done
        g add "$file"
    done
    g commit -q -m "change $c"
done
line="refs/heads/main $(g rev-parse main) refs/heads/main $(g rev-parse origin/main)"
echo "$line" > "$tmp/stdin"
commits=$(g rev-list --count origin/main..main)
added=$(g log -p -U0 --format= origin/main..main | grep -c '^+[^+]' || true)

"$bin" pre-push origin "$tmp/remote.git" < "$tmp/stdin" || { echo "error: the hook blocked the clean fixture" >&2; exit 1; }

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
time_cmd() {
    local out=()
    for _ in 1 2 3; do eval "$1" > /dev/null 2>&1; done
    for _ in $(seq "$runs"); do
        local s e
        s=$(date +%s%N); eval "$1" > /dev/null 2>&1; e=$(date +%s%N)
        out+=("$(( (e - s) / 1000 ))")
    done
    printf '%s\n' "${out[@]}" | median | awk '{printf "%.1f", $1 / 1000}'
}

echo "fixture: $(g ls-files | wc -l) tracked files, $commits commits to push, $added added lines"
printf '%-44s %10s\n' "case" "median ms"
printf '%-44s %10s\n' "sealant pre-push (100 commits)" "$(time_cmd "'$bin' pre-push origin '$tmp/remote.git' < '$tmp/stdin'")"
printf '%-44s %10s\n' "git log -p -U0 origin/main..main" "$(time_cmd "git log -p -U0 origin/main..main")"
printf '%-44s %10s\n' "sealant scan --history (101 commits, all cores)" "$(time_cmd "'$bin' scan --history")"
printf '%-44s %10s\n' "git log -p --all" "$(time_cmd "git log -p --all")"
printf '%-44s %10s\n' "sealant --version" "$(time_cmd "'$bin' --version")"

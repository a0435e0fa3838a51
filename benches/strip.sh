#!/usr/bin/env bash
# Benchmark of notebook stripping: sealant against nbstripout and nbstripout-fast, measured
# side by side in the same run with hyperfine.
#
#   1. one 50 MB notebook stripped in place (each tool on a fresh copy every run);
#   2. one small notebook stripped in place (process start-up dominates);
#   3. 500 small notebooks through `git add` with each tool as the clean filter: sealant as
#      a long-running `filter.<driver>.process`, the others as `filter.<driver>.clean`, and
#      `cat` as the clean filter (the floor of any one-process-per-file filter).
#
# Usage:
#   cargo build --release && benches/strip.sh target/release/sealant
#
# Needs git, hyperfine and python3. nbstripout 0.9.1 and nbstripout-fast are installed from
# PyPI into a throwaway virtualenv ($NB_VENV, default /tmp/sealant-bench-venv) if missing.
# nbstripout through `git add` takes minutes per run: NBSTRIPOUT_GIT_RUNS (default 1) sets
# how many (0 skips it); RUNS (default 10) is the count for everything else. The end prints
# a table of medians.
set -euo pipefail

SEALANT=$(realpath "${1:?usage: benches/strip.sh path/to/sealant}")
VENV=${NB_VENV:-/tmp/sealant-bench-venv}
RUNS=${RUNS:-10}
NBSTRIPOUT_GIT_RUNS=${NBSTRIPOUT_GIT_RUNS:-1}
COUNT=${COUNT:-500}

command -v hyperfine >/dev/null || { echo "benches/strip.sh: hyperfine is required" >&2; exit 1; }
if [ ! -x "$VENV/bin/nbstripout" ] || [ ! -x "$VENV/bin/nbstripout-fast" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q nbstripout==0.9.1 nbstripout-fast==1.1.2
fi
NBSTRIPOUT="$VENV/bin/nbstripout"
FAST="$VENV/bin/nbstripout-fast"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sealant-strip-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# Git isolated from the machine's configuration.
export HOME="$WORK/home" GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL="$WORK/home/.gitconfig"
mkdir -p "$HOME" && : > "$GIT_CONFIG_GLOBAL"
unset GIT_DIR GIT_INDEX_FILE GIT_WORK_TREE

"$VENV/bin/python" - "$WORK" "$COUNT" <<'PY'
import base64, json, os, random, sys
work, count = sys.argv[1], int(sys.argv[2])
rng = random.Random(7)

def cell(i, outputs):
    return {"cell_type": "code", "execution_count": i + 1, "id": f"c{i}", "metadata": {"scrolled": True},
            "outputs": outputs, "source": [f"df_{i} = load({i})\n", f"df_{i}.describe()"]}

def outputs(i, big):
    png = base64.b64encode(rng.randbytes(12_000 if big else 600)).decode()
    rows = "".join(f"<tr><td>{r}</td><td>{rng.random():.6f}</td></tr>\n" for r in range(40 if big else 3))
    return [
        {"name": "stdout", "output_type": "stream", "text": [f"step {k}: loss={rng.random():.5f}\n" for k in range(60 if big else 3)]},
        {"data": {"image/png": png, "text/plain": ["<Figure size 640x480 with 1 Axes>"]}, "metadata": {}, "output_type": "display_data"},
        {"data": {"text/html": [f"<table>\n{rows}</table>"], "text/plain": [f"frame {i}"]}, "execution_count": i + 1,
         "metadata": {}, "output_type": "execute_result"},
    ]

def notebook(cells):
    return {"cells": cells, "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
            "nbformat": 4, "nbformat_minor": 5}

big = notebook([cell(i, outputs(i, True)) for i in range(2550)])
with open(os.path.join(work, "big.ipynb"), "w") as f:
    json.dump(big, f, indent=1, sort_keys=True, ensure_ascii=False)
    f.write("\n")
with open(os.path.join(work, "small.ipynb"), "w") as f:
    json.dump(notebook([cell(i, outputs(i, False)) for i in range(8)]), f, indent=1, sort_keys=True)
    f.write("\n")
repo = os.path.join(work, "repo", "nb")
os.makedirs(repo)
for n in range(count):
    with open(os.path.join(repo, f"n{n:03}.ipynb"), "w") as f:
        json.dump(notebook([cell(i, outputs(i + n, False)) for i in range(6)]), f, indent=1, sort_keys=True)
        f.write("\n")
PY

echo "big notebook: $(du -m "$WORK/big.ipynb" | cut -f1) MB; $COUNT small notebooks of $(du -k "$WORK/repo/nb/n000.ipynb" | cut -f1) KB"

# The three tools must agree on the bytes before their speed means anything.
cp "$WORK/big.ipynb" "$WORK/a.ipynb" && "$SEALANT" strip "$WORK/a.ipynb"
"$NBSTRIPOUT" < "$WORK/big.ipynb" > "$WORK/b.ipynb"
cmp "$WORK/a.ipynb" "$WORK/b.ipynb" && echo "sealant output == nbstripout output (50 MB notebook)"

cd "$WORK"
hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$WORK/big.json" \
    --prepare "cp big.ipynb work.ipynb" \
    -n "sealant strip" "$SEALANT strip work.ipynb" \
    -n "nbstripout-fast" "$FAST work.ipynb" \
    -n "nbstripout" "$NBSTRIPOUT work.ipynb"
hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$WORK/small.json" \
    --prepare "cp small.ipynb work.ipynb" \
    -n "sealant strip" "$SEALANT strip work.ipynb" \
    -n "nbstripout-fast" "$FAST work.ipynb" \
    -n "nbstripout" "$NBSTRIPOUT work.ipynb"

cd "$WORK/repo"
git init -q . && echo '*.ipynb filter=nb' > .gitattributes
add() { echo "git -c $1 add ."; }
hyperfine --warmup 1 --runs "$RUNS" --export-json "$WORK/git-fast.json" --prepare "rm -f .git/index" \
    -n "sealant filter-process" "$(add "filter.nb.process='$SEALANT filter-process'")" \
    -n "nbstripout-fast (clean)" "$(add "filter.nb.clean='$FAST'")" \
    -n "cat (clean)" "$(add "filter.nb.clean=cat")"
git -c "filter.nb.process=$SEALANT filter-process" add .
git cat-file -p :nb/n000.ipynb | grep -q '"outputs": \[\]' && echo "the filter staged stripped notebooks"
if [ "$NBSTRIPOUT_GIT_RUNS" -gt 0 ]; then
    hyperfine --runs "$NBSTRIPOUT_GIT_RUNS" --export-json "$WORK/git-nbstripout.json" --prepare "rm -f .git/index" \
        -n "nbstripout (clean)" "$(add "filter.nb.clean='$NBSTRIPOUT'")"
fi

echo
echo "## Medians (load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?'))"
python3 - "$WORK" <<'PY'
import glob, json, os, statistics, sys
names = {"big": "50 MB notebook, in place", "small": "small notebook, in place",
         "git-fast": f"git add of the notebooks", "git-nbstripout": "git add of the notebooks"}
for stem in ["big", "small", "git-fast", "git-nbstripout"]:
    path = os.path.join(sys.argv[1], stem + ".json")
    if not os.path.exists(path):
        continue
    for r in json.load(open(path))["results"]:
        times = r["times"]
        print(f"| {names[stem]} | {r['command']} | {statistics.median(times) * 1000:.1f} ms | {min(times) * 1000:.1f} ms | {len(times)} |")
PY

#!/usr/bin/env python3
"""Regenerates the nbstripout byte-compatibility fixtures.

Writes varied input notebooks to inputs/, runs the real nbstripout (stdin -> stdout, the
git-filter path, which always writes canonical output) with each option set of CASES, and
stores what it printed in expected/<case>/<name>.ipynb. manifest.tsv records, per case and
notebook, whether `nbstripout --verify` says the file would change (1/0), or `error` when
nbstripout refuses the notebook, or `random` when its output is not deterministic (ids
nbformat invents at random), which the Rust test then skips.

    python3 -m venv /tmp/nbvenv && /tmp/nbvenv/bin/pip install nbstripout==0.9.1
    /tmp/nbvenv/bin/python crates/notebook/tests/nbstripout/generate.py

`cargo test` reads only the files; it never needs Python.
"""

import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
NBSTRIPOUT = [sys.executable, "-m", "nbstripout"]

CASES = {
    "default": [],
    "keep-output": ["--keep-output"],
    "keep-count": ["--keep-count"],
    "keep-id": ["--keep-id"],
    "keep-output-count": ["--keep-output", "--keep-count"],
    "extra-keys": ["--extra-keys", "metadata.kernelspec cell.metadata.tags cell.attachments bogus"],
    "keep-metadata-keys": ["--keep-metadata-keys", "cell.metadata.scrolled metadata.widgets"],
    "drop-empty-cells": ["--drop-empty-cells"],
    "drop-tagged-cells": ["--drop-tagged-cells", "drop"],
    "strip-init-cells": ["--strip-init-cells"],
    "max-size": ["--max-size", "40"],
    "keep-output-type": ["--keep-output-type", "stream"],
    "keep-output-type-name": ["--keep-output-type", "stream:stderr", "error"],
    "drop-output-type": ["--keep-output", "--drop-output-type", "error", "stream:stdout"],
}

# Cases where sealant deliberately differs from nbstripout (README.md lists them).
DIVERGES = {("drop-empty-cells", "v3-worksheets")}


def md(source, **extra):
    cell = {"cell_type": "markdown", "metadata": extra.pop("metadata", {}), "source": source}
    cell.update(extra)
    return cell


def code(source, outputs=(), count=None, **extra):
    cell = {
        "cell_type": "code",
        "execution_count": count,
        "metadata": extra.pop("metadata", {}),
        "outputs": list(outputs),
        "source": source,
    }
    cell.update(extra)
    return cell


def stream(text, name="stdout"):
    return {"name": name, "output_type": "stream", "text": text}


def result(data, count=1, metadata=None):
    return {"data": data, "execution_count": count, "metadata": metadata or {}, "output_type": "execute_result"}


def display(data):
    return {"data": data, "metadata": {}, "output_type": "display_data"}


def error(ename, evalue, traceback):
    return {"ename": ename, "evalue": evalue, "output_type": "error", "traceback": traceback}


def nb(cells, minor=4, metadata=None):
    return {
        "cells": cells,
        "metadata": metadata if metadata is not None else {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python", "version": "3.11.7"},
        },
        "nbformat": 4,
        "nbformat_minor": minor,
    }


PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==\n"


def all_outputs(minor):
    ids = minor >= 5
    def withid(cell, i):
        if ids:
            cell["id"] = i
        return cell
    return nb([
        withid(md(["# Results\n", "\n", "Unicode: ünïcødé — 日本語 🚀 \u2028 end"]), "intro"),
        withid(code(["import numpy as np\n", "print('hi')"], [
            stream(["hi\n", "there\n"]),
            stream("warning: careful\r\nsecond\n", "stderr"),
            result({"text/plain": ["array([1, 2, 3])"], "text/html": ["<b>x</b>\n", "<i>y</i>"]}, 3),
            display({"image/png": PNG, "text/plain": ["<Figure size 640x480 with 1 Axes>"],
                     "application/json": {"a": [1, 2.5, None, True], "b": {"nested": "ü"}},
                     "application/vnd.custom+json": ["x", "y"],
                     "image/svg+xml": ["<svg>\n", "</svg>"], "application/javascript": "alert(1)\nalert(2)"}),
            error("ValueError", "bad value", ["\u001b[0;31mValueError\u001b[0m: bad", "Traceback line 2"]),
        ], count=3, metadata={"scrolled": True, "ExecuteTime": {"end_time": "2026-01-01T00:00:00Z"},
                              "execution": {"iopub.execute_input": "2026"}, "collapsed": False}), "c1"),
        withid(code("x = 1", [], count=4, metadata={"jupyter": {"outputs_hidden": True}}), "c2"),
        withid(md("", metadata={"tags": ["drop"]}), "empty"),
        withid(code("   \n\t", [stream("ws\n")], count=5), "blank"),
        withid(code("keep()", [stream("kept\n"), result({"text/plain": "1"}, 6)], count=6,
                    metadata={"tags": ["keep_output", "other"]}), "tagged"),
        withid(code("init()", [stream("init output\n")], count=7, metadata={"init_cell": True}), "init"),
        withid(code("meta_keep()", [stream("meta kept\n")], count=8, metadata={"keep_output": True}), "mk"),
        withid(code("meta_nokeep()", [stream("gone\n")], count=9, metadata={"keep_output": False}), "mnk"),
        withid(code("dropme()", [stream("dropped\n")], count=10, metadata={"tags": ["drop"]}), "dropme"),
        withid(md("![img](attachment:a.png)", attachments={"a.png": {"image/png": PNG}},
                  metadata={"hidden": True, "heading_collapsed": True}), "att"),
    ], minor=minor, metadata={
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "widgets": {"application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2}},
        "signature": "sha256:0123", "orig_nbformat": 3, "toc": {"number_sections": True},
    })


def numbers():
    return nb([code("3.14", [result({"text/plain": "3.14"}, 1, metadata={
        "floats": [0.1, 100.0, 1e-05, 2.5e-07, 1e16, 1e15, 1.5e300, 5e-324, -0.0, 1 / 3, 123456.789],
        "ints": [0, -1, 12345678901234567890123456789, -98765432109876543210],
        "specials": [float("nan"), float("inf"), float("-inf")],
    })], count=1)], metadata={"language_info": {"name": "python"}, "big": 2 ** 70})


def v3():
    return {
        "metadata": {"name": "old", "signature": "sha256:abc"},
        "nbformat": 3,
        "nbformat_minor": 0,
        "orig_nbformat": 2,
        "worksheets": [{
            "cells": [
                {"cell_type": "heading", "level": 1, "metadata": {}, "source": ["Title"]},
                {"cell_type": "markdown", "metadata": {"trusted": True}, "source": ["line a\n", "line b"]},
                {"cell_type": "code", "collapsed": False, "input": ["x = 'ünï'\n", "print(x)"], "language": "python",
                 "metadata": {"scrolled": True}, "outputs": [
                     {"output_type": "stream", "stream": "stdout", "text": ["ünï\n"]},
                     {"output_type": "pyout", "prompt_number": 2, "text": ["'ünï'"], "html": ["<b>ü</b>"],
                      "metadata": {}},
                     {"output_type": "pyerr", "ename": "E", "evalue": "v", "traceback": ["tb"]},
                 ], "prompt_number": 2, "trusted": True},
                {"cell_type": "code", "input": [], "language": "python", "metadata": {}, "outputs": [],
                 "prompt_number": None},
                {"cell_type": "code", "input": "joined\nwithout ends", "language": "python", "metadata": {},
                 "outputs": [{"output_type": "display_data", "png": PNG, "text": ["a", "b"]}]},
            ],
            "metadata": {},
        }],
    }


def write_json(path, obj, **kwargs):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(json.dumps(obj, **kwargs))


def write_inputs(inputs):
    for minor in range(0, 6):
        write_json(f"{inputs}/v4.{minor}-outputs.ipynb", all_outputs(minor), indent=1, sort_keys=True,
                   ensure_ascii=False)
    # Unsorted keys, two-space indent, escaped non-ASCII: a foreign writer.
    write_json(f"{inputs}/unsorted-ascii.ipynb", all_outputs(4), indent=2, ensure_ascii=True)
    # CRLF line endings, no final newline.
    text = json.dumps(all_outputs(5), indent=1, sort_keys=True, ensure_ascii=False).replace("\n", "\r\n")
    with open(f"{inputs}/crlf.ipynb", "w", encoding="utf-8", newline="") as f:
        f.write(text)
    # Compact JSON on one line.
    write_json(f"{inputs}/compact.ipynb", all_outputs(5), separators=(",", ":"))
    write_json(f"{inputs}/numbers.ipynb", numbers(), indent=1, sort_keys=True)
    # Numbers as a foreign writer spells them.
    with open(f"{inputs}/number-spellings.ipynb", "w", encoding="utf-8", newline="") as f:
        f.write('{"cells": [], "metadata": {"n": [1E+2, 1e-7, 0.50, -0, 10000000000000000000000.0, 1.0e0],'
                ' "s": "\\u00e4\\/\\ud83d\\ude80\\u0001\\u007f"}, "nbformat": 4, "nbformat_minor": 5}\n')
    write_json(f"{inputs}/v3-worksheets.ipynb", v3(), indent=1, sort_keys=True)
    # 4.5 cells without ids, and a duplicate id: nbformat invents random ones.
    missing = all_outputs(5)
    for cell in missing["cells"][:3]:
        del cell["id"]
    missing["cells"][4]["id"] = "c1"
    write_json(f"{inputs}/v4.5-missing-ids.ipynb", missing, indent=1)
    clean = nb([md("clean"), code("x = 1")], minor=4)
    write_json(f"{inputs}/clean.ipynb", clean, indent=1, sort_keys=True, ensure_ascii=False)
    # Clean but not canonical: stdin mode canonicalises, in-place mode leaves it alone.
    write_json(f"{inputs}/clean-noncanonical.ipynb", clean, indent=4)
    keep_nb = nb([code("a", [stream("kept by notebook metadata\n")], count=1),
                  code("b", [stream("but not here\n")], count=2, metadata={"keep_output": False})],
                 metadata={"keep_output": True})
    write_json(f"{inputs}/notebook-keep-output.ipynb", keep_nb, indent=1)
    contradiction = nb([code("c", [stream("x\n")], count=1,
                             metadata={"keep_output": False, "tags": ["keep_output"]})])
    write_json(f"{inputs}/contradiction.ipynb", contradiction, indent=1)
    lines = nb([md(["no line ends", " in this list"]), code(["a\rb\u000bc\u000cd\u001ce\u0085f\n"], [
        stream(["x\u2029y"]), display({"text/plain": "p\nq", "text/markdown": ["m1\n", "m2"],
                                      "image/png": ["iVBOR\n", "w0K"]})], count=1)])
    write_json(f"{inputs}/line-breaks.ipynb", lines, indent=1, ensure_ascii=False)


def main():
    inputs = os.path.join(HERE, "inputs")
    expected = os.path.join(HERE, "expected")
    for d in (inputs, expected):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    write_inputs(inputs)
    rows = []
    for case, args in CASES.items():
        os.makedirs(os.path.join(expected, case))
        for name in sorted(os.listdir(inputs)):
            stem = name[: -len(".ipynb")]
            path = os.path.join(inputs, name)
            if (case, stem) in DIVERGES:
                rows.append((case, stem, "diverges", json.dumps(args)))
                continue
            runs = []
            for _ in range(2):
                with open(path, "rb") as f:
                    runs.append(subprocess.run(NBSTRIPOUT + args, stdin=f, capture_output=True))
            if runs[0].returncode != 0:
                rows.append((case, stem, "error", json.dumps(args)))
                continue
            if runs[0].stdout != runs[1].stdout:
                rows.append((case, stem, "random", json.dumps(args)))
                continue
            verify = subprocess.run(NBSTRIPOUT + args + ["--verify", path], capture_output=True)
            with open(os.path.join(expected, case, name), "wb") as f:
                f.write(runs[0].stdout)
            rows.append((case, stem, "1" if verify.returncode else "0", json.dumps(args)))
    with open(os.path.join(HERE, "manifest.tsv"), "w", encoding="utf-8") as f:
        f.write("# case\tnotebook\tverify (1 changed, 0 clean, error, random, diverges)\targs (JSON)\n")
        for row in rows:
            f.write("\t".join(row) + "\n")


if __name__ == "__main__":
    main()

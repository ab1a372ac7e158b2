#!/usr/bin/env python3
"""Writes a project of trivial models for the per-node overhead benchmark: N views or N small tables in
layers of 50, each model of a layer reading one model of the layer before through ref(), so the DAG has
the shape of a real project while each statement costs DuckDB next to nothing.
Usage: gen_run_project.py <views|tables> <count> <dir>"""
import os
import sys

kind, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
mat = "view" if kind == "views" else "table"
os.makedirs(f"{out}/models", exist_ok=True)
open(f"{out}/project.yml", "w").write("name: runbench\nprofile: runbench\n")
open(f"{out}/profiles.yml", "w").write(
    "runbench:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: target/bench.duckdb\n"
    "      schema: main\n      threads: 1\n")
width = 50
for i in range(n):
    layer, pos = divmod(i, width)
    if layer == 0:
        body = f"select range as id, range * {i} as amount from range(10)" if mat == "table" else f"select {i} as id, {i} * 10 as amount"
    else:
        body = f"select id, amount + 1 as amount from {{{{ ref('m{(layer - 1) * width + pos:05d}') }}}}"
    open(f"{out}/models/m{i:05d}.sql", "w").write(f"{{{{ config(materialized='{mat}') }}}}\n{body}\n")

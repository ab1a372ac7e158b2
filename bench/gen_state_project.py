#!/usr/bin/env python3
"""Writes a project for the unchanged re-build benchmark: N models in layers of 50, the even layers tables and
the odd ones views, each model of a layer reading one model of the layer before through ref(), and one
not_null test per model (N data tests).
Usage: gen_state_project.py <count> <dir>"""
import os
import sys

n, out = int(sys.argv[1]), sys.argv[2]
os.makedirs(f"{out}/models", exist_ok=True)
open(f"{out}/project.yml", "w").write("name: statebench\nprofile: statebench\n")
open(f"{out}/profiles.yml", "w").write(
    "statebench:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: target/bench.duckdb\n"
    "      schema: main\n      threads: 2\n")
width = 50
schema = ["version: 2", "models:"]
for i in range(n):
    layer, pos = divmod(i, width)
    mat = "table" if layer % 2 == 0 else "view"
    if layer == 0:
        body = f"select range as id, range * {i} as amount from range(10)"
    else:
        body = f"select id, amount + 1 as amount from {{{{ ref('m{(layer - 1) * width + pos:05d}') }}}}"
    open(f"{out}/models/m{i:05d}.sql", "w").write(f"{{{{ config(materialized='{mat}') }}}}\n{body}\n")
    schema += [f"  - name: m{i:05d}", "    columns:", "      - name: id", "        data_tests: [not_null]"]
open(f"{out}/models/schema.yml", "w").write("\n".join(schema) + "\n")

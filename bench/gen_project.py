#!/usr/bin/env python3
"""Writes a synthetic project of N models for the compile benchmark: layers of models, each reading two
models of the layer before through ref(), with a macro call, a var and a schema file with tests."""
import os
import sys

n = int(sys.argv[1])
out = sys.argv[2]
os.makedirs(f"{out}/models", exist_ok=True)
os.makedirs(f"{out}/macros", exist_ok=True)
open(f"{out}/project.yml", "w").write("name: bench\nprofile: bench\nvars:\n  factor: 2\n")
# A profile of its own (pass --profiles-dir <dir>): an embedded DuckDB file, never opened by compile or ls.
open(f"{out}/profiles.yml", "w").write("bench:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n"
                                       "      path: target/bench.duckdb\n      schema: main\n      threads: 2\n")
open(f"{out}/macros/double.sql", "w").write("{% macro double(x) %}({{ x }} * {{ var('factor') }}){% endmacro %}\n")
width = 50
yml = ["version: 2", "models:"]
for i in range(n):
    layer, pos = divmod(i, width)
    folder = f"{out}/models/layer_{layer:04d}"
    os.makedirs(folder, exist_ok=True)
    if layer == 0:
        body = f"select {i} as id, {i} * 10 as amount"
    else:
        a = (layer - 1) * width + pos
        b = (layer - 1) * width + (pos + 1) % width
        body = (f"select a.id, {{{{ double('a.amount') }}}} + b.amount as amount\n"
                f"from {{{{ ref('m{a:05d}') }}}} a\njoin {{{{ ref('m{b:05d}') }}}} b on a.id = b.id")
    mat = "table" if pos % 5 == 0 else "view"
    open(f"{folder}/m{i:05d}.sql", "w").write(f"{{{{ config(materialized='{mat}') }}}}\n{body}\n")
    yml += [f"  - name: m{i:05d}", "    columns:", "      - name: id", "        tests: [not_null]"]
open(f"{out}/models/schema.yml", "w").write("\n".join(yml) + "\n")

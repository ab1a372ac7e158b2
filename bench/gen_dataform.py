#!/usr/bin/env python3
"""Writes the Dataform equivalent of gen_project.py's project: the same layers of models, each reading two
models of the layer before through ref(), calling a JavaScript include (the macro) that reads a project var,
with one non-null assertion per model. Usage: gen_dataform.py <count> <dir>"""
import os
import sys

n, out = int(sys.argv[1]), sys.argv[2]
os.makedirs(f"{out}/definitions", exist_ok=True)
os.makedirs(f"{out}/includes", exist_ok=True)
open(f"{out}/workflow_settings.yaml", "w").write(
    "defaultProject: bench\ndefaultLocation: US\ndefaultDataset: bench\ndefaultAssertionDataset: bench_assertions\n"
    "vars:\n  factor: \"2\"\n")
open(f"{out}/package.json", "w").write('{"name": "bench", "dependencies": {"@dataform/core": "*"}}\n')
open(f"{out}/includes/macros.js", "w").write(
    "function double(x) {\n  return `(${x} * ${dataform.projectConfig.vars.factor})`;\n}\nmodule.exports = { double };\n")
width = 50
for i in range(n):
    layer, pos = divmod(i, width)
    folder = f"{out}/definitions/layer_{layer:04d}"
    os.makedirs(folder, exist_ok=True)
    if layer == 0:
        body = f"select {i} as id, {i} * 10 as amount"
    else:
        a = (layer - 1) * width + pos
        b = (layer - 1) * width + (pos + 1) % width
        body = (f"select a.id, ${{macros.double('a.amount')}} + b.amount as amount\n"
                f"from ${{ref('m{a:05d}')}} a\njoin ${{ref('m{b:05d}')}} b on a.id = b.id")
    mat = "table" if pos % 5 == 0 else "view"
    open(f"{folder}/m{i:05d}.sqlx", "w").write(
        f'config {{ type: "{mat}", assertions: {{ nonNull: ["id"] }} }}\n{body}\n')

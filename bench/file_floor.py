#!/usr/bin/env python3
"""The file system's own cost of a compile's outputs: creating as many small files as a compile writes (one
compiled file per model and per test: 20,000 for bench/gen_project.py's 10,000 models), with nothing else done.

A compile cannot be faster than writing its outputs; this measures that floor on the machine, in one process
or split over several (as the engine's compile threads split it), in folders of 1,000 files as the generated
projects' layers are.

Usage: bench/file_floor.py <files> [processes] [base folder]   (defaults: 1 process, /tmp)
Prints wall seconds and the processes' user and system CPU. The files are deleted at the end unless KEEP=1: on
ext4 without a journal, inodes freed in the last minute(s) make the next creations slower (see bench/README.md),
so with several runs in a row keep them (KEEP=1) and delete the folders after the last.
"""
import multiprocessing
import os
import shutil
import sys
import tempfile
import time

BODY = "select a.id, b.value\nfrom main.layer_a as a\njoin main.layer_b as b on a.id = b.id\n"


def write(root, first, count, per_folder=1000):
    for i in range(first, first + count):
        folder = os.path.join(root, "d%05d" % (i // per_folder))
        if i % per_folder == 0 or i == first:
            os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "f%07d.sql" % i), "w") as f:
            f.write(BODY)


def main():
    files = int(sys.argv[1])
    procs = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    base = sys.argv[3] if len(sys.argv) > 3 else "/tmp"
    root = tempfile.mkdtemp(prefix="file-floor-", dir=base)
    try:
        share = -(-files // procs)
        # Each process starts on a folder boundary, so no two write into one folder.
        share = -(-share // 1000) * 1000
        jobs = [multiprocessing.Process(target=write, args=(root, p * share, min(share, files - p * share)))
                for p in range(procs) if p * share < files]
        before = os.times()
        start = time.monotonic()
        for j in jobs:
            j.start()
        for j in jobs:
            j.join()
            if j.exitcode != 0:
                sys.exit("a writer failed with exit code %d" % j.exitcode)
        wall = time.monotonic() - start
        after = os.times()
        written = sum(len(fs) for _, _, fs in os.walk(root))
        if written != files:
            sys.exit("wrote %d files, expected %d" % (written, files))
        user = after.children_user - before.children_user
        system = after.children_system - before.children_system
        print("%d files, %d process(es), %s: %.2f s wall, %.2f s user, %.2f s system"
              % (files, len(jobs), base, wall, user, system))
    finally:
        if os.environ.get("KEEP") != "1":
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()

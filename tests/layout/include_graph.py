#!/usr/bin/python3
"""The include graph between the folders of grader/ (one node per folder: spec, catalogue, engine, findings,
grading, report, ...) must have no cycle, and sandbox/ must include nothing of grader/: data flows one way,
Submission -> Build -> Run -> Events -> Findings -> Grade -> Report, and nothing downstream is included upstream.

usage: include_graph.py ROOT        check ROOT's tree; print the graph; exit 1 naming a cycle's edges
       include_graph.py --self-test the check itself finds a planted cycle and a sandbox -> grader include
"""
import os
import re
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def folder_of(root, path):
    """grader/engine/build.cpp -> 'engine'; grader/runtime_files.cpp -> '(grader)'; sandbox/... -> 'sandbox'."""
    rel = os.path.relpath(path, root).split(os.sep)
    if rel[0] == "grader":
        return rel[1] if len(rel) > 2 else "(grader)"
    return rel[0]


def resolve(root, including, name):
    """Where an #include "NAME" in INCLUDING lands, as the build's include path finds it, or None (system)."""
    for base in (os.path.dirname(including), os.path.join(root, "grader"), os.path.join(root, "sandbox")):
        candidate = os.path.normpath(os.path.join(base, name))
        if os.path.isfile(candidate):
            return candidate
    return None


def graph(root):
    edges = {}  # (from, to) -> an example "file: #include"
    for top in ("grader", "sandbox"):
        for d, dirs, files in os.walk(os.path.join(root, top)):
            dirs[:] = [x for x in dirs if x != "node_modules"]
            for f in files:
                if not f.endswith((".cpp", ".hpp", ".h", ".c")):
                    continue
                path = os.path.join(d, f)
                with open(path, encoding="utf-8", errors="replace") as fh:
                    text = fh.read()
                for name in INCLUDE.findall(text):
                    target = resolve(root, path, name)
                    if not target:
                        continue
                    a, b = folder_of(root, path), folder_of(root, target)
                    if a != b:
                        edges.setdefault((a, b), f"{os.path.relpath(path, root)}: #include \"{name}\"")
    return edges


def find_cycle(edges):
    nodes = sorted({n for e in edges for n in e})
    out = {n: sorted(b for a, b in edges if a == n) for n in nodes}
    state, stack = {}, []

    def visit(n):
        state[n] = "open"
        stack.append(n)
        for m in out[n]:
            if state.get(m) == "open":
                return stack[stack.index(m):] + [m]
            if m not in state:
                found = visit(m)
                if found:
                    return found
        state[n] = "done"
        stack.pop()
        return None

    for n in nodes:
        if n not in state:
            found = visit(n)
            if found:
                return found
    return None


def check(root, quiet=False):
    edges = graph(root)
    problems = []
    for (a, b), example in sorted(edges.items()):
        if a == "sandbox" and b != "sandbox":
            problems.append(f"sandbox/ includes grader/{b}: {example} (the sandbox knows nothing of grading)")
    cycle = find_cycle({e: v for e, v in edges.items() if e[0] != "sandbox"})
    if cycle:
        problems.append("a cycle between grader/'s folders: " + " -> ".join(cycle))
        for a, b in zip(cycle, cycle[1:]):
            problems.append(f"  {a} -> {b}: {edges[(a, b)]}")
    if not quiet:
        for a in sorted({a for a, _ in edges}):
            print(f"{a} -> {', '.join(sorted(b for x, b in edges if x == a))}")
    return problems


def write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as fh:
        fh.write(text)


def self_test():
    with tempfile.TemporaryDirectory(prefix="include-graph-") as root:
        write(root, "sandbox/sandbox.hpp", "#pragma once\n")
        write(root, "grader/spec/spec.hpp", '#include "sandbox.hpp"\n')
        write(root, "grader/engine/types.hpp", '#include "spec/spec.hpp"\n#include <vector>\n')
        write(root, "grader/findings/analyze.hpp", '#include "engine/types.hpp"\n')
        assert check(root, quiet=True) == [], "a one-way tree has no problem"
        write(root, "grader/spec/spec.cpp", '#include "findings/analyze.hpp"\n')
        problems = check(root, quiet=True)
        assert any("cycle" in p and "spec -> findings" in " ".join(problems) for p in problems), problems
        os.remove(os.path.join(root, "grader/spec/spec.cpp"))
        write(root, "sandbox/run.cpp", '#include "engine/types.hpp"\n')
        assert any("sandbox/ includes grader/engine" in p for p in check(root, quiet=True))
    print("self-test: a planted cycle and a sandbox -> grader include are found")


def main():
    if sys.argv[1:] == ["--self-test"]:
        self_test()
        return 0
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    problems = check(sys.argv[1])
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

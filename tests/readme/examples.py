#!/usr/bin/python3
"""Runs the examples README.md and the handouts show and compares what they print now with what they show, so
the documentation cannot go stale; and checks that README names every flag of every subcommand.

An example is a fenced code block whose first line starts with "$ ": each "$ " line is a command (run by bash in
a scratch folder that has build/shmgrade, shmgrade on PATH and the checkout's assignments/; the commands of
one block share the folder), and the lines up to the next command are what it prints, stdout and stderr
together. In the comparison, addresses (0x and 5 or more hex digits) match any address, and "..." in a shown
line matches any text.

Usage: examples.py SOURCE_DIR SHMGRADE_BIN
"""
import os
import re
import subprocess
import sys
import tempfile

ADDRESS = re.compile(r"0x[0-9a-f]{5,}")


def examples(path):
    """(line number, [(command, [expected lines])]) for each example block of the Markdown file PATH."""
    blocks, block, start = [], None, 0
    with open(path) as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line.startswith("```"):
                if block is not None:
                    if block and block[0].startswith("$ "):
                        blocks.append((start, block))
                    block = None
                else:
                    block, start = [], number + 1
            elif block is not None:
                block.append(line)
    parsed = []
    for start, lines in blocks:
        commands = []
        for line in lines:
            if line.startswith("$ "):
                commands.append((line[2:], []))
            else:
                commands[-1][1].append(line)
        parsed.append((start, commands))
    return parsed


def matches(shown, printed):
    pattern = re.escape(ADDRESS.sub("0x0", shown.rstrip())).replace(r"\.\.\.", ".*")
    return re.fullmatch(pattern, ADDRESS.sub("0x0", printed.rstrip())) is not None


def run_block(source, shmgrade, commands):
    """The mismatches of one block's commands, as text."""
    problems = []
    with tempfile.TemporaryDirectory(prefix="readme-example-") as scratch:
        os.chmod(scratch, 0o755)  # as root the sandbox runs programs as nobody, in work dirs made here
        os.makedirs(os.path.join(scratch, "build"))
        os.makedirs(os.path.join(scratch, ".bin"))
        for link in (os.path.join(scratch, "build", "shmgrade"), os.path.join(scratch, ".bin", "shmgrade")):
            os.symlink(shmgrade, link)
        os.symlink(os.path.join(source, "assignments"), os.path.join(scratch, "assignments"))
        os.symlink(os.path.join(source, "tests"), os.path.join(scratch, "tests"))
        env = dict(os.environ, PATH=os.path.join(scratch, ".bin") + ":" + os.environ.get("PATH", ""), LANG="C.UTF-8")
        env.pop("LC_ALL", None)
        for command, shown in commands:
            done = subprocess.run(["/bin/bash", "-c", command], cwd=scratch, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, timeout=600)
            printed = done.stdout.decode("utf-8", "replace").splitlines()
            if len(printed) != len(shown) or not all(matches(s, p) for s, p in zip(shown, printed)):
                problems.append("$ " + command + "\n--- shown\n" + "\n".join(shown) + "\n--- printed now (exit " +
                                str(done.returncode) + ")\n" + "\n".join(printed))
    return problems


def undocumented_flags(shmgrade, readme_text):
    """'SUBCOMMAND --flag' for each flag a subcommand's --help lists that README never names."""
    top = subprocess.run([shmgrade, "--help"], stdout=subprocess.PIPE, check=True).stdout.decode()
    commands = re.findall(r"^  ([a-z][a-z-]*) ", top.split("Subcommands:")[1], re.M)
    missing = []
    for command in commands:
        text = subprocess.run([shmgrade, command, "--help"], stdout=subprocess.PIPE, check=True).stdout.decode()
        for flag in sorted(set(re.findall(r"(--[a-z][a-z0-9-]+)", text)) - {"--help"}):
            if not re.search(re.escape(flag) + r"(?![a-z0-9-])", readme_text):
                missing.append(command + " " + flag)
    return commands, missing


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    source, shmgrade = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    documents = [os.path.join(source, "README.md")]
    assignments = os.path.join(source, "assignments")
    documents += sorted(os.path.join(assignments, a, "README.md") for a in os.listdir(assignments)
                        if os.path.isfile(os.path.join(assignments, a, "README.md")))
    failed = ran = 0
    for document in documents:
        for start, commands in examples(document):
            ran += 1
            for problem in run_block(source, shmgrade, commands):
                failed += 1
                print(f"{os.path.relpath(document, source)}:{start}: the example no longer prints what it shows\n{problem}\n")
    print(f"{ran} examples run, {failed} commands print something else than shown")
    with open(documents[0]) as f:
        commands, missing = undocumented_flags(shmgrade, f.read())
    for flag in missing:
        print(f"README.md never names {flag} (add it to the command's usage and say what it does)")
    print(f"{len(commands)} subcommands' flags looked for in README, {len(missing)} missing")
    return 1 if failed or ran == 0 or missing or not commands else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Reads shmgrade's reports as the platforms that take them do (Debian's python3-jsonschema and junitparser).

validate.py schema SCHEMA FILE...   every FILE valid against the JSON Schema SCHEMA; exit 1 naming each error
validate.py junit FILE              the JUnit report as junitparser reads it, printed as JSON for the test
"""
import json
import sys

import jsonschema
import junitparser


def check_schema(schema_file, files):
    with open(schema_file) as f:
        validator = jsonschema.Draft202012Validator(json.load(f))
    bad = 0
    for name in files:
        with open(name) as f:
            for error in validator.iter_errors(json.load(f)):
                bad += 1
                where = "/".join(str(p) for p in error.absolute_path)
                print(f"{name}: /{where}: {error.message}")
    return 1 if bad else 0


def read_junit(name):
    xml = junitparser.JUnitXml.fromfile(name)
    suites = [xml] if isinstance(xml, junitparser.TestSuite) else list(xml)
    cases = []
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in suites:
        for key in totals:
            totals[key] += int(getattr(suite, key) or 0)
        for case in suite:
            kinds = [type(r).__name__.lower() for r in case.result]
            cases.append({"name": case.name, "file": case._elem.get("file"), "line": case._elem.get("line"),
                          "result": kinds[0] if kinds else "passed",
                          "text": "".join((r.text or "") for r in case.result)})
    print(json.dumps({**totals, "cases": cases}))
    return 0


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "schema":
        sys.exit(check_schema(sys.argv[2], sys.argv[3:]))
    if len(sys.argv) == 3 and sys.argv[1] == "junit":
        sys.exit(read_junit(sys.argv[2]))
    print(__doc__, file=sys.stderr)
    sys.exit(2)

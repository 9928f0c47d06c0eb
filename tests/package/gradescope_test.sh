#!/usr/bin/env bash
# Gradescope's autograder.zip: made by `shmgrade gradescope-package`, unpacked into a temporary tree standing
# for /autograder (SHMGRADE_AUTOGRADER_ROOT), run_autograder run against samples; results.json must have
# Gradescope's documented fields and the score `grade` gives, and a failure must still leave a whole one.
# Usage: gradescope_test.sh SOURCE_DIR SHMGRADE
set -euo pipefail
src="$1" shmgrade="$2"
work="$(mktemp -d /tmp/shmgrade-gradescope.XXXXXX)"
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
# One package, with the bundled class's late policy (due 2026-11-20T23:59Z, 15 minutes' grace, 10% a day).
"$shmgrade" gradescope-package counter --late "$src/assignments/counter/class/late.toml" --out "$work/autograder.zip" >/dev/null
[ "$(du -k "$work/autograder.zip" | cut -f1)" -lt 30000 ] || { echo "the zip carries an unstripped shmgrade" >&2; exit 1; }
unzip_root() {  # a fresh /autograder with SUBMISSION's files, submitted on time
  rm -rf "$work/root" && mkdir -p "$work/root/source" "$work/root/submission" "$work/root/results"
  bsdtar -xf "$work/autograder.zip" -C "$work/root/source"
  [ -n "$1" ] && cp "$1"/* "$work/root/submission/"
  echo '{"created_at": "2026-11-19T12:00:00+00:00", "users": [{"email": "a@example.edu"}]}' > "$work/root/submission_metadata.json"
  chmod -R a+rX "$work/root"
}
unzip_root ""
for f in setup.sh run_autograder shmgrade/bin/shmgrade shmgrade/lib/shmgrade/libxrace.a assignment/assignment.toml late/late.toml; do
  [ -e "$work/root/source/$f" ] || { echo "the zip lacks $f" >&2; exit 1; }
done
[ -e "$work/root/source/assignment/samples" ] && { echo "the zip ships the samples" >&2; exit 1; }

# Gradescope's fields: a numeric score; tests with a name, numeric score and max_score, status passed or failed,
# a known visibility.
valid='(.score | type == "number") and (.tests | type == "array") and all(.tests[];
  (.name | type == "string") and (.score | type == "number") and (.max_score | type == "number") and
  (.status == "passed" or .status == "failed") and
  ((.visibility // "visible") | IN("visible", "hidden", "after_due_date", "after_published")))'
for sample in null_check correct_atomic unsynchronised; do
  unzip_root "$src/assignments/counter/samples/$sample"
  SHMGRADE_AUTOGRADER_ROOT="$work/root" "$work/root/source/run_autograder"
  results="$work/root/results/results.json"
  jq -e "$valid" "$results" >/dev/null || { echo "$sample: results.json lacks Gradescope's fields:" >&2; cat "$results" >&2; exit 1; }
  want="$("$shmgrade" grade counter "$src/assignments/counter/samples/$sample" --format json | jq .score)" || true
  [ "$(jq .score "$results")" = "$want" ] || { echo "$sample: scored $(jq .score "$results"), grade says $want" >&2; exit 1; }
done

# The late policy, applied to submission_metadata.json's created_at: 10% a day started.
# On time (before the due date, in another zone); 34 hours late (two days started: 20%); within the grace.
for when in "2026-11-20T16:00:00.123456-08:00 17" "2026-11-22T10:00:00.5+00:00 13.6" "2026-11-21 03:00:00 +03:00 17"; do
  created="${when% *}" want="${when##* }"
  unzip_root "$src/assignments/counter/samples/correct_atomic"
  printf '{"created_at": "%s", "users": [{"email": "a@example.edu", "id": 7}]}\n' "$created" > "$work/root/submission_metadata.json"
  SHMGRADE_AUTOGRADER_ROOT="$work/root" "$work/root/source/run_autograder"
  [ "$(jq .score "$work/root/results/results.json")" = "$want" ] ||
    { echo "submitted $created: scored $(jq .score "$work/root/results/results.json"), want $want" >&2; exit 1; }
  [ "$want" = 17 ] || jq -e '.output | test("late by 34 h 1 min: -20% \\(17 before the penalty\\)")' \
    "$work/root/results/results.json" >/dev/null || { echo "the penalty is not explained" >&2; exit 1; }
done

# A submission with no source is a result of 0 with the reason; a shmgrade that cannot run leaves a whole
# results.json saying so.
unzip_root ""
echo "hello" > "$work/root/submission/notes.txt"
SHMGRADE_AUTOGRADER_ROOT="$work/root" "$work/root/source/run_autograder"
jq -e '.score == 0' "$work/root/results/results.json" >/dev/null
rm "$work/root/source/shmgrade/bin/shmgrade"
status=0
SHMGRADE_AUTOGRADER_ROOT="$work/root" "$work/root/source/run_autograder" 2>/dev/null || status=$?
[ "$status" -ne 0 ] && jq -e '.score == 0 and (.output | test("could not grade"))' "$work/root/results/results.json" >/dev/null ||
  { echo "a failing shmgrade left: $(cat "$work/root/results/results.json")" >&2; exit 1; }
echo "gradescope: autograder.zip graded 3 samples as grade does, and failures leave a whole results.json"

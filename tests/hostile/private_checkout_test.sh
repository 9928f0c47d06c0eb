#!/usr/bin/env bash
# README's two commands pass wherever the project is cloned. The unprivileged hostile tests run shmgrade as
# nobody, so a checkout nobody can enter (a clone under /root, any mode-700 folder, as a newcomer often makes)
# must not fail them: everything they hand the sandbox is copied somewhere nobody can read first. This runs
# them with the checkout at mode 700 and gives the checkout its mode back however the run ends.
# Usage: private_checkout_test.sh SOURCE_DIR HOSTILE_TESTS_UNPRIVILEGED
set -euo pipefail
source_dir=$1
tests=$2
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP: needs root (it changes the checkout's mode and runs the sandbox as nobody)"
  exit 77
fi
mode="$(stat -c %a "$source_dir")"
trap 'chmod "$mode" "$source_dir"' EXIT
chmod 700 "$source_dir"
nobody_can_enter() { setpriv --reuid=65534 --regid=65534 --clear-groups -- test -x "$source_dir"; }
if nobody_can_enter; then
  echo "nobody can still enter $source_dir at mode 700: the test would prove nothing" >&2
  exit 1
fi
"$tests" --warn NoTests

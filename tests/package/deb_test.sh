#!/usr/bin/env bash
# The .deb: CPack builds it from this build tree; it is unpacked into a scratch root, and the installed
# shmgrade — away from the build tree, finding its runtime files beside itself — grades a sample (plain,
# traced and race builds) and lists the bundled assignments.
# Usage: deb_test.sh BUILD_DIR
set -euo pipefail
build="$1"
work="$(mktemp -d /tmp/shmgrade-deb.XXXXXX)"
trap 'rm -rf "$work"' EXIT
(cd "$build" && cpack -G DEB -B "$work/out" >/dev/null)
deb="$(ls "$work"/out/shmgrade_*_amd64.deb)"
depends="$(dpkg-deb -f "$deb" Depends)"
for dep in clang libtsan2 libarchive13 gcc; do
  [[ "$depends" == *"$dep"* ]] || { echo "Depends lacks $dep: $depends" >&2; exit 1; }
done
mkdir "$work/root"
dpkg-deb -x "$deb" "$work/root"
chmod 755 "$work" "$work/root"
installed="$work/root/usr/bin/shmgrade"
for f in lib/shmgrade/libxrace.a lib/shmgrade/shmgrade_probe.so lib/shmgrade/shmgrade-unpack \
  share/shmgrade/assignments/counter/assignment.toml share/shmgrade/similarity/package-lock.json \
  share/shmgrade/result.schema.json; do
  [ -e "$work/root/usr/$f" ] || { echo "the package lacks usr/$f" >&2; exit 1; }
done
"$installed" --version | grep -qx "assignments: $work/root/usr/share/shmgrade/assignments" ||
  { echo "the installed shmgrade does not find its own assignments:" >&2; "$installed" --version >&2; exit 1; }
"$installed" list | grep -q '^counter' || { echo "list shows no counter" >&2; exit 1; }
result="$("$installed" grade counter "$work/root/usr/share/shmgrade/assignments/counter/samples/correct_atomic" --format json)"
score="$(jq -r '.score' <<<"$result")"
race="$(jq -r '.tests[] | select(.name == "no data race between the processes") | .status' <<<"$result")"
[ "$score" = 17 ] && [ "$race" = passed ] || { echo "the installed shmgrade graded the sample $score/17 (race test: $race)" >&2; exit 1; }
echo "deb: $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB), installed copy graded a sample 17/17"

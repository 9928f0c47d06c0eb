#!/usr/bin/env bash
# The Slurm templates for real: a single-node Slurm (munge, slurmctld and slurmd as root, on this machine,
# configured in a temporary folder: proctrack/linuxproc, task/none, the cgroup/v1 plugin) grades the bundled
# class as a 4-task array two at a time, merges it with a job that depends on the array, and compares the
# result with a one-machine batch. Everything it starts is stopped and removed at the end.
# Usage: slurm_test.sh SOURCE_DIR SHMGRADE. Exit 77 (skipped, with a message) when not root.
set -euo pipefail
src="$1" shmgrade="$2"
if [ "$(id -u)" -ne 0 ]; then echo "skipped: Slurm's daemons need root"; exit 77; fi
for tool in munged slurmctld slurmd sbatch squeue jq; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: ci/deps installs slurm-wlm, munge and jq" >&2; exit 1; }
done

work="$(mktemp -d /tmp/shmgrade-slurm.XXXXXX)"
chmod 755 "$work"
stop() {
  set +e
  for daemon in slurmd slurmctld; do [ -f "$work/$daemon.pid" ] && kill "$(cat "$work/$daemon.pid")" 2>/dev/null; done
  munged --stop --socket="$work/munge.socket" >/dev/null 2>&1
  sleep 1
  for pid in slurmd slurmctld munged; do [ -f "$work/$pid.pid" ] && kill -9 "$(cat "$work/$pid.pid")" 2>/dev/null; done
  rm -rf "$work"
}
trap stop EXIT

# munge, on its own socket and key.
dd if=/dev/urandom of="$work/munge.key" bs=1024 count=1 2>/dev/null
chmod 400 "$work/munge.key"
munged --force --socket="$work/munge.socket" --key-file="$work/munge.key" --log-file="$work/munged.log" \
  --pid-file="$work/munged.pid" --seed-file="$work/munged.seed"

# Slurm, on ports of its own (two free ones from the kernel's range).
port=$((20000 + RANDOM % 20000))
host="$(hostname)"
mkdir -p "$work/state" "$work/spool"
cat > "$work/slurm.conf" <<CONF
ClusterName=shmgrade-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$work/munge.socket
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=grade Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
echo "CgroupPlugin=cgroup/v1" > "$work/cgroup.conf"
export SLURM_CONF="$work/slurm.conf"
slurmctld
slurmd
for _ in $(seq 60); do sinfo -h -o %t 2>/dev/null | grep -q idle && break; sleep 1; done
sinfo -h -o %t | grep -q idle || { echo "Slurm did not come up:" >&2; tail -20 "$work"/slurm*.log >&2; exit 1; }

class="$src/assignments/counter/class"
flags="--roster $class/roster.csv --late $class/late.toml --similarity"
export SHMGRADE="$shmgrade" ASSIGNMENT=counter EXPORT="$class/submissions.zip" RESULTS="$work/results" \
  BATCH_FLAGS="$flags" SHARDS=4 AT_ONCE=2 WAIT=1
timeout 900 "$src/ci/cluster/slurm/submit"

# Four shards, each complete, every student in exactly one.
[ "$(ls -d "$work"/results/shard-* | wc -l)" -eq 4 ]
for m in "$work"/results/shard-*/shard.json; do [ "$(jq .complete "$m")" = true ]; done
[ "$(jq -s '[.[].students[]] | length' "$work"/results/shard-*/shard.json)" -eq 32 ]

# The merged class is what one machine writes.
"$shmgrade" batch counter "$class/submissions.zip" $flags --out "$work/single" >/dev/null 2>&1 || [ $? -eq 1 ]
for f in gradebook.csv canvas.csv similarity.csv; do
  cmp "$work/results/class/$f" "$work/single/$f" || { echo "$f differs from one machine's" >&2; exit 1; }
done
for r in "$work"/single/results/*.json; do
  name="$(basename "$r")"
  diff <(jq -S 'del(.elapsed_s)' "$r") <(jq -S 'del(.elapsed_s)' "$work/results/class/results/$name") >/dev/null ||
    { echo "results/$name differs from one machine's" >&2; exit 1; }
done
echo "Slurm: 4 array tasks (2 at once) and a merge job gave the one-machine results for 32 students"

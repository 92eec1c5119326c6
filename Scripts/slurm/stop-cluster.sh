#!/usr/bin/env bash
# Stops the one-node SLURM cluster of start-cluster.sh: cancels its jobs, then ends slurmd,
# slurmctld and munged through the pid files in STATE (default ${TMPDIR:-/tmp}/datacomp-slurm).
# Idempotent: daemons that are not running are skipped. The state folder itself is kept.
# Usage: bash Scripts/slurm/stop-cluster.sh [STATE]
set -euo pipefail
STATE="${1:-${TMPDIR:-/tmp}/datacomp-slurm}"
[ -d "$STATE" ] || exit 0
export SLURM_CONF="$STATE/slurm.conf"

PIDFILES=("$STATE/slurmd.pid" "$STATE/slurmctld.pid" "$STATE/munge/munged.pid")
alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }  # alive PIDFILE

# Running jobs first, so that no slurmstepd outlives the daemons.
if alive "$STATE/slurmctld.pid"; then
  scancel --partition=debug 2>/dev/null || true
  for _ in $(seq 20); do [ -z "$(squeue -h --states=R,CG 2>/dev/null)" ] && break; sleep 0.5; done
fi
# SIGTERM to all three at once (each removes its pid file on exit), 10 s of grace, then SIGKILL.
for f in "${PIDFILES[@]}"; do alive "$f" && kill "$(cat "$f")" 2>/dev/null || true; done
for _ in $(seq 50); do
  up=0; for f in "${PIDFILES[@]}"; do alive "$f" && up=1; done
  [ "$up" -eq 0 ] && break
  sleep 0.2
done
for f in "${PIDFILES[@]}"; do
  alive "$f" && kill -9 "$(cat "$f")" 2>/dev/null || true
  rm -f "$f"
done
echo "slurm: stopped ($STATE)"

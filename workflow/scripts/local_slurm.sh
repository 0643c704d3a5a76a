#!/usr/bin/env bash
# A real single-node SLURM cluster on localhost (Debian's slurm-wlm + munge), and the tiny workflow run through it
# with the SLURM executor (workflow/profiles/slurm-local). Needs root (CI runs as root) and a Debian-like system.
#
#   workflow/scripts/local_slurm.sh run     # install if needed, start, run .test/config.yaml, check, stop (default)
#   workflow/scripts/local_slurm.sh start   # install if needed and start the daemons; prints the SLURM_CONF to export
#   workflow/scripts/local_slurm.sh stop    # stop the daemons started by `start` (by their PID files)
#
# Everything (munge key and socket, slurm.conf, state, spool, logs, PID files) lives in $DARKREACH_SLURM_STATE
# (default /tmp/darkreach-slurm). One exception: /etc/slurm/slurm.conf becomes a symlink to that slurm.conf while
# the cluster runs, because the executor's job step (snakemake-executor-plugin-slurm-jobstep) drops SLURM_CONF
# from the environment of its inner `srun`. An existing /etc/slurm/slurm.conf that is not ours is never replaced.
# Environment: DARKREACH_SLURM_STATE, DARKREACH_SLURM_WORKDIR (scratch working directory of `run`, default a
# fresh temporary directory), DARKREACH_SLURM_KEEP=1 (keep the scratch directory), SNAKEMAKE (the snakemake to use).
# The partition is called "darkreach", as in workflow/profiles/slurm-local/config.yaml.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATE="${DARKREACH_SLURM_STATE:-/tmp/darkreach-slurm}"
PARTITION=darkreach
CTLD_PORT="${DARKREACH_SLURMCTLD_PORT:-6817}"
SLURMD_PORT="${DARKREACH_SLURMD_PORT:-6818}"
export SLURM_CONF="$STATE/slurm.conf"

log() { printf '[local_slurm] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

install_packages() {
    if command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v munged >/dev/null \
        && command -v sbatch >/dev/null; then
        return
    fi
    [[ $(id -u) -eq 0 ]] || die "slurm-wlm/munge are not installed and this is not root: apt-get install slurm-wlm munge"
    log "installing slurm-wlm and munge (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq slurm-wlm munge >/dev/null
}

write_config() {
    mkdir -p "$STATE"/{munge,ctld,spool,log,run}
    chmod 755 "$STATE"
    chmod 700 "$STATE/munge"
    if [[ ! -s "$STATE/munge/munge.key" ]]; then
        dd if=/dev/urandom of="$STATE/munge/munge.key" bs=1024 count=1 status=none
    fi
    chmod 400 "$STATE/munge/munge.key"

    local host node_line mem_mb
    host="$(hostname -s)"
    # `slurmd -C` reports this machine's topology; keep it, but offer SLURM only ~80 % of the memory.
    node_line="$(slurmd -C | head -n 1)"
    mem_mb="$(sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' <<<"$node_line")"
    mem_mb=$((mem_mb * 8 / 10))
    node_line="$(sed "s/RealMemory=[0-9]*/RealMemory=$mem_mb/" <<<"$node_line") NodeAddr=127.0.0.1 State=UNKNOWN"

    cat >"$SLURM_CONF" <<EOF
# Written by workflow/scripts/local_slurm.sh: a single-node test cluster, no accounting, no cgroups.
ClusterName=darkreach-local
SlurmctldHost=${host}(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=${CTLD_PORT}
SlurmdPort=${SLURMD_PORT}
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=${STATE}/munge/munge.socket
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
# Finished jobs stay visible to squeue for 5 minutes: the executor's status command (squeue) relies on it.
MinJobAge=300
SchedulerType=sched/backfill
StateSaveLocation=${STATE}/ctld
SlurmdSpoolDir=${STATE}/spool/slurmd-%n
SlurmctldPidFile=${STATE}/run/slurmctld.pid
SlurmdPidFile=${STATE}/run/slurmd.pid
SlurmctldLogFile=${STATE}/log/slurmctld.log
SlurmdLogFile=${STATE}/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
${node_line}
PartitionName=${PARTITION} Nodes=${host} Default=YES MaxTime=INFINITE State=UP
EOF
}

ETC_CONF=/etc/slurm/slurm.conf

link_etc_conf() {
    if [[ -L "$ETC_CONF" && "$(readlink "$ETC_CONF")" == "$SLURM_CONF" ]]; then return; fi
    [[ -e "$ETC_CONF" || -L "$ETC_CONF" ]] && die "$ETC_CONF exists (a real SLURM installation?); not replacing it"
    mkdir -p "$(dirname "$ETC_CONF")"
    ln -s "$SLURM_CONF" "$ETC_CONF"
}

unlink_etc_conf() {
    if [[ -L "$ETC_CONF" && "$(readlink "$ETC_CONF")" == "$SLURM_CONF" ]]; then rm -f "$ETC_CONF"; fi
}

pid_alive() { [[ -s "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
    local limit=$1 what=$2
    shift 2
    for ((i = 0; i < limit; i++)); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 1
    done
    die "timed out after ${limit}s waiting for $what"
}

node_idle() { sinfo -h -N -p "$PARTITION" -o '%T' | grep -qE '^(idle|mixed|allocated)'; }

start() {
    install_packages
    if pid_alive "$STATE/run/slurmctld.pid"; then
        die "a local cluster already runs from $STATE (stop it first: $0 stop)"
    fi
    write_config
    link_etc_conf
    log "starting munged, slurmctld, slurmd (state in $STATE)"
    munged --force --key-file="$STATE/munge/munge.key" --socket="$STATE/munge/munge.socket" \
        --pid-file="$STATE/run/munged.pid" --log-file="$STATE/log/munged.log" --seed-file="$STATE/munge/munged.seed"
    wait_for 20 "munged" test -S "$STATE/munge/munge.socket"
    slurmctld -c
    wait_for 30 "slurmctld" scontrol ping
    slurmd
    wait_for 60 "the node to be idle in sinfo" node_idle
    sinfo -N -l >&2
    log "cluster up; use it with: export SLURM_CONF=$SLURM_CONF"
}

stop() {
    local name pidfile pid
    for name in slurmd slurmctld munged; do
        pidfile="$STATE/run/$name.pid"
        if pid_alive "$pidfile"; then
            pid="$(cat "$pidfile")"
            log "stopping $name (pid $pid)"
            kill "$pid" 2>/dev/null || true
            for ((i = 0; i < 20; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
            kill -9 "$pid" 2>/dev/null || true
        fi
        rm -f "$pidfile"
    done
    unlink_etc_conf
}

run() {
    local snakemake workdir logfile submitted expected start_s elapsed
    snakemake="${SNAKEMAKE:-}"
    if [[ -z "$snakemake" ]]; then
        if [[ -x "$REPO/.venv/bin/snakemake" ]]; then snakemake="$REPO/.venv/bin/snakemake"; else snakemake=snakemake; fi
    fi
    # The jobs run `python -m snakemake` on the node: the same environment must be on PATH there.
    export PATH="$(dirname "$(command -v "$snakemake")"):$PATH"
    "$snakemake" --version >/dev/null
    python -c 'import snakemake_executor_plugin_slurm' 2>/dev/null \
        || die "snakemake-executor-plugin-slurm is missing: pip install -e '.[slurm]'"

    trap stop EXIT
    trap 'exit 130' INT TERM
    start
    if [[ -n "${DARKREACH_SLURM_WORKDIR:-}" ]]; then
        workdir="$DARKREACH_SLURM_WORKDIR"
        mkdir -p "$workdir"
    else
        workdir="$(mktemp -d /tmp/darkreach-slurm-run.XXXXXX)"
    fi
    logfile="$workdir/snakemake.log"
    log "running the tiny workflow (.test/config.yaml) through SLURM in $workdir"
    start_s=$(date +%s)
    if ! (cd "$workdir" && "$snakemake" -s "$REPO/Snakefile" \
        --workflow-profile "$REPO/workflow/profiles/slurm-local" \
        --configfile="$REPO/.test/config.yaml") >"$logfile" 2>&1; then
        tail -n 60 "$logfile" >&2
        tail -n 20 "$STATE/log/slurmctld.log" >&2 || true
        die "snakemake failed (log: $logfile)"
    fi
    elapsed=$(($(date +%s) - start_s))

    # Checks: the targets exist, and every job that produces files went through sbatch.
    local f
    for f in results/contours/na62/idm-dipole/delta-0.1.csv results/contours/hike/idm-dipole/delta-0.1.csv \
        results/figures/idm-dipole.png; do
        [[ -s "$workdir/$f" ]] || die "missing output $f (log: $logfile)"
    done
    compgen -G "$workdir/results/mesons/sps400/multiplicities-*.csv" >/dev/null \
        || die "missing output results/mesons/sps400/multiplicities-<hash>.csv (log: $logfile)"
    # compute jobs (PYTHIA shards, scans) go through sbatch; the jobs of seconds are localrules (Snakefile)
    submitted=$(grep -c "has been submitted with SLURM jobid" "$logfile" || true)
    expected=$(grep -cE '^rule (generate_mesons|scan):' "$logfile" || true)
    grep -qE '^localrule (merge_mesons|contours):' "$logfile" || die "the jobs of seconds did not run locally (log: $logfile)"
    [[ "$submitted" -gt 0 ]] || die "no job was submitted to SLURM (log: $logfile)"
    [[ "$submitted" -eq "$expected" ]] || die "$submitted SLURM submissions for $expected jobs (log: $logfile)"
    grep -q "^localrule \(generate_mesons\|scan\)" "$logfile" && die "a compute rule ran locally (log: $logfile)"
    [[ -d "$workdir/.snakemake/slurm_logs" ]] || die "no .snakemake/slurm_logs in $workdir"
    log "OK: $submitted jobs through SLURM, workflow took ${elapsed}s (log: $logfile)"
    echo "slurm_jobs=$submitted elapsed_s=$elapsed workdir=$workdir"
    if [[ -z "${DARKREACH_SLURM_WORKDIR:-}" && "${DARKREACH_SLURM_KEEP:-0}" != 1 ]]; then
        rm -rf "$workdir"
    fi
}

case "${1:-run}" in
    start) start ;;
    stop) stop ;;
    run) run ;;
    *) die "usage: $0 [start|stop|run]" ;;
esac

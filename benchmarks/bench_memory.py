"""Check the peak memory of every workflow job against a limit, from Snakemake's benchmark files.

Target (issue): peak memory of every job under 4 GB.

Every workflow rule has a Snakemake ``benchmark:`` directive writing
``<results>/benchmarks/<rule>/.../<wildcards>.tsv``; Snakemake samples the job's process tree with psutil
and records, among others, ``s`` (wall seconds), ``max_rss`` (MB, sum over the process tree at the
sampled peak) and ``cpu_time`` (user + system seconds). This script reads every TSV below
``<results>/benchmarks``, prints one row per job sorted by ``max_rss`` and the maximum, and exits
with status 1 if any job exceeds ``--limit-mb`` (default 4096), 2 if no benchmark file (or no memory
sample at all) is found.

Caveats: Snakemake samples the process tree with psutil every 0.5 s for the first 30 samples (~15 s),
then every 30 s, so a short peak can be missed (notably at the end of a long job, e.g. the ROOT write of
a generation shard), and ``cpu_time`` is the value at the last sample (an underestimate for jobs longer
than ~15 s). A job faster than the first sample has ``NA`` (reported as such, never counted as 0).
For an exact per-process bound, run the workflow under ``/usr/bin/time -v`` (its "Maximum resident set
size" is the peak of the largest single process of the run).

Usage::

    .venv/bin/python benchmarks/bench_memory.py --results /tmp/full/results
    .venv/bin/python benchmarks/bench_memory.py --results results --limit-mb 2048

Appends one JSON line per job (and one summary line) to ``benchmarks/results/memory.jsonl``.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from datetime import UTC, datetime
from pathlib import Path

from _machine import machine_info  # noqa: E402 (benchmarks/ is on sys.path)

RESULTS_JSONL = Path(__file__).resolve().parent / "results" / "memory.jsonl"


def _num(value: str | None) -> float:
    try:
        out = float(value) if value not in (None, "", "NA", "-") else math.nan
    except ValueError:
        out = math.nan
    return out


def read_benchmarks(root: Path) -> list[dict]:
    """One record per TSV (the maximum over its rows when Snakemake's ``repeat()`` wrote several)."""
    jobs = []
    for path in sorted(root.rglob("*.tsv")):
        with path.open(newline="") as stream:
            rows = list(csv.DictReader(stream, delimiter="\t"))
        if not rows or "max_rss" not in rows[0]:
            print(f"warning: {path} is not a Snakemake benchmark file (no max_rss column); skipped", file=sys.stderr)
            continue
        rss = [_num(r.get("max_rss")) for r in rows]
        valid = [x for x in rss if not math.isnan(x)]
        jobs.append(
            {
                "job": str(path.relative_to(root).with_suffix("")),
                "file": str(path),
                "max_rss_mb": max(valid) if valid else math.nan,
                "max_uss_mb": max((_num(r.get("max_uss")) for r in rows), default=math.nan),
                "cpu_time_s": max((_num(r.get("cpu_time")) for r in rows), default=math.nan),
                "wall_s": max((_num(r.get("s")) for r in rows), default=math.nan),
                "rows": len(rows),
            }
        )
    return jobs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--results",
        type=Path,
        default=Path("results"),
        help="workflow results directory (reads <results>/benchmarks/**/*.tsv)",
    )
    parser.add_argument("--limit-mb", type=float, default=4096.0, help="peak RSS limit per job in MB")
    parser.add_argument("--output", type=Path, default=RESULTS_JSONL, help="JSON-lines file to append to")
    args = parser.parse_args(argv)

    root = args.results / "benchmarks"
    if not root.is_dir():
        print(
            f"error: {root} does not exist: run the workflow (its rules write benchmark TSVs there) first",
            file=sys.stderr,
        )
        return 2
    jobs = read_benchmarks(root)
    if not jobs:
        print(f"error: no Snakemake benchmark TSV below {root}", file=sys.stderr)
        return 2
    jobs.sort(key=lambda j: (math.isnan(j["max_rss_mb"]), -j["max_rss_mb"] if not math.isnan(j["max_rss_mb"]) else 0))

    width = max(len("job"), *(len(j["job"]) for j in jobs))
    header = f"{'job':<{width}} {'max_rss MB':>10} {'cpu_time s':>10} {'wall s':>9}"
    print(header)
    print("-" * len(header))

    def fmt(x: float, spec: str) -> str:
        return "NA" if math.isnan(x) else format(x, spec)

    for j in jobs:
        flag = "  OVER LIMIT" if j["max_rss_mb"] > args.limit_mb else ""
        print(
            f"{j['job']:<{width}} {fmt(j['max_rss_mb'], '10.1f'):>10} {fmt(j['cpu_time_s'], '10.2f'):>10} "
            f"{fmt(j['wall_s'], '9.2f'):>9}{flag}"
        )
    measured = [j for j in jobs if not math.isnan(j["max_rss_mb"])]
    over = [j for j in measured if j["max_rss_mb"] > args.limit_mb]
    n_na = len(jobs) - len(measured)
    print("-" * len(header))
    if measured:
        top = measured[0]
        print(
            f"maximum: {top['max_rss_mb']:.1f} MB ({top['job']}); limit {args.limit_mb:g} MB; "
            f"{len(jobs)} jobs, {n_na} without a memory sample (NA)"
        )
    else:
        print(f"no job has a memory sample ({len(jobs)} files, all NA)")
    print(
        f"total cpu_time {sum(j['cpu_time_s'] for j in measured):.1f} s, "
        f"sum of job wall times {sum(j['wall_s'] for j in jobs if not math.isnan(j['wall_s'])):.1f} s"
    )
    verdict = "FAIL" if over else "PASS"
    print(f"{verdict}: {len(over)} job(s) above {args.limit_mb:g} MB")

    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    base = {"timestamp": stamp, "script": "bench_memory", "machine": machine_info(), "results": str(args.results)}
    records = [
        {
            **base,
            "measurement": "job_peak_memory",
            **{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in j.items()},
        }
        for j in jobs
    ]
    records.append(
        {
            **base,
            "measurement": "max_peak_memory",
            "jobs": len(jobs),
            "jobs_na": n_na,
            "max_rss_mb": measured[0]["max_rss_mb"] if measured else None,
            "max_job": measured[0]["job"] if measured else None,
            "limit_mb": args.limit_mb,
            "over_limit": [j["job"] for j in over],
            "meets_target": not over,
        }
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("a") as stream:
        for rec in records:
            stream.write(json.dumps(rec) + "\n")
    print(f"appended {len(records)} lines to {args.output}")
    if not measured:
        return 2  # nothing to check against the limit
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())

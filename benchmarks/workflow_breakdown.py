"""Where the time of a workflow run goes: generation, kernels (scans) and aggregation, from Snakemake's benchmarks.

Every rule writes ``<results>/benchmarks/<rule>/.../<wildcards>.tsv`` (wall seconds ``s`` of the job). This
script sums the job wall times by stage and by beam or experiment, prints a table, and appends one JSON line
to ``benchmarks/results/workflow.jsonl``. The run's own wall time (e.g. from ``/usr/bin/time``) is passed
with ``--wall-seconds`` so that the record says how well the 2 cores were used.

Stages:

* generation: ``generate`` (PYTHIA shards) and ``merge``;
* kernels: ``scan`` (decay kernels, geometry and yields over the grid: one job per experiment x benchmark);
* aggregation: ``contours``, ``multiplicities``, ``plots``, ``paper`` (every configured figure + HEPData; Fig. 1
  of paper 003 included), ``branching`` (where Fig. 1 was timed by runs before the ``figure`` rule).

Usage::

    .venv/bin/python benchmarks/workflow_breakdown.py --results /tmp/paperrun/results --wall-seconds 1800 \
        --label "config/paper.yaml"
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from _machine import machine_info  # noqa: E402 (benchmarks/ is on sys.path)

RESULTS_JSONL = Path(__file__).resolve().parent / "results" / "workflow.jsonl"
STAGES = {
    "generate": "generation",
    "merge": "generation",
    "scan": "kernels",
    "contours": "aggregation",
    "multiplicities": "aggregation",
    "plots": "aggregation",
    "paper": "aggregation",
    "branching": "aggregation",
}


def job_times(root: Path) -> list[tuple[str, str, float]]:
    """(rule directory, job key, wall seconds) of every benchmark file below ``root``."""
    out = []
    for path in sorted(root.rglob("*.tsv")):
        with path.open(newline="") as stream:
            rows = list(csv.DictReader(stream, delimiter="\t"))
        if not rows or "s" not in rows[0]:
            print(f"warning: {path} is not a Snakemake benchmark file; skipped", file=sys.stderr)
            continue
        rel = path.relative_to(root)
        out.append((rel.parts[0], "/".join(rel.parts[1:-1]) or rel.stem, max(float(r["s"]) for r in rows)))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--results", type=Path, default=Path("results"), help="workflow results folder")
    parser.add_argument("--wall-seconds", type=float, default=None, help="wall time of the whole run")
    parser.add_argument("--label", default="", help="what was run (recorded)")
    args = parser.parse_args()
    root = args.results / "benchmarks"
    jobs = job_times(root)
    if not jobs:
        print(f"no benchmark files below {root}", file=sys.stderr)
        return 2
    by_stage: dict[str, float] = defaultdict(float)
    by_group: dict[tuple[str, str], list[float]] = defaultdict(list)
    unknown = sorted({rule for rule, _, _ in jobs if rule not in STAGES})
    if unknown:
        print(f"warning: rules without a stage: {unknown} (counted as 'other')", file=sys.stderr)
    for rule, key, seconds in jobs:
        stage = STAGES.get(rule, "other")
        by_stage[stage] += seconds
        by_group[(stage, f"{rule}:{key.split('/')[0]}")].append(seconds)
    total = sum(by_stage.values())
    print(f"{'stage':12} {'job seconds':>12} {'share':>7}")
    for stage in ("generation", "kernels", "aggregation", "other"):
        if stage in by_stage:
            print(f"{stage:12} {by_stage[stage]:12.1f} {by_stage[stage] / total:7.1%}")
    print(f"{'total':12} {total:12.1f}   ({len(jobs)} jobs)")
    if args.wall_seconds:
        print(f"wall {args.wall_seconds:.0f} s: {total / args.wall_seconds:.2f} cores busy on average")
    print()
    print(f"{'stage':12} {'rule:group':32} {'jobs':>5} {'seconds':>9}")
    for (stage, group), times in sorted(by_group.items()):
        print(f"{stage:12} {group:32} {len(times):5d} {sum(times):9.1f}")
    record = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "label": args.label,
        "machine": machine_info(),
        "wall_seconds": args.wall_seconds,
        "job_seconds": dict(by_stage),
        "groups": {f"{s}|{g}": [len(t), sum(t)] for (s, g), t in by_group.items()},
        "n_jobs": len(jobs),
    }
    RESULTS_JSONL.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS_JSONL.open("a") as fh:
        fh.write(json.dumps(record) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

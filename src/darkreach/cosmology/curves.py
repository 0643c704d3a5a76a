"""The thermal-relic line d(M1) of the dipole model as a curve-overlay file (kind ``target``).

The file format (owned by the overlay package): ``# key: value`` header lines, then ``x,y`` rows. Required keys
``darkreach-curve: 1``, ``label``, ``kind``, ``x``, ``x_unit``, ``y``, ``y_unit``, ``source``; here also
``style: dashed``, ``color: black`` (paper 000 Fig. 2), ``model`` and ``benchmark``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path

from darkreach.cosmology.dof import DegreesOfFreedom
from darkreach.cosmology.relic import RelicPoint, d_relic

__all__ = ["MODEL", "relic_curve", "write_relic_curve"]

#: The one model with a relic computation.
MODEL = "idm-dipole"
SOURCE = "computed by darkreach.cosmology.relic"


def relic_curve(masses: Sequence[float], delta: float, dof: DegreesOfFreedom | None = None) -> list[RelicPoint]:
    """d_relic at every mass of ``masses`` (GeV, strictly increasing) for splitting ``delta``."""
    if len(masses) < 2 or any(not (b > a) for a, b in zip(masses, masses[1:], strict=False)):
        raise ValueError(f"relic masses must be at least two, strictly increasing, got {list(masses)!r}")
    return [d_relic(float(m), delta, dof) for m in masses]


def write_relic_curve(path: str | Path, points: Sequence[RelicPoint], delta: float) -> Path:
    """Write ``points`` (one delta) as an overlay file at ``path``; every value finite."""
    if not points:
        raise ValueError("no relic points to write")
    for p in points:
        if p.delta != delta:
            raise ValueError(f"relic point at delta = {p.delta} in the curve of delta = {delta}")
        if not (math.isfinite(p.m1) and math.isfinite(p.d) and p.d > 0.0):
            raise ValueError(f"relic point is not finite: {p!r}")
    header = {
        "darkreach-curve": "1",
        "label": f"thermal relic, δ={delta:g}",
        "kind": "target",
        "x": "M1",
        "x_unit": "GeV",
        "y": "d",
        "y_unit": "GeV^-1",
        "source": SOURCE,
        "style": "dashed",
        "color": "black",
        "model": MODEL,
        "benchmark": json.dumps({"delta": delta}),
    }
    lines = [f"# {k}: {v}" for k, v in header.items()]
    lines.append("x,y")
    lines += [f"{p.m1:.8g},{p.d:.8g}" for p in points]
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out

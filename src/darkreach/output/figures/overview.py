"""The overview figures of the workflow (rules ``plot_experiment`` and ``plot_model``): every contour of the
target experiments, one panel per benchmark, one outline per experiment, exposure and threshold."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from darkreach.output.contour_table import ContourTable, read_contour_table
from darkreach.output.figures.regions import draw_region
from darkreach.output.style import EXPOSURE_STYLES, PALETTE, display_name, pyplot

plt = pyplot()


def plot_contours(
    files: Mapping[tuple[str, str], str | Path],
    experiments: Sequence[str],
    benchmarks: Sequence[str],
    out_paths: Sequence[str | Path],
    title: str = "",
) -> None:
    """One panel per benchmark; one curve per (experiment, exposure, threshold).

    ``files`` maps (experiment, benchmark label) to a contour table.
    """
    fig, axes = plt.subplots(1, len(benchmarks), figsize=(5.0 * len(benchmarks), 4.4), squeeze=False)
    for ax, bench in zip(axes[0], benchmarks):
        table: ContourTable | None = None
        for exp in experiments:
            table = read_contour_table(files[(exp, bench)])
            rows = table.rows
            exposures = sorted({r["exposure"] for r in rows}, reverse=True)
            thresholds = sorted({r["energy_threshold_gev"] for r in rows})
            colour = PALETTE.get(exp)
            combos = [(e, t) for e in exposures for t in thresholds]
            for ic, (exposure, thr) in enumerate(combos):
                sel = [r for r in rows if r["exposure"] == exposure and r["energy_threshold_gev"] == thr]
                if not sel:
                    continue
                label = f"{display_name(exp)} {exposure:.0e}"
                if len(thresholds) > 1:
                    label += f", E > {thr:g} GeV"
                draw_region(ax, sel, color=colour, linestyle=EXPOSURE_STYLES[ic % len(EXPOSURE_STYLES)], lw=1.6,
                            label=label)  # fmt: skip
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(table.mass_label if table else "mass")
        ax.set_ylabel(table.coupling_label if table else "coupling")
        point = ", ".join(f"{k} = {v}" for k, v in (table.benchmark if table else {}).items())
        ax.set_title(point)
        ax.grid(True, which="major", alpha=0.3)
        if ax.has_data():
            ax.legend(fontsize=8)
        else:
            ax.text(0.5, 0.5, "no sensitivity", transform=ax.transAxes, ha="center")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    for path in out_paths:
        fig.savefig(path, dpi=150)
    plt.close(fig)

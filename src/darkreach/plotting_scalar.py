"""Fig. 1 of paper 003 from the table of :func:`darkreach.models.inelastic_scalar.figure1_table`.

Left panel: BR(M -> phi1 phi2 (+gamma)) for the production mesons; right panel: BR(phi2 -> phi1 X), the three
neutrino flavours summed into one curve. Both against m1, log-log; closed channels (exactly 0) are not drawn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

MESON_LABELS = {
    "pi0": r"$\pi^0$", "eta": r"$\eta$", "etap": r"$\eta'$", "rho": r"$\rho$", "omega": r"$\omega$",
    "jpsi": r"$J/\psi$", "upsilon": r"$\Upsilon(1S)$",
}  # fmt: skip
NEUTRINO_CHANNELS = ("nu_e nu_e~", "nu_mu nu_mu~", "nu_tau nu_tau~")


def _positive(values: np.ndarray) -> np.ndarray:
    out = np.asarray(values, dtype=float).copy()
    out[~(out > 0.0)] = np.nan
    return out


def plot_figure1(
    rows: Sequence[Mapping[str, float]],
    out_paths: Sequence[str | Path],
    title: str = "",
    pqcd_switch_m1: float | None = None,
    br_floor: float = 1e-4,
) -> None:
    """Draw the two panels of Fig. 1 from ``rows`` (``m1_gev``, ``meson:<key>``, ``phi2:<channel>`` columns).

    ``pqcd_switch_m1`` draws a dotted vertical line at the ChPT / pQCD switch; phi2 channels whose BR never
    exceeds ``br_floor`` are omitted from the right panel.
    """
    if not rows:
        raise ValueError("no rows to plot")
    m1 = np.array([r["m1_gev"] for r in rows])
    keys = list(rows[0])
    fig, (left, right) = plt.subplots(1, 2, figsize=(11.0, 4.4))
    for key in (k for k in keys if k.startswith("meson:")):
        name = key.split(":", 1)[1]
        br = _positive(np.array([r[key] for r in rows]))
        if np.any(np.isfinite(br)):
            left.plot(m1, br, label=MESON_LABELS.get(name, name), lw=1.6)
    left.set_ylabel(r"BR$(M \to \phi_1 \phi_2\,(+\gamma))$")
    channels = [k.split(":", 1)[1] for k in keys if k.startswith("phi2:")]
    nu = np.sum([[r.get(f"phi2:{c}", 0.0) for c in NEUTRINO_CHANNELS] for r in rows], axis=1)
    curves: list[tuple[str, np.ndarray]] = []
    for ch in channels:
        if ch in NEUTRINO_CHANNELS:
            if ch == NEUTRINO_CHANNELS[0]:
                curves.append((r"$\nu\bar\nu$ (3 flavours)", nu))
            continue
        curves.append((ch, np.array([r[f"phi2:{ch}"] for r in rows])))
    shown = [(label, br) for label, br in curves if np.nanmax(br) > br_floor]
    colours = plt.get_cmap("tab20").colors
    for i, (label, br) in enumerate(shown):
        style = "--" if label.endswith("~") and " " in label else "-"  # quark pairs dashed
        right.plot(m1, _positive(br), label=label, lw=1.4, ls=style, color=colours[(2 * i) % 20 + (2 * i) // 20])
    right.set_ylabel(r"BR$(\phi_2 \to \phi_1 X)$")
    right.set_ylim(br_floor, 1.5)
    for ax in (left, right):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(r"$m_1$ [GeV]")
        ax.grid(True, which="major", alpha=0.3)
        if pqcd_switch_m1 is not None and ax is right:
            ax.axvline(pqcd_switch_m1, color="grey", ls=":", lw=1.0)
        ax.legend(fontsize=7, ncol=2)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    for path in out_paths:
        fig.savefig(path, dpi=150)
    plt.close(fig)

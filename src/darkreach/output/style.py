"""How darkreach draws and names things: palette, line styles, display names, axis labels, the backend.

Every figure module takes its colours, dashes and names from here, and gets pyplot from :func:`pyplot`, which
selects the non-interactive Agg backend (figures are written to files, also on machines without a display).
Importing this module does not import pyplot, so the configuration checks can use the names below.
"""

from __future__ import annotations

import math
import re
from typing import Any

#: Line style names of the config (``figures.<f>.panels.<p>.curves.<c>.style``) -> matplotlib dashes.
LINE_STYLES: dict[str, str] = {"solid": "-", "dotted": ":", "dashed": "--", "dashdot": "-."}
#: Dashes of the overview figures, one per (exposure, threshold) of an experiment, in this order.
EXPOSURE_STYLES: tuple[str, ...] = tuple(LINE_STYLES.values())
#: How a curve is drawn: a sensitivity as an outline, a bound as a filled, semi-transparent region.
CURVE_KINDS: tuple[str, ...] = ("sensitivity", "bound")
#: Opacity of a bound's fill.
BOUND_ALPHA = 0.25

#: Fixed colour per experiment of the two papers.
PALETTE: dict[str, str] = {
    "na62": "tab:blue",
    "hike": "tab:green",
    "ship": "tab:red",
    "faser2": "tab:purple",
    "ship_ecn3": "tab:red",
    "ship2019": "tab:orange",
    "faser": "tab:pink",
    "mathusla": "tab:cyan",
    "charm": "tab:brown",
    "charm2": "tab:olive",
    "nucal": "darkgoldenrod",
    "bebc": "teal",
    "babar": "tab:gray",
    "lsnd": "darkslategray",
}
#: Colours handed out, in order of first appearance, to experiments missing from :data:`PALETTE`.
FALLBACK_COLOURS: tuple[str, ...] = (
    "navy", "crimson", "darkgreen", "darkorange", "indigo", "saddlebrown", "deeppink", "black",
)  # fmt: skip

#: Display names of experiments whose name is not their upper-cased key.
DISPLAY_NAMES: dict[str, str] = {
    "ship_ecn3": "SHiP", "ship2019": "SHiP (2019)", "charm2": "CHARM-II", "faser2": "FASER 2",
}  # fmt: skip

#: Meson keys of :mod:`darkreach.mesons` in mathtext (figure legends) ...
MESON_LABELS: dict[str, str] = {
    "pi0": r"$\pi^0$", "eta": r"$\eta$", "etap": r"$\eta'$", "rho": r"$\rho$", "omega": r"$\omega$",
    "jpsi": r"$J/\psi$", "upsilon": r"$\Upsilon(1S)$",
}  # fmt: skip
#: ... and in plain text (HEPData headers).
MESON_TEXT: dict[str, str] = {
    "pi0": "pi0", "eta": "eta", "etap": "eta'", "rho": "rho", "omega": "omega", "jpsi": "J/psi",
    "upsilon": "Upsilon(1S)",
}  # fmt: skip

GREEK = {
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu", "nu",
    "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
}  # fmt: skip


def pyplot() -> Any:
    """``matplotlib.pyplot`` on the Agg backend (files only, no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def display_name(experiment: str) -> str:
    """How an experiment is named in legends and HEPData qualifiers: 'charm2' -> 'CHARM-II', 'na62' -> 'NA62'."""
    return DISPLAY_NAMES.get(experiment, experiment.upper())


def latex_name(name: str) -> str:
    """Mathtext of a parameter name: m1 -> $m_1$, Lambda -> $\\Lambda$, M_Zprime -> $M_{Z'}$, delta -> $\\delta$."""
    name = name.strip()
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name):
        return name

    def part(text: str) -> str:
        if text.lower() in GREEK:
            return "\\" + text
        return text.replace("prime", "'")

    if "_" in name:
        base, sub = name.split("_", 1)
    else:
        match = re.fullmatch(r"([A-Za-z]+?)(\d+)", name)
        base, sub = (match.group(1), match.group(2)) if match else (name, "")
    text = part(base)
    if sub:
        sub = part(sub.replace("_", ","))
        text += f"_{{{sub}}}" if len(sub) > 1 else f"_{sub}"
    return f"${text}$"


def latex_unit(unit: str) -> str:
    """Mathtext of a unit: GeV^-1 -> GeV$^{-1}$."""
    return re.sub(r"\^\{?(-?[0-9.]+)\}?", r"$^{\1}$", unit.strip())


def split_axis(text: str) -> tuple[str, str]:
    """(name, unit) of an axis text such as 'd [GeV^-1]' (text after the unit is left out)."""
    match = re.match(r"\s*(\S+)\s*(?:\[([^\]]*)\])?", text)
    if not match:
        return text.strip(), ""
    return match.group(1), (match.group(2) or "").strip()


def axis_label(text: str) -> str:
    """Axis label of an axis text, e.g. 'd [GeV^-1]' -> '$d$ [GeV$^{-1}$]', 'delta []' -> '$\\delta$'.

    Text after the unit (e.g. 'from Lambda with {...}') is left out.
    """
    if not re.match(r"\s*(\S+)", text):
        return text.strip()
    name, unit = split_axis(text)
    return f"{latex_name(name)} [{latex_unit(unit)}]" if unit else latex_name(name)


def power_text(x: float) -> str:
    """1e18 -> '$10^{18}$', 5e19 -> '$5\\times10^{19}$', 300 -> '300'."""
    if x <= 0 or not math.isfinite(x):
        return f"{x:g}"
    exponent = math.floor(math.log10(x))
    if -2 <= exponent <= 3:
        return f"{x:g}"
    mantissa = x / 10**exponent
    if math.isclose(mantissa, round(mantissa), rel_tol=1e-9):
        mantissa = round(mantissa)
    if mantissa == 1:
        return f"$10^{{{exponent}}}$"
    return f"${mantissa:g}\\times10^{{{exponent}}}$"


def plain_text(text: str) -> str:
    """A label without mathtext markup: 'NA62 $10^{18}$ POT' -> 'NA62 10^18 POT'."""
    text = text.replace("$", "").replace("\\times", "x").replace("\\", "")
    text = re.sub(r"\{([^{}]*)\}", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()

"""Squared matrix elements of three-body decays: one registry table, name -> code -> numba |M|^2.

Each matrix element is a numba function with the uniform signature

    f(mp, ma, mb, mc, m12sq, m23sq, params) -> float

(parent mass, the three daughter masses in the papers' labels p1, p2, p3, the Dalitz variables m12^2 and m23^2,
and a parameter array), registered under a name and an integer code by :func:`matrix_element`. Channels carry
the code (:class:`~darkreach.models.base.ThreeBodyProduction`, :class:`~darkreach.models.base.DecayChannel`);
:func:`msq` dispatches on it in every kernel. The dispatcher is compiled from the registry
(:func:`msq_kernel`), so a new matrix element - darkreach's own or a plugin's - is one numba function and one
``@matrix_element(...)`` line; nothing else changes. Normalisation is irrelevant for event sampling (weights
are self-normalised); widths are computed in the model modules.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numba as nb
import numpy as np

from darkreach.kinematics.jit import DispatchChain, keyed_njit
from darkreach.kinematics.me_scalar import (
    msq_pseudoscalar_scalars,
    msq_scalar_fermions,
    msq_scalar_gamma_meson,
    msq_scalar_meson_pair,
)
from darkreach.kinematics.me_sterile import msq_charged_sterile_dipole
from darkreach.registry import CodedFunction, CodedRegistry

#: One registered entry (name, code, numba function, description).
MatrixElement = CodedFunction

#: name -> :class:`~darkreach.registry.CodedFunction`; codes are unique too.
MATRIX_ELEMENTS: CodedRegistry = CodedRegistry("matrix element")


def matrix_element(name: str, code: int | None = None, description: str = "") -> Callable[[Any], Any]:
    """Decorator registering a numba |M|^2 with the uniform signature under ``name`` and ``code``.

    ``code`` defaults to the next free integer (plugins need not pick one; they read it back with
    :func:`matrix_element_code`). A name or a code registered twice is an error naming both functions.
    """

    def register(function: Any) -> Any:
        return MATRIX_ELEMENTS.register_function(name, function, code, description)

    return register


def matrix_element_code(name: str) -> int:
    """The code of the matrix element ``name`` (``KeyError`` listing the known ones)."""
    return MATRIX_ELEMENTS.code(name)


def is_matrix_element_code(code: int) -> bool:
    """Whether ``code`` is a registered matrix-element code."""
    return MATRIX_ELEMENTS.has_code(code)


@nb.njit(cache=True, fastmath=False)
def msq_pseudoscalar_dipole(mp: float, m1: float, m2: float, m12sq: float, m23sq: float, fp: float, d: float) -> float:
    """Spin-summed |M|^2 of eq. (A.4), paper 000, for P0 -> gamma(p1) Psi_M1(p2) Psi_M2(p3)."""
    e2 = 4.0 * math.pi * 0.0072973525643
    pre = d * d * e2 * e2 / (4.0 * math.pi**4 * fp * fp * m23sq * m23sq)
    mp2 = mp * mp
    m1s = m1 * m1
    m2s = m2 * m2
    t1 = mp2 * mp2 * (m23sq * (m2s + 2.0 * m1 * m2 - m1s) - (m1s - m2s) ** 2)
    t2 = (
        m23sq
        * m23sq
        * (
            m1s * m1s
            - 2.0 * m1s * m12sq
            - m23sq * (m1 + m2) ** 2
            + 2.0 * m12sq * m12sq
            - 2.0 * m12sq * m2s
            + 2.0 * m12sq * m23sq
            + m2s * m2s
        )
    )
    t3 = 2.0 * m23sq * mp2 * ((m1s - m2s) * (m2s - m12sq) + m2 * m23sq * (2.0 * m1 + m2) - m12sq * m23sq)
    val = pre * (t1 - t2 - t3)
    return val if val > 0.0 else 0.0


# ------------------------------------------------------------------------------------- the registry table
# Adapters: each built-in |M|^2 with the uniform argument list (which daughters it reads, which params).


@matrix_element("flat", 0, "flat phase space (|M|^2 = 1); tests and two-body-like densities")
@nb.njit(cache=True, inline="always")
def _flat(mp: float, ma: float, mb: float, mc: float, m12sq: float, m23sq: float, params: np.ndarray) -> float:
    return 1.0


@matrix_element("pseudoscalar-dipole", 1, "P0 -> gamma(p1) chi1(p2) chi2(p3), eq. (A.4) of paper 000; params (F_P, d)")
@nb.njit(cache=True, inline="always")
def _pseudoscalar_dipole(
    mp: float, ma: float, mb: float, mc: float, m12sq: float, m23sq: float, params: np.ndarray
) -> float:
    # ma is the photon (massless); mb = M1, mc = M2 as in eq. (A.3) of paper 000.
    return msq_pseudoscalar_dipole(mp, mb, mc, m12sq, m23sq, params[0], params[1])


@matrix_element(
    "charged-sterile-dipole", 2, "P+ -> gamma(p1) l+(p2) N(p3), eq. (A.7) of paper 000; params (f_P, |V_CKM|, d)"
)
@nb.njit(cache=True, inline="always")
def _charged_sterile_dipole(
    mp: float, ma: float, mb: float, mc: float, m12sq: float, m23sq: float, params: np.ndarray
) -> float:
    return msq_charged_sterile_dipole(mp, mb, mc, m12sq, m23sq, params[0], params[1], params[2])


# Inelastic scalars (paper 003), labels as in darkreach.kinematics.me_scalar:
@matrix_element("scalar-fermions", 3, "phi2 -> phi1(p1) f(p2) fbar(p3), (A.14) of paper 003; params (c_V, c_A)")
@nb.njit(cache=True, inline="always")
def _scalar_fermions(
    mp: float, ma: float, mb: float, mc: float, m12sq: float, m23sq: float, params: np.ndarray
) -> float:
    return msq_scalar_fermions(mp, ma, mb, m12sq, m23sq, params[0], params[1])


@matrix_element("scalar-meson-pair", 4, "phi2 -> phi1(p1) P'(p2) P'bar(p3), (A.13)-(A.14) of paper 003; params (c_P',)")
@nb.njit(cache=True, inline="always")
def _scalar_meson_pair(
    mp: float, ma: float, mb: float, mc: float, m12sq: float, m23sq: float, params: np.ndarray
) -> float:
    return msq_scalar_meson_pair(mp, ma, mb, m12sq, m23sq, params[0])


@matrix_element(
    "scalar-gamma-meson", 5, "phi2 -> phi1(p1) P(p2) gamma(p3), Wess-Zumino term, (A.14) of paper 003; params (C,)"
)
@nb.njit(cache=True, inline="always")
def _scalar_gamma_meson(
    mp: float, ma: float, mb: float, mc: float, m12sq: float, m23sq: float, params: np.ndarray
) -> float:
    return msq_scalar_gamma_meson(mp, ma, mb, m12sq, m23sq, params[0])


@matrix_element(
    "pseudoscalar-scalars", 6, "P -> gamma(p1) phi1(p2) phi2(p3), Wess-Zumino term, (A.11) of paper 003; params (C,)"
)
@nb.njit(cache=True, inline="always")
def _pseudoscalar_scalars(
    mp: float, ma: float, mb: float, mc: float, m12sq: float, m23sq: float, params: np.ndarray
) -> float:
    return msq_pseudoscalar_scalars(mp, mb, mc, m12sq, m23sq, params[0])


#: Codes of the built-in matrix elements (channels and tests refer to them by these names).
ME_FLAT = matrix_element_code("flat")
ME_PSEUDOSCALAR_DIPOLE = matrix_element_code("pseudoscalar-dipole")
ME_CHARGED_STERILE_DIPOLE = matrix_element_code("charged-sterile-dipole")
ME_SCALAR_FERMIONS = matrix_element_code("scalar-fermions")
ME_SCALAR_MESON_PAIR = matrix_element_code("scalar-meson-pair")
ME_SCALAR_GAMMA_MESON = matrix_element_code("scalar-gamma-meson")
ME_PSEUDOSCALAR_SCALARS = matrix_element_code("pseudoscalar-scalars")


# ------------------------------------------------------------------------------------- the dispatcher
def _link(code: int, function: Any, rest: Any) -> Any:
    @nb.njit(inline="always")
    def dispatch(
        c: int, mp: float, ma: float, mb: float, mc: float, m12sq: float, m23sq: float, params: np.ndarray
    ) -> float:
        if c == code:
            return function(mp, ma, mb, mc, m12sq, m23sq, params)
        return rest(c, mp, ma, mb, mc, m12sq, m23sq, params)

    return dispatch


@nb.njit(cache=True, inline="always")
def _unknown(
    c: int, mp: float, ma: float, mb: float, mc: float, m12sq: float, m23sq: float, params: np.ndarray
) -> float:
    # channels only carry registered codes (checked when they are built); flat, as before the registry
    return 1.0


_CHAIN = DispatchChain(MATRIX_ELEMENTS, _link, _unknown)


def msq_kernel() -> tuple[str, Any]:
    """(fingerprint, dispatcher) of the registry table as it is now.

    The dispatcher ``msq(code, mp, ma, mb, mc, m12sq, m23sq, params)`` is a chain of closures, one per entry
    (ascending codes); it is rebuilt only when the table changes, and the fingerprint keys the on-disk cache of
    every kernel compiled around it (:class:`darkreach.kinematics.jit.DispatchChain`).
    """
    return _CHAIN()


def msq(code: int, mp: float, ma: float, mb: float, mc: float, m12sq: float, m23sq: float, params: np.ndarray) -> float:
    """|M|^2 of the matrix element ``code`` (see the registry table); from Python, for tests and widths."""
    return float(msq_kernel()[1](code, mp, ma, mb, mc, m12sq, m23sq, params))


__all__ = [
    "MATRIX_ELEMENTS",
    "MatrixElement",
    "is_matrix_element_code",
    "keyed_njit",
    "matrix_element",
    "matrix_element_code",
    "msq",
    "msq_pseudoscalar_dipole",
    "msq_kernel",
]

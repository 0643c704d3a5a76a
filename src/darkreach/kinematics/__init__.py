"""Numba kernels: Lorentz algebra, two- and three-body decays, matrix elements."""

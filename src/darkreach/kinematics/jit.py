"""Numba kernels built from a registry table, with an on-disk cache keyed by the table's contents.

A kernel that dispatches on a registered code (a matrix element, a geometry kind) is compiled from a chain of
closures, one per registry entry (:class:`DispatchChain`, behind :func:`darkreach.kinematics.matrix_elements.msq_kernel`
and :func:`darkreach.detectors.kernels.decay_interval_kernel`), so that a plugin's numba function is called directly,
with no string evaluation and no indirect call: numba resolves (and LLVM inlines) every link at compile time.

numba's own cache keys a closure by pickling its cell contents, and a pickled dispatcher carries a random id,
so closures would never be found in the cache again. :func:`keyed_njit` replaces that part of the key by a
fingerprint of the registry table (names, codes, functions and the source files defining them), so a kernel
built from the same table is loaded from disk in the next process, and a changed table compiles afresh.
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import threading
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

import numba as nb

from darkreach.registry import CodedRegistry, describe


@cache
def _file_digest(path: str) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def fingerprint(entries: Iterable[tuple[str, int, Any]]) -> str:
    """Digest of (name, code, function) triples: names, codes, where each function is defined and that file."""
    digest = hashlib.sha256()
    for name, code, function in sorted(entries, key=lambda e: e[1]):
        py_func = getattr(function, "py_func", function)
        try:
            source = inspect.getsourcefile(py_func) or ""
        except TypeError:
            source = ""
        digest.update(f"{name}\0{code}\0{describe(function)}\0{_file_digest(source)}\n".encode())
    return digest.hexdigest()


def _keyed_cache(py_func: Callable[..., Any], key: str) -> Any:
    from numba.core.caching import FunctionCache

    class KeyedFunctionCache(FunctionCache):
        """numba's function cache with the closure part of the index key replaced by ``key``."""

        def _index_key(self, sig: Any, codegen: Any) -> Any:
            code = hashlib.sha256(self._py_func.__code__.co_code).hexdigest()
            return (sig, codegen.magic_tuple(), (code, key))

    return KeyedFunctionCache(py_func)


def keyed_njit(key: str, **options: Any) -> Callable[[Callable[..., Any]], Any]:
    """``numba.njit(**options)`` with an on-disk cache whose index is keyed by ``key`` (see the module doc).

    If numba's cache internals ever change shape, the kernel still works, compiled once per process.
    """

    def decorate(function: Callable[..., Any]) -> Any:
        dispatcher = nb.njit(**options)(function)
        # pragma: no cover - if numba internals changed: no disk cache, same results
        with contextlib.suppress(Exception):
            dispatcher._cache = _keyed_cache(dispatcher.py_func, key)
        return dispatcher

    return decorate


class DispatchChain:
    """The numba dispatcher of a :class:`~darkreach.registry.CodedRegistry` table, rebuilt when the table changes.

    ``link(code, function, rest)`` returns one numba closure of the chain (call ``function`` when the code matches,
    else ``rest``); it is written once per signature by the table's owner, since numba needs the arguments spelled
    out. Calling the chain gives (fingerprint, dispatcher): the links in ascending codes ending in ``terminal``, and
    the :func:`fingerprint` that keys the on-disk cache of every kernel compiled around it.
    """

    def __init__(self, table: CodedRegistry, link: Callable[[int, Any, Any], Any], terminal: Any) -> None:
        self._table = table
        self._link = link
        self._terminal = terminal
        self._lock = threading.Lock()
        self._state: tuple[int, str, Any] | None = None

    def __call__(self) -> tuple[str, Any]:
        """(fingerprint, dispatcher) of the table as it is now."""
        state = self._state
        if state is None or state[0] != self._table.version:
            with self._lock:
                version = self._table.version
                entries = sorted(
                    ((e.name, e.code, e.function) for e in self._table.registered().values()), key=lambda e: e[1]
                )
                dispatch = self._terminal
                for _, code, function in reversed(entries):
                    dispatch = self._link(code, function, dispatch)
                state = self._state = (version, fingerprint(entries), dispatch)
        return state[1], state[2]

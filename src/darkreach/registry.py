"""Named registries of the things darkreach can be extended with, and their plugin entry points.

A :class:`Registry` maps names to entries (models, geometry types, matrix elements, geometry kernels). darkreach's
own entries register themselves when their module is imported; a third-party package adds its own through a
Python entry point of the registry's group, e.g. in its ``pyproject.toml``::

    [project.entry-points."darkreach.models"]
    toy = "toy_model:ToyModel"          # a class, an instance, or a module that registers on import

    [project.entry-points."darkreach.geometries"]
    toy_sphere = "toy_model:Sphere"

Entry points are read once, the first time a registry is asked for a name (never at import), so the built-in
entries do not depend on installed package metadata. Registering a name twice is an error naming both
registrations; an unknown name is a ``KeyError`` listing the known ones.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from typing import Any, Generic, TypeVar

T = TypeVar("T")

#: Entry-point groups darkreach reads.
MODEL_GROUP = "darkreach.models"
GEOMETRY_GROUP = "darkreach.geometries"


class RegistryError(ValueError):
    """A registration that cannot be accepted (a duplicate name or code, a malformed entry)."""


class PluginError(RuntimeError):
    """An entry point that cannot be loaded or does not provide what its group expects."""


def describe(obj: Any) -> str:
    """``module.qualname`` of a class, function or module (of the class of an instance), for messages."""
    target = getattr(obj, "py_func", obj)  # a numba dispatcher: the Python function it compiles
    if inspect.ismodule(target):
        return target.__name__
    if not (isinstance(target, type) or inspect.isfunction(target)):
        target = type(target)
    return f"{target.__module__}.{target.__qualname__}"


class Registry(Mapping[str, T], Generic[T]):
    """Name -> entry, filled by direct registration and, for a ``group``, by entry points.

    ``kind`` names the entries in messages ("model", "geometry type"). ``loader`` turns a loaded entry-point
    object into registrations (it is called with the object and the entry point, and may register nothing if
    importing the object's module already did). :attr:`version` counts registrations, so that objects built
    from the registry (compiled kernels) can tell when they are stale.
    """

    def __init__(
        self,
        kind: str,
        group: str | None = None,
        loader: Callable[[Any, EntryPoint], None] | None = None,
    ) -> None:
        self.kind = kind
        self.group = group
        self._loader = loader
        self._entries: dict[str, T] = {}
        self._origins: dict[str, str] = {}
        self._plugins_loaded = group is None
        self._loading = False
        self._lock = threading.RLock()
        self.version = 0

    # ------------------------------------------------------------------ registration
    def register(self, name: str, entry: T, origin: str | None = None) -> T:
        """Register ``entry`` under ``name``; ``origin`` says where it comes from (default: the entry's class)."""
        if not isinstance(name, str) or not name:
            raise RegistryError(
                f"{self.kind} name must be a non-empty string, got {name!r} ({origin or describe(entry)})"
            )
        origin = origin or describe(entry)
        with self._lock:
            if name in self._entries:
                raise RegistryError(
                    f"{self.kind} {name!r} is registered twice: by {self._origins[name]} and by {origin}"
                )
            self._entries[name] = entry
            self._origins[name] = origin
            self.version += 1
        return entry

    def origin(self, name: str) -> str:
        """Where the entry ``name`` was registered from."""
        self[name]  # noqa: B018 - raises the KeyError listing the known names
        return self._origins[name]

    # ------------------------------------------------------------------ lookup (loads plugins first)
    def __getitem__(self, name: str) -> T:
        self.load_plugins()
        try:
            return self._entries[name]
        except KeyError:
            known = ", ".join(sorted(self._entries)) or "none"
            raise KeyError(f"unknown {self.kind} {name!r}; known {self.kind}s: {known}") from None

    def __iter__(self) -> Iterator[str]:
        self.load_plugins()
        return iter(sorted(self._entries))

    def __len__(self) -> int:
        self.load_plugins()
        return len(self._entries)

    def __contains__(self, name: object) -> bool:
        self.load_plugins()
        return name in self._entries

    def names(self) -> list[str]:
        """Sorted names of every entry (built-in and plugin)."""
        return list(self)

    def registered(self) -> dict[str, T]:
        """The entries registered so far, without reading entry points (for the kernels, built per state)."""
        with self._lock:
            return dict(self._entries)

    # ------------------------------------------------------------------ plugins
    def load_plugins(self) -> None:
        """Read the entry points of :attr:`group` (once); a failing plugin raises :class:`PluginError`."""
        if self._plugins_loaded or self.group is None:
            return
        with self._lock:  # re-entrant: a plugin registering while it loads; other threads wait here
            if self._plugins_loaded or self._loading:
                return
            self._loading = True
            try:
                group = self.group
                for ep in sorted(entry_points(group=group), key=lambda e: e.name):
                    self._load_entry_point(ep)
                self._plugins_loaded = True
            finally:
                self._loading = False

    def _load_entry_point(self, ep: EntryPoint) -> None:
        dist = getattr(ep.dist, "name", None) or "unknown distribution"
        where = f"entry point {ep.name} = {ep.value} (group {self.group}, {dist})"
        try:
            obj = ep.load()
        except Exception as err:  # an import error in a plugin: say which one
            raise PluginError(f"cannot load {where}: {type(err).__name__}: {err}") from err
        if self._loader is not None:
            try:
                self._loader(obj, ep)
            except (RegistryError, TypeError, ValueError) as err:
                raise PluginError(f"{where}: {err}") from err


@dataclass(frozen=True)
class CodedFunction:
    """One registered numba function with its integer code (what compiled kernels dispatch on)."""

    name: str
    code: int
    function: Any
    description: str = ""


class CodedRegistry(Registry[CodedFunction]):
    """A registry of numba functions that also hands out unique non-negative integer codes: the matrix elements
    (:mod:`darkreach.kinematics.matrix_elements`) and the decay-interval kernels (:mod:`darkreach.detectors.kernels`).
    """

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self._codes: dict[int, str] = {}

    def register_function(self, name: str, function: Any, code: int | None = None, description: str = "") -> Any:
        """Register the numba ``function`` under ``name`` and ``code`` (default: the next free integer); a name or
        a code registered twice is an error naming both functions. Returns ``function``."""
        if not hasattr(function, "py_func"):
            raise RegistryError(f"{self.kind} {name!r}: {describe(function)} is not a numba function (use @numba.njit)")
        with self._lock:
            chosen = max(self._codes, default=-1) + 1 if code is None else code
            if isinstance(chosen, bool) or not isinstance(chosen, int) or chosen < 0:
                raise RegistryError(f"{self.kind} {name!r}: code must be a non-negative integer, got {chosen!r}")
            if chosen in self._codes:
                other = self.registered()[self._codes[chosen]]
                raise RegistryError(
                    f"{self.kind} code {chosen} is registered twice: {self._codes[chosen]!r} by "
                    f"{describe(other.function)} and {name!r} by {describe(function)}"
                )
            self.register(name, CodedFunction(name, chosen, function, description), describe(function))
            self._codes[chosen] = name
        return function

    def code(self, name: str) -> int:
        """The code of ``name`` (``KeyError`` listing the known names)."""
        return self[name].code

    def has_code(self, code: int) -> bool:
        """Whether ``code`` is registered."""
        return code in self._codes

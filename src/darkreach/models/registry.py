"""The model registry: darkreach's own models register on import, third-party ones through entry points.

A model is a :class:`~darkreach.models.base.DarkSectorModel` subclass decorated with :func:`register_model`; a
package outside darkreach exposes it (or the module defining it) under the entry-point group
``darkreach.models`` and it is found the first time a model is looked up (:mod:`darkreach.registry`).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from importlib.metadata import EntryPoint
from typing import Any

from darkreach.models.base import DarkSectorModel, ParameterSpec, ScanSpec
from darkreach.registry import MODEL_GROUP, Registry, RegistryError, describe


def _load_model_plugin(obj: Any, ep: EntryPoint) -> None:
    """An entry point of ``darkreach.models``: a model class or instance (registered here unless its module
    already did), or a module that registers its models on import."""
    if inspect.ismodule(obj):
        return
    if isinstance(obj, type) and issubclass(obj, DarkSectorModel):
        current = MODELS.registered().get(obj.name)
        if current is not None and type(current) is obj:
            return
        register_model(obj)
    elif isinstance(obj, DarkSectorModel):
        current = MODELS.registered().get(obj.name)
        if current is not obj:
            _register_instance(obj)
    else:
        raise TypeError(f"expected a DarkSectorModel subclass, an instance or a module, got {describe(obj)}")


#: Model name -> model instance; built-ins below, plugins from ``darkreach.models``.
MODELS: Registry[DarkSectorModel] = Registry("model", MODEL_GROUP, _load_model_plugin)


def _check_declarations(model: DarkSectorModel) -> None:
    """What the kit needs from a model before it can be used anywhere (messages name the model class)."""
    where = f"model {model.name!r} ({describe(model)})"
    if not isinstance(getattr(model, "scan", None), ScanSpec):
        raise RegistryError(f"{where}: 'scan' must be a ScanSpec")
    names = [spec.name for spec in model.parameter_specs]
    if len(set(names)) != len(names):
        raise RegistryError(f"{where}: parameter names repeat: {names}")
    flags = [spec.flag for spec in model.parameter_specs]
    if len(set(flags)) != len(flags) or model.scan.cli_option in flags:
        raise RegistryError(f"{where}: command-line flags repeat: {flags + [model.scan.cli_option]}")
    if model.mass_parameter not in names or not model.parameter_spec(model.mass_parameter).numeric:
        raise RegistryError(
            f"{where}: mass_parameter {model.mass_parameter!r} must be one of its numeric parameters {names}"
        )
    for alias, target in model.alias_parameters.items():
        if target not in names or alias in names:
            raise RegistryError(f"{where}: alias {alias!r} -> {target!r} must name a parameter and not be one")


def _register_instance(model: DarkSectorModel) -> DarkSectorModel:
    if not model.name:
        raise RegistryError(f"{describe(model)} has no name")
    _check_declarations(model)
    return MODELS.register(model.name, model, describe(model))


def register_model(cls: type[DarkSectorModel]) -> type[DarkSectorModel]:
    """Class decorator registering (an instance of) ``cls`` under ``cls.name``."""
    if not cls.name:
        raise RegistryError(f"{describe(cls)} has no name")
    _register_instance(cls())
    return cls


def get_model(name: str) -> DarkSectorModel:
    """Return the registered model ``name`` or raise ``KeyError`` listing the known ones."""
    return MODELS[name]


def model_names() -> list[str]:
    """Names of all registered models (plugins included)."""
    return MODELS.names()


# ----------------------------------------------------------------------------- command-line options
@dataclass(frozen=True)
class CliParameter:
    """One command-line option for a model parameter, merged over every model that declares it."""

    flag: str
    name: str
    type: type
    choices: tuple[str, ...] | None
    help: str
    models: tuple[str, ...]


def _merged_help(helps: dict[str, list[str]]) -> str:
    return "; ".join(f"{text} ({', '.join(models)})" for text, models in helps.items())


def cli_parameters() -> dict[str, CliParameter]:
    """flag -> :class:`CliParameter` for every parameter of every registered model (plugins included).

    Models may share a flag (``--m1``) if they agree on the parameter name, type and choices; otherwise the
    error names both models.
    """
    merged: dict[str, tuple[ParameterSpec, list[str], dict[str, list[str]]]] = {}
    for model in (MODELS[name] for name in MODELS):
        for spec in model.parameter_specs:
            if spec.flag in merged:
                first, models, helps = merged[spec.flag]
                if (first.name, first.type, first.choices) != (spec.name, spec.type, spec.choices):
                    raise RegistryError(
                        f"command-line option {spec.flag} means {first.name!r} ({first.type.__name__}, choices "
                        f"{first.choices}) for model {models[0]!r} but {spec.name!r} ({spec.type.__name__}, choices "
                        f"{spec.choices}) for model {model.name!r}"
                    )
                models.append(model.name)
                helps.setdefault(spec.help, []).append(model.name)
            else:
                merged[spec.flag] = (spec, [model.name], {spec.help: [model.name]})
    scan_flags = {MODELS[name].scan.cli_option: name for name in MODELS}
    for flag, (spec, models, _) in merged.items():
        if flag in scan_flags or spec.name in {f.lstrip("-") for f in scan_flags}:
            raise RegistryError(
                f"command-line option {flag} of model {models[0]!r} clashes with the scan option of model "
                f"{scan_flags.get(flag, '?')!r}"
            )
    return {
        flag: CliParameter(flag, spec.name, spec.type, spec.choices, _merged_help(helps), tuple(models))
        for flag, (spec, models, helps) in merged.items()
    }


def cli_scan_options() -> dict[str, str]:
    """flag -> help of the options setting the scanned coupling (each model's ``ScanSpec.cli_option``)."""
    helps: dict[str, dict[str, list[str]]] = {}
    for name in MODELS:
        scan = MODELS[name].scan
        text = f"scanned coupling {scan.name} in {scan.unit}" if scan.unit else f"scanned coupling {scan.name}"
        helps.setdefault(scan.cli_option, {}).setdefault(text, []).append(name)
    return {flag: _merged_help(texts) for flag, texts in helps.items()}

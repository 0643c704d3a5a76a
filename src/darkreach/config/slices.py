"""The slice of a configuration that one workflow job depends on, and content hashes of it.

Snakemake reruns a job when its ``params`` change. Every rule therefore passes exactly the part of the
configuration its script reads (and the script reads nothing else), in canonical form: keys sorted,
``description`` strings dropped (they change no number). Editing one experiment then reruns that
experiment's scans and what is built from them, and nothing else; editing a description reruns nothing.

Meson samples are content-addressed: a sample's file name carries the hash of the settings that made it
(beam, generator, master seed), so two configurations that describe a beam differently never share, and
never overwrite, each other's samples, while identical settings are generated once.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from typing import Any

#: Keys that document and never change a result.
DOCUMENTATION_KEYS: frozenset[str] = frozenset({"description"})

#: Generator keys that normalise a sample but do not change how it is generated.
NORMALISATION_KEYS: frozenset[str] = frozenset({"correction_factor"})

#: Generator keys whose default value is left out of a sample's hash, so that spelling the default out
#: (``engine: pythia8``) names the same sample as leaving it out (the hashes of configs without the key stay).
DEFAULT_GENERATOR_VALUES: dict[str, Any] = {"engine": "pythia8"}

#: Hex digits of a sample's content hash in its file name.
SAMPLE_HASH_LENGTH = 12


def canonical(obj: Any) -> Any:
    """``obj`` with every mapping's keys sorted and documentation keys dropped (JSON types only)."""
    if isinstance(obj, Mapping):
        return {str(k): canonical(obj[k]) for k in sorted(obj, key=str) if k not in DOCUMENTATION_KEYS}
    if isinstance(obj, (list, tuple)):
        return [canonical(v) for v in obj]
    if isinstance(obj, float) and not math.isfinite(obj):
        raise ValueError(f"a configuration value must be finite, got {obj!r}")
    return obj


def canonical_json(obj: Any) -> str:
    """Compact JSON of :func:`canonical` ``obj``: the text that content hashes are taken of."""
    return json.dumps(canonical(obj), sort_keys=True, separators=(",", ":"))


def content_hash(obj: Any, length: int = 16) -> str:
    """First ``length`` hex digits of the SHA-256 of :func:`canonical_json` ``obj``."""
    return hashlib.sha256(canonical_json(obj).encode()).hexdigest()[:length]


def sample_spec(cfg: Mapping[str, Any], beam: str, generator: str) -> dict[str, Any]:
    """Everything that determines the merged meson sample of ``generator`` on ``beam``: the beam's frame and
    energy, the generator's engine, process, species, statistics, tune and extra settings, and the master seed (the
    shard seeds derive from it, the beam name and the generator name). Keys at their default
    (:data:`DEFAULT_GENERATOR_VALUES`) are left out."""
    bcfg = cfg["beams"][beam]
    gcfg = bcfg["generators"][generator]
    return canonical(
        {
            "beam": beam,
            "generator": generator,
            "seed": int(cfg["seed"]),
            "beam_settings": {k: v for k, v in bcfg.items() if k not in ("generators", "partons")},
            "generator_settings": {
                k: v
                for k, v in gcfg.items()
                if k not in NORMALISATION_KEYS
                and not (k in DEFAULT_GENERATOR_VALUES and v == DEFAULT_GENERATOR_VALUES[k])
            },
        }
    )


def sample_id(cfg: Mapping[str, Any], beam: str, generator: str) -> str:
    """File stem of a merged sample, ``<generator>-<hash>``; the hash is that of :func:`sample_spec`."""
    return f"{generator}-{content_hash(sample_spec(cfg, beam, generator), SAMPLE_HASH_LENGTH)}"


def parton_sample_spec(cfg: Mapping[str, Any], beam: str) -> dict[str, Any]:
    """Everything that determines the merged parton sample of ``beam``: its sqrt(s), its ``partons`` settings
    (defaults filled in) and the master seed (the shard seeds derive from it and the beam name)."""
    from darkreach.production.partons.settings import PartonSettings

    bcfg = cfg["beams"][beam]
    settings = PartonSettings.from_mapping(bcfg["partons"], f"beams.{beam}.partons")
    return canonical(
        {"beam": beam, "seed": int(cfg["seed"]), "sqrt_s_gev": bcfg["sqrt_s_gev"], "partons": settings.as_dict()}
    )


def parton_sample_id(cfg: Mapping[str, Any], beam: str) -> str:
    """File stem of a beam's merged parton sample, ``partons-<hash>`` (hash of :func:`parton_sample_spec`)."""
    return f"partons-{content_hash(parton_sample_spec(cfg, beam), SAMPLE_HASH_LENGTH)}"


def beam_samples_id(cfg: Mapping[str, Any], beam: str) -> str:
    """Hash of all sample ids of a beam (names its multiplicity table)."""
    ids = sorted(sample_id(cfg, beam, g) for g in cfg["beams"][beam].get("generators", {}))
    return content_hash(ids, SAMPLE_HASH_LENGTH)


def scan_slice(cfg: Mapping[str, Any], experiment: str, model: str, benchmark: Mapping[str, Any]) -> dict[str, Any]:
    """The minimal configuration one scan job reads: its experiment, that experiment's beam, the model's grids
    (without the other benchmarks) and the scan defaults the experiment and model do not override.

    The result is itself a configuration mapping (``beams``, ``experiments``, ``models``, ``scan``) that
    :func:`darkreach.sensitivity.experiment_scan.scan_experiment` takes in place of the whole config.
    """
    from darkreach.models import AXIS_KEY, get_model

    ecfg = cfg["experiments"][experiment]
    mcfg = cfg["models"][model]
    axis = benchmark.get(AXIS_KEY, get_model(model).mass_parameter)
    model_part: dict[str, Any] = {}
    if axis == get_model(model).mass_parameter:
        if "mass_gev" in mcfg:
            model_part["mass_gev"] = mcfg["mass_gev"]
    else:
        model_part["axis_grids"] = {axis: mcfg["axis_grids"][axis]}
    if "coupling" in mcfg:
        model_part["coupling"] = mcfg["coupling"]
    scan: dict[str, Any] = {}
    scan_cfg = cfg["scan"]
    if axis == get_model(model).mass_parameter and "mass_gev" not in mcfg:
        scan["mass_gev"] = scan_cfg["mass_gev"]
    if "coupling" not in mcfg:
        scan["coupling"] = scan_cfg["coupling"]
    if "events_per_mass" not in ecfg:
        scan["events_per_mass"] = scan_cfg["events_per_mass"]
    if "level" not in ecfg and "limit" not in ecfg:
        scan["level"] = scan_cfg["level"]
    for key in ("batches", "edge_precision", "max_events_per_mass"):
        if key in scan_cfg and key not in ecfg:
            scan[key] = scan_cfg[key]
    bcfg = dict(cfg["beams"][ecfg["beam"]])
    if "partons" not in ecfg.get("production", ()):
        bcfg.pop("partons", None)  # the parton sample's settings change only the scans that read it
    return canonical(
        {
            "beams": {ecfg["beam"]: bcfg},
            "experiments": {experiment: ecfg},
            "models": {model: model_part},
            "scan": scan,
        }
    )


def figure_slice(cfg: Mapping[str, Any], figure: str) -> dict[str, Any]:
    """The configuration one ``figure`` job reads: its entry under ``figures``, canonical (its script types it
    with :func:`darkreach.config.figures.figure_spec_from_config`)."""
    entry = cfg["figures"][figure]
    if isinstance(entry, Mapping) and entry.get("kind") == "production":
        # a production figure counts LLPs at experiments: their entries, their beams and the scan's level
        names = list(entry.get("experiments", ()))
        experiments = {n: cfg["experiments"][n] for n in names if n in cfg["experiments"]}
        beams = {e["beam"]: cfg["beams"][e["beam"]] for e in experiments.values() if e.get("beam") in cfg["beams"]}
        context = {"experiments": experiments, "beams": beams, "level": cfg.get("scan", {}).get("level")}
        return canonical({**entry, "context": context})
    return canonical(entry)

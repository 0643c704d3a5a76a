"""Loading and validating the workflow configuration.

* :mod:`~darkreach.config.loading`: YAML files (syntax errors name file, line and column), ``extends:``, and the
  configuration of a workflow run;
* :mod:`~darkreach.config.schema`: the JSON schema (``config.schema.yaml``) with the registries' enumerations;
* :mod:`~darkreach.config.checks`: what a schema cannot say; every error names the key path and the value;
* :mod:`~darkreach.config.slices`: the slice of a configuration one workflow job depends on;
* :mod:`~darkreach.config.reading`: typed reads of a mapping whose errors name key and value;
* :mod:`~darkreach.config.specs`: beams, generators, models, benchmarks, scan defaults and targets as frozen
  dataclasses; :mod:`~darkreach.config.experiment`: an experiment entry as a
  :class:`darkreach.experiments.Experiment`; :mod:`~darkreach.config.figures`: figure specs;
* :mod:`~darkreach.config.run`: the whole run (:class:`RunConfig`, :func:`load_run_config`) and one scan job's
  slice (:class:`ScanSlice`).
"""

from __future__ import annotations

from darkreach.config.checks import RESERVED_TARGETS, benchmark_label, check_config, grid_values
from darkreach.config.errors import ConfigError
from darkreach.config.loading import (
    CATALOGUE_DIR,
    CATALOGUES,
    EXTENDS_KEY,
    deep_merge,
    load_config,
    read_yaml_mapping,
    resolve_extends,
    resolve_workflow_config,
)
from darkreach.config.run import RunConfig, ScanSlice, load_run_config
from darkreach.config.schema import (
    ENUM_MARKER,
    SCHEMA_PATH,
    load_schema,
    schema_enumerations,
    schema_file,
    validate_schema,
)
from darkreach.config.specs import (
    BeamSpec,
    BenchmarkSpec,
    GeneratorSpec,
    Grid,
    ModelSpec,
    SampleSpec,
    ScanSpec,
    TargetsSpec,
)

__all__ = [
    "BeamSpec",
    "BenchmarkSpec",
    "GeneratorSpec",
    "Grid",
    "ModelSpec",
    "RunConfig",
    "SampleSpec",
    "ScanSlice",
    "ScanSpec",
    "TargetsSpec",
    "load_run_config",
    "CATALOGUES",
    "CATALOGUE_DIR",
    "ENUM_MARKER",
    "EXTENDS_KEY",
    "RESERVED_TARGETS",
    "SCHEMA_PATH",
    "ConfigError",
    "benchmark_label",
    "check_config",
    "deep_merge",
    "grid_values",
    "load_config",
    "load_schema",
    "read_yaml_mapping",
    "resolve_extends",
    "resolve_workflow_config",
    "schema_enumerations",
    "schema_file",
    "validate_schema",
]

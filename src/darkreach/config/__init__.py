"""Loading and validating the workflow configuration.

* :mod:`~darkreach.config.loading`: YAML files (syntax errors name file, line and column), ``extends:``, and the
  configuration of a workflow run;
* :mod:`~darkreach.config.schema`: the JSON schema (``config.schema.yaml``) with the registries' enumerations;
* :mod:`~darkreach.config.checks`: what a schema cannot say; every error names the key path and the value;
* :mod:`~darkreach.config.slices`: the slice of a configuration one workflow job depends on;
* :mod:`~darkreach.config.figures`: figure specs as frozen dataclasses.
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
from darkreach.config.schema import (
    ENUM_MARKER,
    SCHEMA_PATH,
    load_schema,
    schema_enumerations,
    schema_file,
    validate_schema,
)

__all__ = [
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

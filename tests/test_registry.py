"""Registries: duplicates are errors naming both registrations, unknown names list the known ones, the schema's
enumerations and the CLI options come from the registries, and the model kit's declarations drive validation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numba as nb
import pytest
import yaml
from conftest import REPO

from darkreach.config import ConfigError, load_config, load_schema, schema_enumerations
from darkreach.detectors import kernels
from darkreach.detectors.geometry import GEOMETRIES, Box, geometry_from_config, geometry_types, register_geometry
from darkreach.kinematics import matrix_elements as me
from darkreach.mesons import MESONS, PYTHIA_PROCESSES
from darkreach.models import DarkSectorModel, ParameterSpec, ScanSpec, get_model, model_names, register_model
from darkreach.models.registry import MODELS, cli_parameters, cli_scan_options
from darkreach.registry import Registry, RegistryError


# ----------------------------------------------------------------------------- the generic registry
def test_duplicate_registration_names_both() -> None:
    reg: Registry[int] = Registry("widget")
    reg.register("a", 1, origin="pkg.one")
    with pytest.raises(RegistryError, match=r"widget 'a' is registered twice: by pkg\.one and by pkg\.two"):
        reg.register("a", 2, origin="pkg.two")
    assert reg["a"] == 1 and reg.origin("a") == "pkg.one"


def test_unknown_name_lists_the_known_ones() -> None:
    reg: Registry[int] = Registry("widget")
    reg.register("b", 2, origin="x")
    reg.register("a", 1, origin="x")
    with pytest.raises(KeyError, match=r"unknown widget 'c'; known widgets: a, b"):
        reg["c"]
    assert reg.names() == ["a", "b"] and list(reg) == ["a", "b"] and "a" in reg and len(reg) == 2


def test_version_counts_registrations() -> None:
    reg: Registry[int] = Registry("widget")
    v0 = reg.version
    reg.register("a", 1, origin="x")
    assert reg.version == v0 + 1


# ----------------------------------------------------------------------------- models
def test_model_registry_duplicate_and_unknown() -> None:
    class Again(DarkSectorModel):
        name = "idm-dipole"
        parameter_specs = (ParameterSpec("m1", float, "GeV"),)
        scan = ScanSpec("d", "GeV^-1", 2.0)

        def llp_mass(self, point):  # pragma: no cover - never used
            return 1.0

        llp_width_unit = production_channels = decay_channels = llp_mass

    with pytest.raises(RegistryError) as err:
        register_model(Again)
    message = str(err.value)
    assert "model 'idm-dipole' is registered twice" in message
    assert "darkreach.models.idm_dipole.IDMDipole" in message and "test_registry" in message and "Again" in message
    assert type(get_model("idm-dipole")).__name__ == "IDMDipole"  # the first registration stands
    with pytest.raises(
        KeyError,
        match="unknown model 'axion'; known models: idm-dipole, inelastic-scalar, inelastic-scalar-dark-photon, "
        "inelastic-scalar-zprime, sterile-dipole",
    ):
        get_model("axion")


def test_model_declarations_are_checked_at_registration() -> None:
    class NoMass(DarkSectorModel):
        name = "no-mass"
        parameter_specs = (ParameterSpec("flavour", str, choices=("e",)),)
        scan = ScanSpec("d", "GeV^-1", 2.0)

        def llp_mass(self, point):  # pragma: no cover - never used
            return 1.0

        llp_width_unit = production_channels = decay_channels = llp_mass

    with pytest.raises(RegistryError, match="mass_parameter 'm1' must be one of its numeric parameters"):
        register_model(NoMass)
    assert "no-mass" not in MODELS


def test_parameter_specs_drive_validation_and_derived_attributes() -> None:
    idm, sterile, scalar = get_model("idm-dipole"), get_model("sterile-dipole"), get_model("inelastic-scalar")
    assert idm.parameters == ("m1", "delta") and idm.optional_parameters == ()
    assert scalar.parameters == ("m1", "delta", "neutrino_convention", "couplings")
    assert scalar.optional_parameters == ("neutrino_convention", "couplings")
    assert scalar.parameter_units == {"m1": "GeV", "delta": ""}
    assert sterile.parameter_spec("flavour").choices == ("e", "mu", "tau")
    for model, point, message in [
        (idm, {"m1": True, "delta": 0.1}, "m1 must be a positive mass in GeV, got True"),
        (idm, {"m1": 0.1, "delta": float("inf")}, "delta must be positive, got inf"),
        (idm, {"delta": 0.1}, "idm-dipole needs parameter 'm1'"),
        (sterile, {"m1": -1.0, "flavour": "e"}, r"m1 \(M_N\) must be a positive mass in GeV, got -1.0"),
        (sterile, {"m1": 0.1, "flavour": "x"}, "flavour must be one of e, mu, tau, got 'x'"),
        (scalar, {"m1": 0.1, "delta": 1.0, "couplings": {"top": 1}}, r"couplings: unknown fermion name\(s\) 'top'"),
    ]:
        with pytest.raises(ValueError, match=message):
            model.validate_point(point)
    scalar.validate_point({"m1": 0.1, "delta": 1.0, "couplings": None})  # optional: None is the default


def test_parameter_spec_declarations_are_checked() -> None:
    with pytest.raises(ValueError, match="type must be float, str or dict"):
        ParameterSpec("n", int)
    with pytest.raises(ValueError, match="choices need type str"):
        ParameterSpec("x", float, choices=("a",))
    with pytest.raises(ValueError, match="cli_flag must look like '--name'"):
        ParameterSpec("x", float, cli_flag="-x")


def test_ee_production_is_declared_on_the_base_class() -> None:
    assert DarkSectorModel.ee_pair_cross_section_unit is None
    assert get_model("idm-dipole").has_ee_production()
    assert not get_model("sterile-dipole").has_ee_production()
    assert not get_model("inelastic-scalar").has_ee_production()


def test_cli_options_come_from_the_specs() -> None:
    options = cli_parameters()
    assert list(options) == [
        "--m1", "--delta", "--neutrino-convention", "--couplings", "--zprime-mass", "--g-phi", "--g-vq", "--g-vl",
        "--flavour",
    ]  # fmt: skip
    assert options["--m1"].models == (
        "idm-dipole", "inelastic-scalar", "inelastic-scalar-dark-photon", "inelastic-scalar-zprime", "sterile-dipole",
    )  # fmt: skip
    # a parameter shared by two models is one option naming both
    assert options["--g-phi"].models == ("inelastic-scalar-dark-photon", "inelastic-scalar-zprime")
    assert options["--flavour"].choices == ("e", "mu", "tau") and options["--couplings"].type is dict
    assert "(sterile-dipole)" in options["--m1"].help
    scans = cli_scan_options()
    assert set(scans) == {"--coupling", "--lambda", "--mzprime", "--epsilon"}
    assert "M_Zprime in TeV (inelastic-scalar-zprime)" in scans["--mzprime"]
    assert "d in GeV^-1 (idm-dipole, sterile-dipole)" in scans["--coupling"]


# ----------------------------------------------------------------------------- matrix elements and geometry kinds
def test_matrix_element_table() -> None:
    assert [me.MATRIX_ELEMENTS[n].code for n in me.MATRIX_ELEMENTS] == [2, 0, 1, 6, 3, 5, 4]
    assert (
        me.ME_FLAT,
        me.ME_PSEUDOSCALAR_DIPOLE,
        me.ME_CHARGED_STERILE_DIPOLE,
        me.ME_SCALAR_FERMIONS,
        me.ME_SCALAR_MESON_PAIR,
        me.ME_SCALAR_GAMMA_MESON,
        me.ME_PSEUDOSCALAR_SCALARS,
    ) == (0, 1, 2, 3, 4, 5, 6)
    with pytest.raises(KeyError, match="unknown matrix element 'nope'; known matrix elements: charged-sterile-dipole"):
        me.matrix_element_code("nope")


def test_duplicate_matrix_element_name_or_code_names_both() -> None:
    @nb.njit
    def other(mp, ma, mb, mc, m12sq, m23sq, params):  # pragma: no cover - never compiled
        return 1.0

    version = me.MATRIX_ELEMENTS.version
    with pytest.raises(
        RegistryError,
        match=r"code 1 is registered twice: 'pseudoscalar-dipole' by "
        r"darkreach\.kinematics\.matrix_elements\._pseudoscalar_dipole and 'x' by "
        r".*test_registry.*other",
    ):
        me.matrix_element("x", code=1)(other)
    with pytest.raises(RegistryError, match="matrix element 'flat' is registered twice"):
        me.matrix_element("flat", code=99)(other)
    with pytest.raises(RegistryError, match="is not a numba function"):
        me.matrix_element("plain")(lambda *a: 1.0)
    assert me.MATRIX_ELEMENTS.version == version  # nothing half-registered


def test_channels_refuse_unregistered_matrix_elements() -> None:
    from darkreach.models.base import DecayChannel, ThreeBodyProduction

    with pytest.raises(ValueError, match="unknown matrix-element code 99; registered: flat = 0"):
        ThreeBodyProduction("eta", 1.0, (0.0, 0.1, 0.2), 2, 99, ())
    with pytest.raises(ValueError, match="decay channel 'x': unknown matrix-element code 42"):
        DecayChannel("x", 1.0, (0.1, 0.0, 0.0), (1,), matrix_element=42)


def test_geometry_registry() -> None:
    assert geometry_types() == ["box", "cone", "cylinder_calorimeter", "frustum"]
    assert GEOMETRIES.origin("box") == "darkreach.detectors.geometry.box.Box"
    assert kernels.INTERVAL_KERNELS.names() == ["box", "cone", "cone_z", "cylinder_calorimeter", "frustum"]
    with pytest.raises(
        ValueError,
        match=r"geometry.type must be one of \['box', 'cone', 'cylinder_calorimeter', "
        r"'frustum'\], got 'sphere'",
    ):
        geometry_from_config({"type": "sphere"})

    @dataclass(frozen=True)
    class OtherBox:
        z_m: float
        type_name: ClassVar[str] = "box"

        def kernel(self, mode):  # pragma: no cover - never used
            return Box(1.0, 2.0, 1.0, 1.0).kernel(mode)

    with pytest.raises(
        RegistryError,
        match=r"geometry type 'box' is registered twice: by "
        r"darkreach\.detectors\.geometry\.box\.Box and by .*OtherBox",
    ):
        register_geometry(OtherBox)

    class NotFrozen:
        type_name: ClassVar[str] = "loose"

    with pytest.raises(RegistryError, match="must be a frozen dataclass"):
        register_geometry(NotFrozen)
    with pytest.raises(ValueError, match="unknown geometry kernel kind 17; registered kinds: box = 2"):
        from darkreach.detectors.geometry import KernelGeometry

        KernelGeometry(17, Box(1.0, 2.0, 1.0, 1.0).kernel("exact").params)


def test_duplicate_geometry_kernel_code_names_both() -> None:
    @nb.njit
    def other(params, ux, uy, uz, kx, ky, kz):  # pragma: no cover - never compiled
        return 0.0, 0.0

    with pytest.raises(
        RegistryError,
        match=r"geometry kernel code 2 is registered twice: 'box' by "
        r"darkreach\.detectors\.geometry\.box\.box_interval and 'slab'",
    ):
        kernels.interval_kernel("slab", 2)(other)


# ----------------------------------------------------------------------------- the schema
def test_schema_enumerations_come_from_the_registries() -> None:
    enums = schema_enumerations()
    assert enums["models"] == model_names()
    assert enums["geometry_types"] == geometry_types()
    assert enums["mesons"] == list(MESONS) and enums["processes"] == list(PYTHIA_PROCESSES)
    schema = load_schema()
    experiment = schema["properties"]["experiments"]["additionalProperties"]["properties"]
    assert experiment["geometry"]["properties"]["type"]["enum"] == geometry_types()
    assert experiment["species"]["items"]["enum"] == list(MESONS)
    assert experiment["multiplicities"]["propertyNames"]["enum"] == list(MESONS)
    assert experiment["multiplicity_table"]["enum"] == [
        "paper000",
        "paper003-fixed-target",
        "paper003-lhc",
        "generated",
    ]
    assert schema["properties"]["models"]["propertyNames"]["enum"] == model_names()
    assert "x-darkreach-enum" not in str(schema)
    # the schema file itself keeps no hand-copied list of these names
    raw = yaml.safe_load((REPO / "src" / "darkreach" / "config" / "config.schema.yaml").read_text())

    def enums(node):
        if isinstance(node, dict):
            yield from node.get("enum", [])
            for value in node.values():
                yield from enums(value)
        elif isinstance(node, list):
            for value in node:
                yield from enums(value)

    written = set(enums(raw))
    assert written and not written & {*geometry_types(), *MESONS, *PYTHIA_PROCESSES, *model_names(), "paper000"}


def test_schema_file_is_the_filled_schema(tmp_path) -> None:
    import json

    from darkreach.config import schema_file

    path = schema_file(tmp_path)
    assert json.loads(path.read_text()) == load_schema() and schema_file(tmp_path) == path


def test_unknown_names_in_a_config_are_refused_with_their_path(tmp_path) -> None:
    cfg = (REPO / ".test" / "config.yaml").read_text()
    bad = tmp_path / "bad.yaml"
    bad.write_text(cfg.replace("type: cylinder_calorimeter", "type: sphere", 1))
    with pytest.raises(ConfigError, match=r"experiments\.(na62|hike)\.geometry\.type.*'sphere' is not one of"):
        load_config(bad)
    bad.write_text(cfg.replace("  idm-dipole:\n", "  axion:\n", 1))
    with pytest.raises(ConfigError, match=r"config key 'models\.axion': 'axion' is not one of \['idm-dipole'"):
        load_config(bad)


def test_config_benchmark_axis_must_be_a_numeric_parameter() -> None:
    cfg = load_config(REPO / "config" / "sterile.yaml")
    cfg["models"]["sterile-dipole"]["benchmarks"].append({"axis": "flavour", "m1": 0.1})
    cfg["models"]["sterile-dipole"]["axis_grids"] = {"flavour": [1.0, 2.0]}
    with pytest.raises(
        ConfigError,
        match=r"models\.sterile-dipole\.axis_grids\.flavour': 'flavour' is not a numeric "
        r"parameter of 'sterile-dipole' \(numeric: \['m1'\]\)",
    ):
        from darkreach.config import check_config

        check_config(cfg)

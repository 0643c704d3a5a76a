# Helpers shared by the rules: the configuration (resolved and validated once, at parse time), the config
# slice each job depends on, path builders and target lists.
import os
import re
from pathlib import Path

from snakemake.utils import validate

from darkreach.bounds.tables import bound_job
from darkreach.config import ConfigError, RunConfig, resolve_workflow_config, schema_file
from darkreach.config.slices import content_hash, figure_slice, parton_sample_spec, sample_spec, scan_slice
from darkreach.config.variations import contour_level, figure_variations, is_derived, scan_benchmark, scan_source
from darkreach.production.meson_beams.store import meson_sample_path, multiplicity_table_path
from darkreach.production.partons.sample_file import parton_sample_path
from darkreach.seeds import derive_seed

# With no --configfile the embedded default runs; a --configfile is the whole configuration unless it says
# `extends: <catalogue>`. Semantic checks name the key and the value; then snakemake's own schema validation,
# against the schema with its enumerations (models, geometry types, mesons, processes) filled from the registries.
DEFAULT_CONFIG = Path(workflow.basedir) / "config" / "config.yaml"
try:
    _resolved = resolve_workflow_config(config, workflow.config_settings.configfiles, DEFAULT_CONFIG)
except ConfigError as err:
    raise WorkflowError(f"invalid configuration: {err}")
config.clear()
config.update(_resolved)
validate(config, str(schema_file()))
# The typed configuration (darkreach.config.RunConfig) the helpers below read; `config` itself is only sliced
# into the rules' params (darkreach.config.slices), which are all a job's script reads.
RUN = RunConfig.from_mapping(config)

RESULTS = Path("results")
LOGS = Path("logs")
ENV = "../../envs/darkreach.yaml"
# envs/darkreach.yaml installs this checkout with `pip install -e ${DARKREACH_REPO}`: conda runs pip in the folder of
# Snakemake's copy of the env file, so a relative path would point into .snakemake/conda.
os.environ.update(DARKREACH_REPO=str(Path(workflow.basedir).resolve()))

# An experiment name: a configured one, or <experiment>~<variation> (darkreach.config.variations).
_EXPERIMENT = r"[A-Za-z0-9_-]+(?:~[A-Za-z0-9_-]+)?"


wildcard_constraints:
    beam=r"[A-Za-z0-9_-]+",
    sample=r"[A-Za-z0-9_-]+-[0-9a-f]{12}",
    psample=r"partons-[0-9a-f]{12}",
    samples=r"[0-9a-f]{12}",
    shard=r"t?\d+",
    experiment=_EXPERIMENT,
    model=r"[A-Za-z0-9_-]+",
    benchmark=r"[A-Za-z0-9_.+-]+",
    figure=r"[A-Za-z0-9_-]+",
    bound=r"[A-Za-z0-9_-]+",


def benchmarks(model):
    """Benchmark labels of a model, e.g. ['delta-0.1', ...]."""
    return [b.label for b in RUN.models[model].benchmarks]


def benchmark_point(model, label):
    """The benchmark ``label`` of ``model``, as the mapping of the configuration (a rule parameter)."""
    try:
        return RUN.models[model].benchmark(label).as_dict()
    except KeyError as err:
        raise WorkflowError(str(err.args[0]))


# --- meson samples: content-addressed by the settings that generate them ---------------------------------


def sample_generator(wildcards):
    """The generator of ``wildcards.beam`` whose sample id is ``wildcards.sample``."""
    for generator, sample in RUN.beams[wildcards.beam].sample_ids.items():
        if sample == wildcards.sample:
            return generator
    raise WorkflowError(
        f"no generator of beam {wildcards.beam!r} has sample id {wildcards.sample!r} under this configuration"
    )


def sample_settings(wildcards):
    """The generation settings of one sample (beam frame and energy, generator, master seed), canonical."""
    return sample_spec(config, wildcards.beam, sample_generator(wildcards))


def shard_files(wildcards):
    """The nominal shards ``<sample>_<i>`` and the tail-stratum shards ``<sample>_t<i>`` of a sample."""
    gen = RUN.beams[wildcards.beam].generators[sample_generator(wildcards)]
    folder = RESULTS / "mesons" / wildcards.beam / "shards"
    n_tail = 0 if gen.tail_stratum is None else gen.tail_stratum.shards
    return [folder / f"{wildcards.sample}_{i}.root" for i in range(gen.shards)] + [
        folder / f"{wildcards.sample}_t{i}.root" for i in range(n_tail)
    ]


def shard_seed(wildcards):
    """A shard's seed: nominal shards from ("generate", beam, generator, i), tail shards from ("generate-tail", ...)."""
    generator = sample_generator(wildcards)
    shard = wildcards.shard
    stream = "generate-tail" if shard.startswith("t") else "generate"
    return derive_seed(RUN.seed, stream, wildcards.beam, generator, int(shard.lstrip("t")))


def beam_meson_files(beam):
    """Merged meson samples of a beam, generator -> path (none for an e+e- beam); the command line finds them
    with the same function (darkreach.production.meson_beams.store)."""
    spec = RUN.beams[beam]
    return {g: meson_sample_path(RESULTS, spec, g) for g in spec.generators}


def multiplicity_file(beam):
    return multiplicity_table_path(RESULTS, RUN.beams[beam])


def beam_of_samples(wildcards):
    """``wildcards.beam``, checked to have the sample set ``wildcards.samples`` under this configuration."""
    if RUN.beams[wildcards.beam].samples_id != wildcards.samples:
        raise WorkflowError(
            f"beam {wildcards.beam!r} has sample set {RUN.beams[wildcards.beam].samples_id!r} under this "
            f"configuration, not {wildcards.samples!r}"
        )
    return wildcards.beam


# --- parton samples (workflow/rules/partons.smk): content-addressed like the meson samples -------------------


def parton_beam(wildcards):
    """``wildcards.beam``, checked to have the parton sample ``wildcards.psample`` under this configuration."""
    if RUN.beams[wildcards.beam].parton_sample_id != wildcards.psample:
        raise WorkflowError(f"beam {wildcards.beam!r} has no parton sample {wildcards.psample!r} under this configuration")
    return wildcards.beam


def parton_settings(wildcards):
    """The generation settings of a beam's parton sample (darkreach.config.slices.parton_sample_spec)."""
    return parton_sample_spec(config, parton_beam(wildcards))


def parton_shard_files(wildcards):
    spec = RUN.beams[parton_beam(wildcards)].partons
    folder = RESULTS / "partons" / wildcards.beam / "shards"
    return [folder / f"{wildcards.psample}_{i}.root" for i in range(spec.shards)]


def parton_shard_seed(wildcards):
    return derive_seed(RUN.seed, "generate-partons", parton_beam(wildcards), int(wildcards.shard))


# --- scans: the slice of the configuration each scan reads --------------------------------------------

# Derived experiments that differ from their nominal one only in the contour level (darkreach.config.variations.
# scan_source): rule contours makes their tables from the nominal scan; rule scan serves every other experiment.
# Every {experiment} of the scan and contours paths is followed by "/", which the look-ahead checks.
LEVEL_ONLY_EXPERIMENTS = sorted(e for e in config["experiments"] if scan_source(config, e) != e)
_LEVEL_ONLY = "|".join(re.escape(e) for e in LEVEL_ONLY_EXPERIMENTS)
SCANNED_EXPERIMENT = rf"(?!(?:{_LEVEL_ONLY})/){_EXPERIMENT}" if _LEVEL_ONLY else _EXPERIMENT
LEVEL_ONLY_EXPERIMENT = rf"(?:{_LEVEL_ONLY})" if _LEVEL_ONLY else r"(?!)"



def experiment_meson_files(wildcards):
    """The meson samples of the experiment's beam; none when it lists no meson production (partons only)."""
    experiment = RUN.experiments[wildcards.experiment]
    if "mesons" not in experiment.production:
        return {}
    return beam_meson_files(experiment.beam)


def experiment_parton_files(wildcards):
    """The beam's parton sample, as input ``partons``, for an experiment that lists parton production."""
    experiment = RUN.experiments[wildcards.experiment]
    if "partons" not in experiment.production:
        return {}
    beam = RUN.beams[experiment.beam]
    if beam.partons is None:
        raise WorkflowError(f"experiment {experiment.name!r} lists partons: set beams.{beam.name}.partons")
    return {"partons": parton_sample_path(RESULTS, beam)}


def scan_spec(wildcards):
    """The minimal configuration the scan job reads (see darkreach.config.slices.scan_slice)."""
    return scan_slice(config, wildcards.experiment, wildcards.model, benchmark_point(wildcards.model, wildcards.benchmark))


def scan_point(wildcards):
    """The benchmark point the scan runs at: a derived experiment's model parameters laid over the benchmark
    (darkreach.config.variations.scan_benchmark)."""
    point = benchmark_point(wildcards.model, wildcards.benchmark)
    return scan_benchmark(config, wildcards.experiment, wildcards.model, point)


def scan_file(wildcards):
    """The scan a contour table is made from: a derived experiment that changes only the contour level reuses
    its nominal experiment's scan (darkreach.config.variations.scan_source)."""
    source = scan_source(config, wildcards.experiment)
    return RESULTS / "scans" / source / wildcards.model / f"{wildcards.benchmark}.npz"


def scan_seed(wildcards):
    return derive_seed(RUN.seed, "scan", wildcards.model, wildcards.benchmark)


def contour_outputs(experiment, model):
    return [RESULTS / "contours" / experiment / model / f"{label}.csv" for label in benchmarks(model)] + [
        RESULTS / "grids" / experiment / model / f"{label}.csv" for label in benchmarks(model)
    ]


def figure_contours(figure):
    """Contour tables a figure draws: one per (curve experiment or bound, panel benchmark) of a `contours` figure,
    and its curve overlay files; none for the other kinds (a `branching` figure is computed from the model alone)."""
    spec = RUN.figures[figure]
    out = []
    if spec.kind != "contours":
        return out
    for ip, panel in enumerate(spec.panels):
        for overlay in panel.overlays:  # curve files (darkreach.output.overlays); a rule may make them
            if Path(overlay) not in out:
                out.append(Path(overlay))
        for curve in panel.curves:
            # curve.table: "contours" (an experiment's scan) or "bounds" (rule bound_table)
            path = RESULTS / curve.table / curve.experiment / spec.model / f"{panel.label}.csv"
            if path not in out:
                out.append(path)
            if curve.table == "bounds":
                continue
            for derived in figure_variations(config, figure, ip).get(curve.experiment, ()):
                path = RESULTS / "contours" / derived / spec.model / f"{panel.label}.csv"
                if path not in out:
                    out.append(path)
    return out


def figure_outputs(figure):
    base = RESULTS / "paper" / figure
    return [
        base.with_suffix(".png"),
        base.with_suffix(".pdf"),
        base.with_suffix(".csv"),
        RESULTS / "paper" / f"{figure}_hepdata",
        RESULTS / "paper" / f"{figure}_hepdata.zip",
    ]


def experiment_outputs(experiment):
    """Every file that the target named after ``experiment`` builds: its contours for the target models
    (if it is a target experiment) and for every configured figure that draws it."""
    beam = RUN.experiments[experiment].beam
    out = []
    if RUN.beams[beam].generators:
        out.append(multiplicity_file(beam))
    if experiment in RUN.targets.experiments:
        for model in RUN.targets.models:
            out += contour_outputs(experiment, model)
            out.append(RESULTS / "figures" / model / f"{experiment}.png")
            out.append(RESULTS / "figures" / model / f"{experiment}.pdf")
    for figure in RUN.figures:
        for path in figure_contours(figure):
            if path.parts[-3] == experiment and path not in out:
                out.append(path)
    return out


def all_outputs():
    out = []
    for experiment in RUN.targets.experiments:
        out += experiment_outputs(experiment)
    for model in RUN.targets.models:
        out.append(RESULTS / "figures" / f"{model}.png")
        out.append(RESULTS / "figures" / f"{model}.pdf")
    for figure in RUN.targets.figures:
        out += figure_outputs(figure)
    return out


# --- thermal-relic lines (workflow/rules/relic.smk) ------------------------------------------------------


def relic_masses(model):
    """The masses of a relic line: the model's mass grid, else ``scan.mass_gev``."""
    grid = RUN.models[model].mass_gev or RUN.scan.mass_gev
    if grid is None:
        raise WorkflowError(f"no mass grid for the relic line of {model}: set models.{model}.mass_gev or scan.mass_gev")
    return list(grid.values)


def relic_outputs():
    """One overlay file per benchmark of every configured model that has a relic computation (idm-dipole)."""
    from darkreach.cosmology.curves import MODEL

    if MODEL not in RUN.models:
        return []
    return [RESULTS / "relic" / MODEL / f"{label}.csv" for label in benchmarks(MODEL)]

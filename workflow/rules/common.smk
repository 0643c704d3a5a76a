# Helpers shared by the rules: config validation at parse time, path builders, target lists.
from pathlib import Path

from snakemake.utils import validate

from darkreach.config import SCHEMA_PATH, ConfigError, benchmark_label, check_config
from darkreach.seeds import derive_seed

# Semantic checks first: they name the key and the value. Then snakemake's own schema validation.
try:
    check_config(config)
except ConfigError as err:
    raise WorkflowError(f"invalid configuration: {err}")
validate(config, str(SCHEMA_PATH))

RESULTS = Path("results")
LOGS = Path("logs")


wildcard_constraints:
    beam=r"[A-Za-z0-9_-]+",
    generator=r"[A-Za-z0-9_-]+",
    shard=r"\d+",
    experiment=r"[A-Za-z0-9_-]+",
    model=r"[A-Za-z0-9_-]+",
    benchmark=r"[A-Za-z0-9_.+-]+",
    figure=r"[A-Za-z0-9_-]+",


def benchmarks(model):
    """Benchmark labels of a model, e.g. ['delta-0.1', ...]."""
    return [benchmark_label(b) for b in config["models"][model]["benchmarks"]]


def benchmark_point(model, label):
    for b in config["models"][model]["benchmarks"]:
        if benchmark_label(b) == label:
            return b
    raise WorkflowError(f"model {model!r} has no benchmark {label!r}; known: {benchmarks(model)}")


def shard_files(wildcards):
    gen = config["beams"][wildcards.beam]["generators"][wildcards.generator]
    return [
        RESULTS / "mesons" / wildcards.beam / "shards" / f"{wildcards.generator}_{i}.root"
        for i in range(gen["shards"])
    ]


def shard_seed(wildcards):
    return derive_seed(int(config["seed"]), "generate", wildcards.beam, wildcards.generator, int(wildcards.shard))


def beam_meson_files(beam):
    """Merged meson samples of a beam (none for an e+e- beam)."""
    return {g: RESULTS / "mesons" / beam / f"{g}.root" for g in config["beams"][beam].get("generators", {})}


def experiment_meson_files(wildcards):
    return beam_meson_files(config["experiments"][wildcards.experiment]["beam"])


def scan_seed(wildcards):
    return derive_seed(int(config["seed"]), "scan", wildcards.model, wildcards.benchmark)


def contour_outputs(experiment, model):
    return [RESULTS / "contours" / experiment / model / f"{label}.csv" for label in benchmarks(model)] + [
        RESULTS / "grids" / experiment / model / f"{label}.csv" for label in benchmarks(model)
    ]


def figure_contours(figure):
    """Contour tables a paper figure draws: one per (curve experiment, panel benchmark)."""
    spec = config["figures"][figure]
    out = []
    for panel in spec["panels"]:
        label = benchmark_label(panel["benchmark"])
        for curve in panel["curves"]:
            path = RESULTS / "contours" / curve["experiment"] / spec["model"] / f"{label}.csv"
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
    beam = config["experiments"][experiment]["beam"]
    out = []
    if config["beams"][beam].get("generators"):
        out.append(RESULTS / "mesons" / beam / "multiplicities.csv")
    if experiment in config["targets"]["experiments"]:
        for model in config["targets"]["models"]:
            out += contour_outputs(experiment, model)
            out.append(RESULTS / "figures" / model / f"{experiment}.png")
            out.append(RESULTS / "figures" / model / f"{experiment}.pdf")
    for figure in config.get("figures", {}):
        for path in figure_contours(figure):
            if path.parts[-3] == experiment and path not in out:
                out.append(path)
    return out


def all_outputs():
    out = []
    for experiment in config["targets"]["experiments"]:
        out += experiment_outputs(experiment)
    for model in config["targets"]["models"]:
        out.append(RESULTS / "figures" / f"{model}.png")
        out.append(RESULTS / "figures" / f"{model}.pdf")
    for figure in config["targets"].get("figures", []):
        if figure == "fig_scalar_1":  # the branching-ratio figure is a fixed rule (workflow/rules/branching.smk)
            out += [RESULTS / "branching" / f"inelastic-scalar{ext}" for ext in (".csv", ".png", ".pdf", "_hepdata")]
        else:
            out += figure_outputs(figure)
    return out

# darkreach workflow: PYTHIA8 mesons -> dark states through detector geometries -> sensitivity contours.
#   snakemake --cores N                                       the embedded default (config/config.yaml)
#   snakemake --cores N na62                                  one experiment (or figure) by name
#   snakemake --cores N --configfile=config/paper.yaml fig_na62_2   another catalogue, one of its targets
# A --configfile is the whole configuration unless it says `extends: <catalogue>` (see README).

from snakemake.utils import min_version

min_version("9.0")


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/generate.smk"
include: "workflow/rules/partons.smk"
include: "workflow/rules/scan.smk"
include: "workflow/rules/plots.smk"
include: "workflow/rules/relic.smk"
include: "workflow/rules/targets.smk"


# Jobs that take seconds run on the submitting node, not through a cluster queue.
localrules:
    all,
    merge_mesons,
    multiplicities,
    contours,
    bound_table,
    plot_experiment,
    plot_model,
    figure,


# Kept here, not in an included file: snakemake ignores default_target in included files (issue #2773).
rule all:
    default_target: True
    input:
        all_outputs(),

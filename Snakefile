# darkreach workflow: PYTHIA8 mesons -> dark states through detector geometries -> sensitivity contours.
# Run `snakemake --cores N` for the configured targets, or `snakemake --cores N <experiment>` for one.

configfile: "config/config.yaml"


include: "workflow/rules/common.smk"
include: "workflow/rules/generate.smk"
include: "workflow/rules/scan.smk"
include: "workflow/rules/plots.smk"
include: "workflow/rules/branching.smk"
include: "workflow/rules/targets.smk"


# Kept here, not in an included file: snakemake ignores default_target in included files (issue #2773).
rule all:
    default_target: True
    input:
        all_outputs(),

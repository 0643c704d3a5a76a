# One target rule per configured experiment: `snakemake --cores N na62` rebuilds NA62 only.
# (The default target `all` lives in the Snakefile.)


for _experiment in RUN.experiments:

    rule:
        name:
            _experiment
        input:
            experiment_outputs(_experiment),


# One target rule per configured paper figure: `snakemake --cores N fig_na62_2`.
for _figure in RUN.figures:

    rule:
        name:
            _figure
        input:
            figure_outputs(_figure),

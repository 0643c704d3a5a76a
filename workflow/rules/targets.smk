# One target rule per configured experiment: `snakemake --cores N na62` rebuilds NA62 only.
# (The default target `all` lives in the Snakefile.)


# (A derived experiment <experiment>~<variation> has no target of its own: the figures that draw it build it.)
for _experiment in (e for e in RUN.experiments if not is_derived(e)):

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

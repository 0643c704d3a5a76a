# One target rule per configured experiment: `snakemake --cores N na62` rebuilds NA62 only.
# (The default target `all` lives in the Snakefile.)


for _experiment in config["experiments"]:

    rule:
        name:
            _experiment
        input:
            experiment_outputs(_experiment),

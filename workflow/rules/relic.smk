# Thermal-relic lines (paper 000 Fig. 2, dashed black): d(M1) with Omega h^2 = 0.12 for every benchmark of a
# model that has a relic computation (darkreach.cosmology), as curve-overlay files a figure can draw.


rule relic_curve:
    output:
        RESULTS / "relic" / "{model}" / "{benchmark}.csv",
    log:
        LOGS / "relic" / "{model}" / "{benchmark}.log",
    benchmark:
        RESULTS / "benchmarks" / "relic" / "{model}" / "{benchmark}.tsv"
    params:
        point=lambda wc: benchmark_point(wc.model, wc.benchmark),
        masses=lambda wc: relic_masses(wc.model),
    threads: 1
    resources:
        mem_mb=1000,
        runtime=30,
    conda:
        ENV
    script:
        "../scripts/relic.py"


# `snakemake --cores N relic`: every relic line of the configuration.
rule relic:
    input:
        relic_outputs(),

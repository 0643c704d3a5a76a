# Stage 1b: the reference parton sample of a collider beam (q qbar -> phi1 phi2, darkreach.production.partons.reference),
# sharded, then merged; content-addressed: results/partons/<beam>/partons-<hash of the settings>.root. Every scan of
# an experiment that lists `partons` reweights it to each of its points.


rule generate_partons:
    output:
        temp(RESULTS / "partons" / "{beam}" / "shards" / "{psample}_{shard}.root"),
    log:
        LOGS / "generate_partons" / "{beam}" / "{psample}_{shard}.log",
    benchmark:
        RESULTS / "benchmarks" / "generate_partons" / "{beam}" / "{psample}_{shard}.tsv"
    params:
        settings=parton_settings,
        config_hash=lambda wc: content_hash(parton_settings(wc)),
        seed=parton_shard_seed,
    threads: 1
    resources:
        mem_mb=1000,
        runtime=30,
    conda:
        ENV
    script:
        "../scripts/generate_partons.py"


rule merge_partons:
    input:
        parton_shard_files,
    output:
        RESULTS / "partons" / "{beam}" / "{psample}.root",
    log:
        LOGS / "merge_partons" / "{beam}" / "{psample}.log",
    benchmark:
        RESULTS / "benchmarks" / "merge_partons" / "{beam}" / "{psample}.tsv"
    params:
        config_hash=lambda wc: content_hash(parton_settings(wc)),
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/merge_partons.py"

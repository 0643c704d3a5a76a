# Stage 1: PYTHIA8 meson generation, sharded, then merged; per-beam multiplicity table.


rule generate_mesons:
    output:
        RESULTS / "mesons" / "{beam}" / "shards" / "{generator}_{shard}.root",
    log:
        LOGS / "generate" / "{beam}" / "{generator}_{shard}.log",
    benchmark:
        RESULTS / "benchmarks" / "generate" / "{beam}" / "{generator}_{shard}.tsv"
    params:
        beam=lambda wc: config["beams"][wc.beam],
        generator=lambda wc: config["beams"][wc.beam]["generators"][wc.generator],
        seed=shard_seed,
    threads: 1
    resources:
        mem_mb=1000,
        runtime=60,
    script:
        "../scripts/generate_mesons.py"


rule merge_mesons:
    input:
        shard_files,
    output:
        RESULTS / "mesons" / "{beam}" / "{generator}.root",
    log:
        LOGS / "merge" / "{beam}" / "{generator}.log",
    benchmark:
        RESULTS / "benchmarks" / "merge" / "{beam}" / "{generator}.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    script:
        "../scripts/merge_mesons.py"


rule multiplicities:
    input:
        lambda wc: beam_meson_files(wc.beam).values(),
    output:
        RESULTS / "mesons" / "{beam}" / "multiplicities.csv",
    log:
        LOGS / "multiplicities" / "{beam}.log",
    benchmark:
        RESULTS / "benchmarks" / "multiplicities" / "{beam}.tsv"
    params:
        files=lambda wc: {g: str(p) for g, p in beam_meson_files(wc.beam).items()},
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/multiplicities.py"

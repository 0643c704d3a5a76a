# Stage 1: meson generation (PYTHIA8 or SIBYLL, per generator entry), sharded, then merged; per-beam multiplicity table.
# Samples are content-addressed: results/mesons/<beam>/<generator>-<hash of the settings>.root.


rule generate_mesons:
    output:
        temp(RESULTS / "mesons" / "{beam}" / "shards" / "{sample}_{shard}.root"),
    log:
        LOGS / "generate" / "{beam}" / "{sample}_{shard}.log",
    benchmark:
        RESULTS / "benchmarks" / "generate" / "{beam}" / "{sample}_{shard}.tsv"
    params:
        settings=sample_settings,
        config_hash=lambda wc: content_hash(sample_settings(wc)),
        seed=shard_seed,
        tail=lambda wc: wc.shard.startswith("t"),
    threads: 1
    resources:
        mem_mb=1000,
        runtime=60,
    conda:
        ENV
    script:
        "../scripts/generate_mesons.py"


rule merge_mesons:
    input:
        shard_files,
    output:
        RESULTS / "mesons" / "{beam}" / "{sample}.root",
    log:
        LOGS / "merge" / "{beam}" / "{sample}.log",
    benchmark:
        RESULTS / "benchmarks" / "merge" / "{beam}" / "{sample}.tsv"
    params:
        config_hash=lambda wc: content_hash(sample_settings(wc)),
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/merge_mesons.py"


rule multiplicities:
    input:
        lambda wc: beam_meson_files(beam_of_samples(wc)).values(),
    output:
        report(
            RESULTS / "mesons" / "{beam}" / "multiplicities-{samples}.csv",
            category="Meson samples",
            caption="../report/multiplicities.rst",
        ),
    log:
        LOGS / "multiplicities" / "{beam}-{samples}.log",
    benchmark:
        RESULTS / "benchmarks" / "multiplicities" / "{beam}-{samples}.tsv"
    params:
        files=lambda wc: {g: str(p) for g, p in beam_meson_files(beam_of_samples(wc)).items()},
        config_hash=lambda wc: wc.samples,
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    conda:
        ENV
    script:
        "../scripts/multiplicities.py"

# Stage 2: decay kernels and yields over the (mass, coupling) grid; stage 3: N = level contours.


rule scan:
    input:
        unpack(experiment_meson_files),
    output:
        RESULTS / "scans" / "{experiment}" / "{model}" / "{benchmark}.npz",
    log:
        LOGS / "scan" / "{experiment}" / "{model}" / "{benchmark}.log",
    benchmark:
        RESULTS / "benchmarks" / "scan" / "{experiment}" / "{model}" / "{benchmark}.tsv"
    params:
        spec=scan_spec,
        benchmark=lambda wc: benchmark_point(wc.model, wc.benchmark),
        config_hash=lambda wc: content_hash([scan_spec(wc), benchmark_point(wc.model, wc.benchmark)]),
        seed=scan_seed,
    threads: lambda wc: RUN.scan.threads
    resources:
        mem_mb=3000,
        runtime=30,
    conda:
        ENV
    script:
        "../scripts/scan.py"


rule contours:
    input:
        RESULTS / "scans" / "{experiment}" / "{model}" / "{benchmark}.npz",
    output:
        contours=RESULTS / "contours" / "{experiment}" / "{model}" / "{benchmark}.csv",
        grid=RESULTS / "grids" / "{experiment}" / "{model}" / "{benchmark}.csv",
    log:
        LOGS / "contours" / "{experiment}" / "{model}" / "{benchmark}.log",
    benchmark:
        RESULTS / "benchmarks" / "contours" / "{experiment}" / "{model}" / "{benchmark}.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    conda:
        ENV
    script:
        "../scripts/contours.py"

# Stage 2: decay kernels and yields over the (mass, coupling) grid; stage 3: N = level contours.


rule scan:
    input:
        unpack(experiment_meson_files),
        unpack(experiment_parton_files),
    output:
        RESULTS / "scans" / "{experiment}" / "{model}" / "{benchmark}.npz",
    log:
        LOGS / "scan" / "{experiment}" / "{model}" / "{benchmark}.log",
    benchmark:
        RESULTS / "benchmarks" / "scan" / "{experiment}" / "{model}" / "{benchmark}.tsv"
    params:
        spec=scan_spec,
        benchmark=scan_point,
        nominal_benchmark=lambda wc: benchmark_point(wc.model, wc.benchmark),
        config_hash=lambda wc: content_hash([scan_spec(wc), scan_point(wc)]),
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
        scan_file,
    output:
        contours=RESULTS / "contours" / "{experiment}" / "{model}" / "{benchmark}.csv",
        grid=RESULTS / "grids" / "{experiment}" / "{model}" / "{benchmark}.csv",
    log:
        LOGS / "contours" / "{experiment}" / "{model}" / "{benchmark}.log",
    params:
        level=lambda wc: contour_level(config, wc.experiment),
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

# Stage 2: decay kernels and yields over the (mass, coupling) grid, and stage 3: the N = level contours and the
# N grid, in one job per scan (a second job per scan would pay the interpreter and import start-up again).
# A derived experiment that changes only the contour level has no scan of its own: rule contours makes its
# tables from the nominal experiment's scan (LEVEL_ONLY_EXPERIMENTS in common.smk).


rule scan:
    input:
        unpack(experiment_meson_files),
        unpack(experiment_parton_files),
    output:
        scan=RESULTS / "scans" / "{experiment}" / "{model}" / "{benchmark}.npz",
        contours=RESULTS / "contours" / "{experiment}" / "{model}" / "{benchmark}.csv",
        grid=RESULTS / "grids" / "{experiment}" / "{model}" / "{benchmark}.csv",
    wildcard_constraints:
        experiment=SCANNED_EXPERIMENT,
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
        level=lambda wc: contour_level(config, wc.experiment),
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
    wildcard_constraints:
        experiment=LEVEL_ONLY_EXPERIMENT,
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

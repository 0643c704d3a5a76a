# Stage 4: figures from the contour tables.


rule plot_experiment:
    input:
        lambda wc: [RESULTS / "contours" / wc.experiment / wc.model / f"{b}.csv" for b in benchmarks(wc.model)],
    output:
        png=report(
            RESULTS / "figures" / "{model}" / "{experiment}.png",
            category="Sensitivity",
            subcategory="{model}",
            caption="../report/sensitivity.rst",
            labels={"model": "{model}", "experiment": "{experiment}"},
        ),
        pdf=RESULTS / "figures" / "{model}" / "{experiment}.pdf",
    log:
        LOGS / "plots" / "{model}" / "{experiment}.log",
    benchmark:
        RESULTS / "benchmarks" / "plots" / "{model}" / "{experiment}.tsv"
    params:
        experiments=lambda wc: [wc.experiment],
        benchmarks=lambda wc: benchmarks(wc.model),
        level=lambda wc: RUN.scan.level,
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    conda:
        ENV
    script:
        "../scripts/plot_contours.py"


rule plot_model:
    input:
        lambda wc: [
            RESULTS / "contours" / e / wc.model / f"{b}.csv"
            for e in RUN.targets.experiments
            for b in benchmarks(wc.model)
        ],
    output:
        png=report(
            RESULTS / "figures" / "{model}.png",
            category="Sensitivity",
            subcategory="{model}",
            caption="../report/sensitivity.rst",
            labels={"model": "{model}", "experiment": "all targets"},
        ),
        pdf=RESULTS / "figures" / "{model}.pdf",
    log:
        LOGS / "plots" / "{model}.log",
    benchmark:
        RESULTS / "benchmarks" / "plots" / "{model}.tsv"
    params:
        experiments=lambda wc: list(RUN.targets.experiments),
        benchmarks=lambda wc: benchmarks(wc.model),
        level=lambda wc: RUN.scan.level,
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    conda:
        ENV
    script:
        "../scripts/plot_contours.py"


# Configured figures (config `figures`), every kind (darkreach.output.figures): PNG, PDF, the CSV of what is
# drawn and a HEPData record, also zipped. A `contours` figure reads contour tables; a `branching` one nothing.
rule figure:
    input:
        lambda wc: figure_contours(wc.figure),
    output:
        png=report(
            RESULTS / "paper" / "{figure}.png",
            category="Paper figures",
            caption="../report/paper_figure.rst",
            labels={"figure": "{figure}", "format": "PNG"},
        ),
        pdf=RESULTS / "paper" / "{figure}.pdf",
        csv=report(
            RESULTS / "paper" / "{figure}.csv",
            category="Paper figures",
            caption="../report/paper_figure_table.rst",
            labels={"figure": "{figure}", "format": "CSV"},
        ),
        hepdata=directory(RESULTS / "paper" / "{figure}_hepdata"),
        archive=report(
            RESULTS / "paper" / "{figure}_hepdata.zip",
            category="Paper figures",
            caption="../report/hepdata.rst",
            labels={"figure": "{figure}", "format": "HEPData"},
        ),
    log:
        LOGS / "paper" / "{figure}.log",
    benchmark:
        RESULTS / "benchmarks" / "paper" / "{figure}.tsv"
    params:
        spec=lambda wc: figure_slice(config, wc.figure),
        name=lambda wc: wc.figure,
        config_hash=lambda wc: content_hash(figure_slice(config, wc.figure)),
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    conda:
        ENV
    script:
        "../scripts/figure.py"


# Computed bounds (darkreach.bounds) named in a figure panel's `bounds:` list: one contour table per bound, model
# and benchmark, drawn shaded by the figure rule.
rule bound_table:
    output:
        table=RESULTS / "bounds" / "{bound}" / "{model}" / "{benchmark}.csv",
    log:
        LOGS / "bounds" / "{bound}" / "{model}" / "{benchmark}.log",
    benchmark:
        RESULTS / "benchmarks" / "bounds" / "{bound}" / "{model}" / "{benchmark}.tsv"
    params:
        job=lambda wc: bound_job(RUN, wc.bound, wc.model, wc.benchmark),
        config_hash=lambda wc: content_hash(bound_job(RUN, wc.bound, wc.model, wc.benchmark)),
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    conda:
        ENV
    script:
        "../scripts/bound_table.py"

# Stage 4: figures from the contour tables.


rule plot_experiment:
    input:
        lambda wc: [RESULTS / "contours" / wc.experiment / wc.model / f"{b}.csv" for b in benchmarks(wc.model)],
    output:
        png=RESULTS / "figures" / "{model}" / "{experiment}.png",
        pdf=RESULTS / "figures" / "{model}" / "{experiment}.pdf",
    log:
        LOGS / "plots" / "{model}" / "{experiment}.log",
    benchmark:
        RESULTS / "benchmarks" / "plots" / "{model}" / "{experiment}.tsv"
    params:
        experiments=lambda wc: [wc.experiment],
        benchmarks=lambda wc: benchmarks(wc.model),
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/plot_contours.py"


rule plot_model:
    input:
        lambda wc: [
            RESULTS / "contours" / e / wc.model / f"{b}.csv"
            for e in config["targets"]["experiments"]
            for b in benchmarks(wc.model)
        ],
    output:
        png=RESULTS / "figures" / "{model}.png",
        pdf=RESULTS / "figures" / "{model}.pdf",
    log:
        LOGS / "plots" / "{model}.log",
    benchmark:
        RESULTS / "benchmarks" / "plots" / "{model}.tsv"
    params:
        experiments=lambda wc: config["targets"]["experiments"],
        benchmarks=lambda wc: benchmarks(wc.model),
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/plot_contours.py"



# Paper figures (config `figures`): PNG, PDF, the CSV of every drawn curve and a HEPData record.
rule paper_figure:
    input:
        lambda wc: figure_contours(wc.figure),
    output:
        png=RESULTS / "paper" / "{figure}.png",
        pdf=RESULTS / "paper" / "{figure}.pdf",
        csv=RESULTS / "paper" / "{figure}.csv",
        hepdata=directory(RESULTS / "paper" / "{figure}_hepdata"),
        archive=RESULTS / "paper" / "{figure}_hepdata.zip",
    log:
        LOGS / "paper" / "{figure}.log",
    benchmark:
        RESULTS / "benchmarks" / "paper" / "{figure}.tsv"
    params:
        spec=lambda wc: config["figures"][wc.figure],
        name=lambda wc: wc.figure,
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/figure.py"

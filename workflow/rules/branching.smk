# Fig. 1 of paper 003 (inelastic scalars): meson and phi2 branching ratios against m1.
# Benchmark of the figure: c_fL = c_fR = 1, delta = 10, Lambda = 1 TeV; independent of the config's targets.
# Build with `snakemake --cores 2 fig_scalar_1` (or any of its outputs by name): CSV, PNG, PDF and the HEPData
# record results/branching/inelastic-scalar_hepdata/ (both tables, with the PNG and CSV as additional resources).

SCALAR_BRANCHING = RESULTS / "branching" / "inelastic-scalar"


rule scalar_branching_ratios:
    output:
        csv=report(
            f"{SCALAR_BRANCHING}.csv",
            category="Paper figures",
            caption="../report/branching.rst",
            labels={"figure": "fig_scalar_1", "format": "CSV"},
        ),
        png=report(
            f"{SCALAR_BRANCHING}.png",
            category="Paper figures",
            caption="../report/branching.rst",
            labels={"figure": "fig_scalar_1", "format": "PNG"},
        ),
        pdf=f"{SCALAR_BRANCHING}.pdf",
        hepdata=directory(f"{SCALAR_BRANCHING}_hepdata"),
    log:
        LOGS / "branching" / "inelastic-scalar.log",
    benchmark:
        RESULTS / "benchmarks" / "branching" / "inelastic-scalar.tsv"
    params:
        delta=10.0,
        Lambda=1000.0,
        m1_min=1.0e-3,
        m1_max=2.0,
        num=121,
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    conda:
        ENV
    script:
        "../scripts/branching_ratios.py"


rule fig_scalar_1:
    input:
        rules.scalar_branching_ratios.output.csv,
        rules.scalar_branching_ratios.output.png,
        rules.scalar_branching_ratios.output.pdf,
        rules.scalar_branching_ratios.output.hepdata,

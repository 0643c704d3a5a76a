# The two entry points of the README. Both create .venv and install darkreach on first use.
VENV  ?= .venv
CORES ?= 2
PYTHON ?= python3

.PHONY: run test benchmarks clean-results

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

## run: the default workflow (config/config.yaml) on $(CORES) cores
run: $(VENV)/.installed
	$(VENV)/bin/snakemake --cores $(CORES)

## test: the test suite (what CI runs)
test: $(VENV)/.installed
	$(VENV)/bin/pytest

## benchmarks: kernel and scan benchmarks (not tests); see benchmarks/README.md
benchmarks: $(VENV)/.installed
	$(VENV)/bin/python benchmarks/bench_kernels.py
	$(VENV)/bin/python benchmarks/bench_scan.py

clean-results:
	rm -rf results/mesons results/scans results/contours results/grids results/figures results/benchmarks logs

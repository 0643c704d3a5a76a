"""Cosmology of the dark sectors: freeze-out and the thermal-relic lines of paper 000 Fig. 2 (see relic.py)."""

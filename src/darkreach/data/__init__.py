"""Data tables shipped with darkreach (each file states its source and licence in its header)."""

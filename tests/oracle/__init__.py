"""Helpers that compare argmap with the Argdown CLI (the reference implementation of the notation)."""

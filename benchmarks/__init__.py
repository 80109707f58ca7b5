"""argmap's benchmarks: a generator of synthetic maps (:mod:`benchmarks.generate`) and a runner (:mod:`benchmarks.run`).

``make bench`` runs them; docs are in benchmarks/README.md.
"""

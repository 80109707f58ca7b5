"""``python -m argmap``: the same as the ``argmap`` command."""

from .cli import run

if __name__ == "__main__":
    run()

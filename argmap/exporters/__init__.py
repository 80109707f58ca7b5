"""argmap's built-in exporters, one module each, registered through entry points like any plugin."""

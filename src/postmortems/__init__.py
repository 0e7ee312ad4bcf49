"""postmortems: blameless incident postmortems, from raw evidence to a reviewed document."""

__version__ = "0.1.0"

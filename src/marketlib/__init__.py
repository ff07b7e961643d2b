"""marketlib: job-market analytics for machine-learning engineers."""

__version__ = "0.1.0"

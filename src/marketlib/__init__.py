"""marketlib: job-market analytics for machine-learning engineers."""

import sys

__version__ = "0.1.0"

# jsonschema (under altair, nbformat and papermill) compiles a grammar for its optional "iri" format checker at
# import when rfc3987-syntax is installed (JupyterLab's jupyter-events pulls it in): about 2 s in every CLI,
# notebook-run and kernel process. marketlib validates no IRIs, so its processes go without that one checker.
sys.modules.setdefault("rfc3987_syntax", None)

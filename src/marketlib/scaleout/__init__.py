"""Scale-out: `marketlib clean INPUT… -o OUTDIR --engine dask` on a Dask cluster (local or existing).

Each input partition is cleaned by the single-process pipeline's own row-local step
(`clean.pipeline.clean_partition`); the cross-partition steps (stable posting ids, duplicate fingerprints) run
as the engine's shuffles on the short dedup key columns, with `clean.dedup`'s own per-group functions; each
partition is then finished with `clean.pipeline.attach_ids`. `inputs` finds the partitions, `output` stages
the parts and commits them with the manifest last, `dask_engine` builds and runs the task graph.
"""

from __future__ import annotations

from pathlib import Path

from marketlib.errors import UserError

ENGINES = ("dask",)


def run_engine(engine: str, inputs: list[str], outdir: Path, mapping_items: list[str], *,
               address: str | None = None, workers: int | None = None) -> dict:
    """Clean partitioned inputs into OUTDIR on the named engine; returns the manifest written last."""
    if engine not in ENGINES:
        raise UserError(f"Unknown engine {engine!r}; engines are: {', '.join(ENGINES)}.")
    from marketlib.scaleout.dask_engine import clean_on_dask

    return clean_on_dask(inputs, outdir, mapping_items, address=address, workers=workers)

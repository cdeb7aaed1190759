"""``clipsync batch``: align an archive of recordings and their articles, on every core of this
machine or on a Dask cluster (``docs/batch.md``).

manifest (what to align) -> driver (one loop over an Executor: backends.LocalPool or
backends.DaskCluster) -> work (one item, in a worker) -> outputs (atomic files, the report).
"""

from clipsync.batch.command import main, parse_size
from clipsync.batch.driver import Driver, Interrupted, Options
from clipsync.batch.manifest import BadLine, Item, read_items

__all__ = ["BadLine", "Driver", "Interrupted", "Item", "Options", "main", "parse_size", "read_items"]

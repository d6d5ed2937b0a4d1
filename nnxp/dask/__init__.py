"""Data-parallel training on Dask: the per-chunk work (:mod:`~nnxp.dask.chunks`) and the engine
that drives it (:mod:`~nnxp.dask.runner`). An edge: imported when the first Dask array arrives."""

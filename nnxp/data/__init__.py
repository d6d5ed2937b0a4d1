"""Data at the edge: the course's data sets, train/test splits, CSV tables, zarr stores and CSV globs."""

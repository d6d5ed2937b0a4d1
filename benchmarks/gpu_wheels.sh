#!/usr/bin/env bash
# Fills a folder (default wheels/, ignored by git) with the wheels nnxp needs on the lent GPU
# machine beyond what its Python 3.12 already has (CuPy, PyTorch, JAX, NumPy, pytest,
# pytest-benchmark, scikit-learn, pandas, h5py, matplotlib, tqdm, hypothesis), for
# `NNXP_WHEELS=wheels bash benchmarks/gpu_check.sh OUT_DIR` there, where no registry can be
# reached. About 8 MiB: the machine takes the working tree and a few carried folders, 64 MiB in all.
#
#   bash benchmarks/gpu_wheels.sh [DEST]
set -euo pipefail
dest=${1:-wheels}
"${PYTHON:-python3}" -m pip download --quiet --dest "$dest" --only-binary=:all: --implementation cp \
    --python-version 3.12 --platform manylinux2014_x86_64 --platform manylinux_2_17_x86_64 \
    --platform manylinux_2_28_x86_64 --platform any \
    "setuptools>=68" "array-api-compat>=1.11" "array-api-strict>=2.3" "dask[array,distributed]>=2024.8" "zarr>=2.18"
rm -f "$dest"/numpy-*.whl # the machine's own NumPy serves (and CuPy needs that one)
du -sh "$dest"

"""``python -m nnxp``: the command line (see :mod:`nnxp.cli`)."""

from .cli import main

raise SystemExit(main())

"""The core ring: the maths written once against the array namespace, and nothing else.

The backends (the one module naming array libraries, with the compilers beside it), activations,
losses, the course's kernels, initialization, dropout, optimizers, penalties, one training step and
the argument checks they share. Nothing here imports an outer ring or does I/O.
"""

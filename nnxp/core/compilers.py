"""The compilers ``fit`` uses where they are known to help: ``jax.jit`` (one step, or a ``lax.fori_loop``
of steps) and, when asked, ``torch.compile``. Each takes a pure function of arrays from
:mod:`nnxp.core.step`; None from a function here means "run eagerly"."""

import warnings

import array_api_compat


def step_compiler(xp, compile=None):
    """``compiler(fn)`` that compiles a pure step function of arrays for ``xp``, or None to run it eagerly.

    ``compile`` None compiles where it is known to help: ``jax.jit`` on JAX (each eager JAX operation is
    a dispatch). True also tries ``torch.compile`` on torch, which falls back to eager execution with a
    warning when it fails (no C++ compiler, an unsupported operation), and warns that NumPy, CuPy and
    array-api-strict have nothing to compile. False never compiles.
    """
    if compile is False:
        return None
    if array_api_compat.is_jax_namespace(xp):
        import jax

        return jax.jit
    if compile and array_api_compat.is_torch_namespace(xp):
        return _torch_compiler
    if compile:
        warnings.warn(f"compile=True: {xp.__name__} has no compiler nnxp uses; the step runs eagerly", UserWarning,
                      stacklevel=7)  # the caller of fit
    return None


def function_compiler(xp, compile=None):
    """``compiler(fn)`` that compiles a pure function of arrays (a forward pass with its cost and score, or
    its predictions: the divergence guard's, the validation's, ``predict``'s and ``score``'s) with ``jax.jit``
    on JAX, where each eager operation compiles for each new shape; None elsewhere, or when ``compile`` is
    False (a function called a few times per ``fit`` is not worth ``torch.compile``'s time)."""
    if compile is False or not array_api_compat.is_jax_namespace(xp):
        return None
    import jax

    return jax.jit


def loop_compiler(xp, compile=None):
    """``compiler(step)`` that compiles ``n`` calls of ``step(X, Y, parameters, state, learning_rate, t)
    -> (parameters, state, cost)`` into one, or None where ``xp``'s library compiles no loops (everything
    but JAX) or ``compile`` is False.

    The compiled function is ``epochs(X, Y, parameters, state, learning_rates, t, n) -> (parameters, state,
    cost)``: updates ``t + 1 .. t + n`` at ``learning_rates[i]``, under ``jax.jit`` with ``lax.fori_loop``,
    and the cost of the first (before its update: a logged epoch's); ``n`` is traced, so one trace serves
    every ``n`` up to ``learning_rates``' length. One program, with one step in it: a logged epoch and
    the cost-free ones after it in one call.
    """
    if compile is False or not array_api_compat.is_jax_namespace(xp):
        return None
    import jax

    def compiler(step):
        def epochs(X, Y, parameters, state, learning_rates, t, n):
            def body(i, carry):
                parameters, state, first = step(X, Y, *carry[:2], learning_rates[i], t + i + 1)
                return parameters, state, jax.numpy.where(i == 0, first, carry[2])

            return jax.lax.fori_loop(0, n, body, (parameters, state, jax.numpy.zeros((), dtype=X.dtype)))

        return jax.jit(epochs)

    return compiler


def _torch_compiler(fn):
    """``torch.compile(fn)``, replaced by ``fn`` itself (with a warning) the first time it fails."""
    import torch

    current = [torch.compile(fn)]

    def step(*args):
        try:
            return current[0](*args)
        except Exception as exc:  # noqa: BLE001 - inductor's failures have many types
            if current[0] is fn:
                raise
            warnings.warn(f"torch.compile failed ({type(exc).__name__}: {str(exc).splitlines()[0][:200]}); "
                          "the step runs eagerly", UserWarning, stacklevel=2)
            current[0] = fn
            return fn(*args)

    return step

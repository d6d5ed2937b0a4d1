"""The course's own functions, with its names, signatures, return types and randomness, over nnxp's
kernels: a learner's notebook runs unchanged after importing its week's module instead of its own code.

One module per notebook, since the weeks reuse names with other signatures (``initialize_parameters``,
``predict``, ``model``):

- :mod:`nnxp.course.c1w2`: logistic regression with a neural network mindset;
- :mod:`nnxp.course.c1w3`: planar data classification with one hidden layer;
- :mod:`nnxp.course.c1w4`: the deep network step by step, and the application's ``two_layer_model``,
  ``L_layer_model`` and ``predict`` on the cat images.

Course layout throughout: ``X (n_x, m)``, samples as columns. Parameters are drawn with
``np.random.randn`` after the course's own ``np.random.seed`` calls, so they are the course's to the
bit; the maths then runs on the inputs' library (NumPy, or CuPy on a GPU: the parameters move to the
data's device once). See the docs page "Bring your course notebook".
"""

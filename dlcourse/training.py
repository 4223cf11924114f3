"""Getting a Keras model ready to train, so that training starts sooner and learns the same.

With the TensorFlow backend, Keras creates the optimizer's variables (Adam keeps
two running averages for every weight) and the metrics' variables while
TensorFlow traces the first training step into a graph. TensorFlow traces a
function that creates variables twice (tensorflow/tensorflow#48851), and
creating them inside a trace is slow. On the course's 2-core build machine,
the first epoch of the whole of MobileNetV2 (lesson 5) starts after about 12 s
with :func:`build_for_fit` instead of 20 s without. On the other backends, and
on TensorFlow under a distribution strategy, Keras builds these variables itself
before training, with its private ``Model._symbolic_build``; :func:`build_for_fit`
calls that method.
"""

import re

import keras

__all__ = ["build_for_fit"]


def _first_sample(values, name):
    if not hasattr(values, "shape"):
        raise TypeError(
            f"{name} must be an array with one sample per row, such as a NumPy array, "
            f"not {type(values).__name__}."
        )
    if len(values.shape) == 0:
        raise ValueError(f"{name} is a single value; it must hold one sample per row.")
    if values.shape[0] == 0:
        raise ValueError(f"{name} holds no samples.")
    return values[:1]


def _keras_reason(error):
    """The sentence of a Keras error that says what is wrong, on one line and without
    the colours and the list of arguments that Keras adds around it."""
    text = " ".join(re.sub(r"\x1b\[[0-9;]*m", "", str(error)).split())
    text = re.sub(r"^Exception encountered when calling [\w.]+\(\)\. ", "", text)
    return text.split(" Arguments received by ")[0]


def build_for_fit(model, x, y):
    """Create the variables that ``model.fit(x, y)`` or ``model.train_on_batch(x, y)``
    would otherwise create while TensorFlow traces their first step.

    Call it after ``model.compile`` and before training, with the data training
    will get. It changes no weight and no result: only the time before the first
    step.

    :param model: a compiled Keras model.
    :param x: the training inputs, an array with one sample per row.
    :param y: the training targets, one per input (for an autoencoder, ``x`` again).
    :returns: ``model``, so that calls can be chained.
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a Keras model, not {type(model).__name__}.")
    if not model.compiled:
        raise ValueError("Compile the model (model.compile) before build_for_fit.")
    sample, target = _first_sample(x, "x"), _first_sample(y, "y")
    symbolic_build = getattr(model, "_symbolic_build", None)
    if keras.backend.backend() != "tensorflow" or symbolic_build is None:
        # Other backends build before training themselves; a Keras without the
        # private method trains as it would without this function, only slower.
        return model
    if model.optimizer.built:
        return model  # fit has run already, or the optimizer was built before
    try:
        symbolic_build(data_batch=(sample, target))
    except ValueError as error:
        raise ValueError(
            f"x of shape {tuple(x.shape)} and y of shape {tuple(y.shape)} do not fit "
            f"the model or its loss: {_keras_reason(error)}"
        ) from None
    return model

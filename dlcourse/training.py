"""Getting a Keras model ready to train, so that training starts sooner and learns the same.

With the TensorFlow backend, Keras creates the optimizer's variables (Adam keeps
two running averages for every weight) and the metrics' variables while
TensorFlow traces the first training step into a graph. TensorFlow traces a
function that creates variables twice (tensorflow/tensorflow#48851), and
creating them inside a trace is slow. On the course's 2-core build machine,
the first epoch of the whole of MobileNetV2 (lesson 5) starts after about 12 s
with :func:`build_for_fit` instead of 20 s without. On the other backends Keras
builds these variables itself before training.
"""

import keras

__all__ = ["build_for_fit"]


def _first_sample(values, name):
    if not hasattr(values, "shape") or len(values.shape) == 0:
        raise TypeError(
            f"{name} must be an array of samples, such as a NumPy array, "
            f"not {type(values).__name__}."
        )
    if values.shape[0] == 0:
        raise ValueError(f"{name} holds no samples.")
    return values[:1]


def build_for_fit(model, x, y):
    """Create the variables that ``model.fit(x, y)`` would create in its first step.

    Call it after ``model.compile`` and before ``model.fit``, with the data
    ``fit`` will get. It changes no weight and no result: only the time before
    the first epoch starts.

    :param model: a compiled Keras model.
    :param x: the training inputs, an array with one sample per row.
    :param y: the training targets, one per input (for an autoencoder, ``x`` again).
    :returns: ``model``, so that calls can be chained.
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a Keras model, not {type(model).__name__}.")
    if not model.compiled:
        raise ValueError("Compile the model (model.compile) before build_for_fit.")
    sample = _first_sample(x, "x")
    target = _first_sample(y, "y")
    if keras.backend.backend() != "tensorflow" or model.optimizer.built:
        return model  # nothing is left to build outside the trace
    # Keras's own build before training, which it skips on TensorFlow without a
    # distribution strategy. It is private: if a Keras version lacks it, building
    # the optimizer alone still saves most of the first trace's time.
    symbolic_build = getattr(model, "_symbolic_build", None)
    try:
        if symbolic_build is None:
            model.optimizer.build(model.trainable_variables)
        else:
            symbolic_build(data_batch=(sample, target))
    except (ValueError, TypeError) as error:
        first_line = str(error).strip().splitlines()[0]
        raise ValueError(
            f"x of shape {tuple(x.shape)} does not fit the model: {first_line}"
        ) from None
    return model

"""Activation functions, one neuron, and small dense networks, computed as the formulas read.

A neuron multiplies each input by its weight, adds the products and a bias,
and passes the sum through an activation function:
:math:`\\text{output} = f\\left(\\sum_i x_i w_i + b\\right)`.
"""

import numpy as np

from dlcourse._numbers import as_numbers, is_number, same_length

__all__ = [
    "ACTIVATIONS",
    "dense_layer",
    "linear",
    "network_output",
    "neuron_output",
    "relu",
    "sigmoid",
]


def sigmoid(z):
    """The sigmoid (logistic) function, :math:`1 / (1 + e^{-z})`, between 0 and 1.

    :param z: a number or an array of numbers.
    :returns: an array of the same shape.

    >>> sigmoid([0.0, 2.0]).round(3)
    array([0.5  , 0.881])
    """
    z = as_numbers(z, "z")
    with np.errstate(over="ignore"):  # e^-z overflows to inf for z < -709: 1 / inf is 0
        return 1 / (1 + np.exp(-z))


def relu(z):
    """The rectified linear unit, :math:`\\max(z, 0)`.

    :param z: a number or an array of numbers.
    :returns: an array of the same shape.

    >>> relu([-2.0, 0.0, 3.0])
    array([0., 0., 3.])
    """
    return np.maximum(as_numbers(z, "z"), 0.0)


def linear(z):
    """The linear (identity) activation: the output is the input, :math:`f(z) = z`.

    :param z: a number or an array of numbers.
    :returns: an array of the same shape.

    >>> linear([-2.0, 3.0])
    array([-2.,  3.])
    """
    return as_numbers(z, "z")


#: The activation functions by the names Keras uses for them.
ACTIVATIONS = {"linear": linear, "relu": relu, "sigmoid": sigmoid}


def _activation(name):
    if not isinstance(name, str):
        raise TypeError(f"activation must be a name such as 'relu', not {type(name).__name__}.")
    if name not in ACTIVATIONS:
        known = ", ".join(repr(known) for known in sorted(ACTIVATIONS))
        raise ValueError(f"activation must be one of {known}, not {name!r}.")
    return ACTIVATIONS[name]


def neuron_output(inputs, weights, bias, activation="relu"):
    """The output of one neuron: the activation of the weighted sum of its inputs plus its bias.

    :param inputs: the neuron's inputs :math:`x_i`, a list of numbers.
    :param weights: one weight :math:`w_i` per input.
    :param bias: the bias :math:`b`, a number.
    :param activation: ``"relu"``, ``"sigmoid"`` or ``"linear"``.
    :returns: the output, a float.

    >>> neuron_output([0, 0.5, 1], [-1, -0.5, 0.5], bias=1, activation="relu")
    1.25
    """
    inputs, weights = as_numbers(inputs, "inputs"), as_numbers(weights, "weights")
    if inputs.ndim != 1:
        raise ValueError(f"inputs must be a flat list of numbers; got shape {inputs.shape}.")
    same_length(inputs, "inputs", weights, "weights")
    if not is_number(bias):
        raise TypeError(f"bias must be a number, not {type(bias).__name__}.")
    function = _activation(activation)
    weighted_sum = np.sum(inputs * weights) + bias
    return float(function(weighted_sum))


def dense_layer(inputs, weights, biases, activation):
    """The outputs of a fully connected layer: every neuron sees every input.

    :param inputs: the layer's inputs, a list of numbers.
    :param weights: a table with one row per input and one column per neuron, as in
        Keras' ``Dense`` layer: ``weights[i][j]`` connects input ``i`` to neuron ``j``.
    :param biases: one bias per neuron.
    :param activation: ``"relu"``, ``"sigmoid"`` or ``"linear"``.
    :returns: one output per neuron, an array.

    >>> dense_layer([1, 0], [[1, 1], [1, 1]], [0, -1], "relu")
    array([1., 0.])
    """
    inputs, weights = as_numbers(inputs, "inputs"), as_numbers(weights, "weights")
    biases = as_numbers(biases, "biases")
    if inputs.ndim != 1:
        raise ValueError(f"inputs must be a flat list of numbers; got shape {inputs.shape}.")
    if weights.ndim != 2 or weights.shape[0] != inputs.size:
        raise ValueError(
            f"weights must have one row per input ({inputs.size} rows of one weight per "
            f"neuron); got shape {weights.shape}."
        )
    if biases.shape != (weights.shape[1],):
        raise ValueError(
            f"biases must hold one number per neuron ({weights.shape[1]}); got {biases.size}."
        )
    function = _activation(activation)
    return function(inputs @ weights + biases)


def network_output(inputs, layers):
    """The output of a dense network: each layer's outputs are the next layer's inputs.

    :param inputs: the network's inputs, a list of numbers.
    :param layers: a list of ``(weights, biases, activation)``, one per layer, each as
        :func:`dense_layer` takes them.
    :returns: the outputs of the last layer, an array.

    >>> hidden = ([[1, 1], [1, 1]], [0, -1], "relu")
    >>> output = ([[1], [-2]], [0], "relu")
    >>> network_output([1, 1], [hidden, output])
    array([0.])
    """
    if not isinstance(layers, (list, tuple)) or not layers:
        raise TypeError("layers must be a non-empty list of (weights, biases, activation).")
    values = inputs
    for number, layer in enumerate(layers, start=1):
        if not isinstance(layer, (list, tuple)) or len(layer) != 3:
            raise TypeError(f"layer {number} must be (weights, biases, activation); got {layer!r}.")
        values = dense_layer(values, *layer)
    return values

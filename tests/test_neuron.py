"""dlcourse.neuron: the lesson's formulas agree with Keras and reject bad input in one sentence."""

import warnings

import keras
import numpy as np
import pytest

from dlcourse.neuron import (
    ACTIVATIONS, dense_layer, linear, network_output, neuron_output, relu, sigmoid,
)

Z = np.linspace(-8, 8, 33)
XOR_LAYERS = [([[1, 1], [1, 1]], [0, -1], "relu"), ([[1], [-2]], [0], "relu")]


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_functions_agree_with_keras(name):
    ours = ACTIVATIONS[name](Z)
    theirs = keras.ops.convert_to_numpy(keras.activations.get(name)(Z))
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-7)


def test_sigmoid_stays_between_0_and_1_without_overflow_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a RuntimeWarning would fail the book build
        values = sigmoid([-1000.0, 0.0, 1000.0])
    np.testing.assert_array_equal(values, [0.0, 0.5, 1.0])


def test_relu_and_linear_on_a_few_values():
    np.testing.assert_array_equal(relu([-1.5, 0.0, 2.0]), [0.0, 0.0, 2.0])
    np.testing.assert_array_equal(linear([-1.5, 2.0]), [-1.5, 2.0])


def test_the_neuron_exercise_answer_is_1_25():
    assert neuron_output([0, 0.5, 1], [-1, -0.5, 0.5], bias=1, activation="relu") == 1.25


def test_a_dense_layer_agrees_with_keras_dense():
    rng = np.random.default_rng(0)
    inputs, weights, biases = rng.normal(size=4), rng.normal(size=(4, 3)), rng.normal(size=3)
    for activation in ACTIVATIONS:
        layer = keras.layers.Dense(3, activation=activation)
        layer.build((None, 4))
        layer.set_weights([weights, biases])
        theirs = keras.ops.convert_to_numpy(layer(inputs[None, :].astype("float32")))[0]
        np.testing.assert_allclose(dense_layer(inputs, weights, biases, activation), theirs,
                                   rtol=1e-5, atol=1e-6)


def test_the_two_input_network_computes_xor_like_a_keras_model():
    inputs = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype="float32")
    ours = [network_output(pair, XOR_LAYERS)[0] for pair in inputs]
    assert ours == [0.0, 1.0, 1.0, 0.0]
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(2, activation="relu"),
                              keras.layers.Dense(1, activation="relu")])
    model.set_weights([np.array(part, dtype="float32") for layer in XOR_LAYERS
                       for part in layer[:2]])
    np.testing.assert_allclose(model.predict(inputs, verbose=0).ravel(), ours)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: neuron_output([1, 2, 3], [1, 2], 0), ValueError,
         "inputs and weights must have the same number of values; got 3 and 2."),
        (lambda: neuron_output([1, 2], [1, 2], "0"), TypeError, "bias must be a number, not str."),
        (lambda: neuron_output([1, 2], [1, 2], 0, activation="tanh"), ValueError,
         "activation must be one of 'linear', 'relu', 'sigmoid', not 'tanh'."),
        (lambda: neuron_output([1, 2], [1, 2], 0, activation=None), TypeError,
         "activation must be a name such as 'relu', not NoneType."),
        (lambda: neuron_output("12", [1, 2], 0), TypeError,
         "inputs must be a number or a list of numbers, not str."),
        (lambda: neuron_output([1, "a"], [1, 2], 0), TypeError,
         "inputs must be a number or a list of numbers of equal lengths; got [1, 'a']."),
        (lambda: relu([1.0, float("nan")]), ValueError, "z must hold finite numbers"),
        (lambda: dense_layer([1, 2], [[1, 2, 3]], [0, 0, 0], "relu"), ValueError,
         "weights must have one row per input (2 rows of one weight per neuron); "
         "got shape (1, 3)."),
        (lambda: dense_layer([1, 2], [[1], [2]], [0, 0], "relu"), ValueError,
         "biases must hold one number per neuron (1); got 2."),
        (lambda: network_output([1, 2], []), TypeError,
         "layers must be a non-empty list of (weights, biases, activation)."),
        (lambda: network_output([1, 2], [([[1], [1]], [0])]), TypeError,
         "layer 1 must be (weights, biases, activation)"),
    ],
)
def test_bad_input_gets_one_clear_sentence(call, error, words):
    with pytest.raises(error) as raised:
        call()
    assert words in str(raised.value)
    assert raised.value.__cause__ is None  # no NumPy error chained underneath

"""dlcourse.plots: the network drawing shows every neuron, weight and bias it is given."""

import matplotlib
import pytest

matplotlib.use("Agg")  # no screen here

import matplotlib.pyplot as plt  # noqa: E402

from dlcourse.plots import draw_network  # noqa: E402

XOR_LAYERS = [([[1, 1], [1, 1]], [0, -1], "relu"), ([[1], [-2]], [0], "relu")]


def test_the_drawing_has_every_neuron_weight_and_bias():
    ax = draw_network(XOR_LAYERS)
    texts = [text.get_text() for text in ax.texts]
    assert len(ax.patches) == 5  # two inputs, two hidden neurons, one output
    assert {"$x_1$", "$x_2$", "$h_1$", "$h_2$", "$y$"} <= set(texts)
    assert texts.count("1") == 5 and texts.count("-2") == 1  # the six weights
    assert "b = -1\nrelu" in texts and texts.count("b = 0\nrelu") == 2
    assert len([child for child in ax.get_children()
                if isinstance(child, matplotlib.text.Annotation)]) == 6  # one arrow per weight
    plt.close(ax.figure)


def test_it_draws_on_given_axes():
    _, ax = plt.subplots()
    assert draw_network(XOR_LAYERS, ax=ax) is ax
    plt.close(ax.figure)


@pytest.mark.parametrize(
    "layers, error, words",
    [
        ([], TypeError, "layers must be a non-empty list"),
        ([([[1, 1]], [0, 0], "relu"), ([[1], [1], [1]], [0], "relu")], ValueError,
         "layer 2 takes 3 inputs, but the layer before it has 2 neurons."),
        ([([[1, 1]], [0], "relu")], ValueError, "one bias per neuron"),
        (["not a layer"], TypeError, "layer 1 must be (weights, biases, activation)"),
    ],
)
def test_bad_input_gets_one_clear_sentence(layers, error, words):
    with pytest.raises(error) as raised:
        draw_network(layers)
    assert words in str(raised.value)

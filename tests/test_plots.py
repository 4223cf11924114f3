"""dlcourse.plots: the network drawing shows every neuron, weight and bias it is given."""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")  # no screen here

import matplotlib.pyplot as plt  # noqa: E402

from dlcourse.plots import draw_network, label_points, plot_history  # noqa: E402

XOR_LAYERS = [([[1, 1], [1, 1]], [0, -1], "relu"), ([[1], [-2]], [0], "relu")]


def test_the_drawing_has_every_neuron_weight_and_bias():
    ax = draw_network(XOR_LAYERS)
    texts = [text.get_text() for text in ax.texts]
    assert len(ax.patches) == 5  # two inputs, two hidden neurons, one output
    assert {"$x_1$", "$x_2$", "$h_1$", "$h_2$", r"$\hat{y}$"} <= set(texts)
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


def test_the_probability_table_marks_the_most_probable_class_and_says_if_it_is_right():
    from dlcourse.plots import probability_table

    images = np.zeros((2, 28, 28))
    probabilities = np.array([[0.1, 0.7, 0.2], [0.6, 0.3, 0.1]])
    ax = probability_table(images, probabilities, ["a", "b", "c"], labels=[1, None])
    texts = [text for text in ax.texts]
    bold = [text.get_text() for text in texts if text.get_fontweight() == "bold"]
    assert "70" in bold and "60" in bold and "30" not in bold
    marks = [text.get_text() for text in texts if text.get_text() in {"✓", "✗", "–"}]
    assert marks == ["✓", "–"]
    assert len(ax.images) == 2
    plt.close(ax.figure)


def test_the_probability_table_rejects_mismatched_shapes():
    from dlcourse.plots import probability_table

    with pytest.raises(ValueError, match=r"one row per image \(2\) and one column per class \(3\)"):
        probability_table(np.zeros((2, 28, 28)), np.zeros((2, 4)), ["a", "b", "c"])


def test_the_kernel_sliding_figure_shows_each_window_and_its_sum():
    from dlcourse.plots import show_kernel_sliding

    patch = np.arange(36).reshape(6, 6) * 5
    figure = show_kernel_sliding(patch, [[0, -1, 0], [-1, 5, -1], [0, -1, 0]], steps=3)
    titles = [ax.get_title() for ax in figure.axes]
    # The sharpen kernel leaves a linear ramp unchanged: each sum is the centre pixel.
    assert titles == ["window at column 0: sum 35", "window at column 1: sum 40",
                      "window at column 2: sum 45"]
    plt.close(figure)
    with pytest.raises(ValueError, match="steps must be a whole number from 1 to 4"):
        show_kernel_sliding(patch, np.ones((3, 3)), steps=5)


HISTORY = {
    "loss": [1.0, 0.6, 0.4, 0.3],
    "val_loss": [1.1, 0.7, 0.65, 0.8],
    "accuracy": [0.5, 0.7, 0.8, 0.9],
    "val_accuracy": [0.45, 0.65, 0.7, 0.68],
}


def test_the_history_plot_shows_both_curves_per_metric_and_marks_the_best_epoch():
    axes = plot_history(HISTORY, title="a run")
    loss, accuracy = axes
    assert [ax.get_ylabel() for ax in axes] == ["loss", "accuracy"]
    training, validation, best = loss.get_lines()
    assert training.get_xdata().tolist() == [1, 2, 3, 4]  # epochs counted from 1
    assert training.get_ydata().tolist() == HISTORY["loss"]
    assert validation.get_ydata().tolist() == HISTORY["val_loss"]
    assert best.get_xdata()[0] == 3  # the lowest validation loss, 0.65
    assert accuracy.get_lines()[1].get_ydata().tolist() == HISTORY["val_accuracy"]
    assert [text.get_text() for text in loss.get_legend().get_texts()] == [
        "training", "validation", "lowest validation loss (3)"]
    assert loss.get_title(loc="left") == "a run"
    plt.close("all")


def test_the_history_plot_takes_what_fit_returns_and_draws_on_given_axes():
    class History:  # what keras' model.fit returns, as far as the plot cares
        history = {"loss": [0.5, 0.4], "val_loss": [0.6, 0.5]}

    figure, axes = plt.subplots(2, 2)
    drawn = plot_history(History(), axes=axes[1])
    assert list(drawn) == list(axes[1])
    assert len(axes[1][0].get_lines()) == 3 and not axes[0][0].get_lines()
    assert not axes[1][1].axison  # no accuracy recorded: the panel stays empty
    plt.close("all")


@pytest.mark.parametrize(
    "history, error, words",
    [
        ([0.5, 0.4], TypeError, "history must be what model.fit returns, or its .history dict; "
                                "got list."),
        ({"loss": [1.0]}, ValueError, "history has no 'val_loss' (pass validation_data to fit); "
                                      "it has ['loss']."),
        ({"loss": [1.0, 0.5], "val_loss": [1.0]}, ValueError,
         "every curve in history must have one value per epoch, and at least one; "
         "got lengths [1, 2]."),
        ({"loss": ["a"], "val_loss": [1.0]}, TypeError, "history['loss']"),
    ],
)
def test_a_bad_history_gets_one_clear_sentence(history, error, words):
    with pytest.raises(error) as caught:
        plot_history(history)
    assert words in str(caught.value) and "\n" not in str(caught.value)


def test_numbers_on_grey_pixels_get_the_ink_that_contrasts_more():
    from dlcourse.plots import _ink_on_grey

    # Mid-grey around 120 reads better in black (contrast 4.8:1) than in white (4.4:1).
    assert [_ink_on_grey(value) for value in (0, 100, 120, 200, 255)] == [
        "white", "white", "black", "black", "black"]


def test_crowded_points_share_one_label_and_distant_ones_get_their_own():
    _, ax = plt.subplots()
    points = [[0, 0], [0.02, 0.01], [0.01, 0.03], [5, 5], [10, 0]]
    groups = label_points(ax, points, ["cat", "dog", "cow", "sun", "sea"], per_line=2)
    assert groups == [["cat", "dog", "cow"], ["sun"], ["sea"]]
    texts = sorted(text.get_text() for text in ax.texts)
    assert texts == ["cat, dog\ncow", "sea", "sun"]
    plt.close("all")


@pytest.mark.parametrize("points, labels, radius, words", [
    ([[0, 0, 0]], ["a"], 0.05, r"shape \(count, 2\)"),
    ([[0, 0], [1, 1]], ["a"], 0.05, "one label per point"),
    ([[0, 0]], ["a"], 2, "radius must be a fraction"),
])
def test_bad_points_to_label_get_one_clear_sentence(points, labels, radius, words):
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match=words):
        label_points(ax, points, labels, radius=radius)
    plt.close("all")


def test_labels_of_nearby_groups_do_not_overlap():
    _, ax = plt.subplots(figsize=(4, 3))
    points = [[0, 0], [0.3, 0], [0.6, 0.5], [5, 5]]
    ax.scatter(*np.array(points).T)
    label_points(ax, points, ["a long name", "another long name", "a third long name",
                              "far"], radius=0.01)
    renderer = ax.figure.canvas.get_renderer()
    boxes = [text.get_window_extent(renderer) for text in ax.texts]
    assert len(boxes) == 4
    assert not any(first.overlaps(second) for number, first in enumerate(boxes)
                   for second in boxes[number + 1:])
    screen = ax.transData.transform(points)
    assert not any(box.contains(x, y) for box in boxes for x, y in screen)  # no point covered
    plt.close("all")

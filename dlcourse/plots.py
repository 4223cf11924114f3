"""Figures that are not the point of a lesson but help to read it."""

import numpy as np

from dlcourse._numbers import as_numbers

__all__ = ["draw_network"]


def _check_layers(layers):
    if not isinstance(layers, (list, tuple)) or not layers:
        raise TypeError("layers must be a non-empty list of (weights, biases, activation).")
    checked, width = [], None
    for number, layer in enumerate(layers, start=1):
        if not isinstance(layer, (list, tuple)) or len(layer) != 3:
            raise TypeError(f"layer {number} must be (weights, biases, activation); got {layer!r}.")
        weights = as_numbers(layer[0], f"the weights of layer {number}")
        biases = as_numbers(layer[1], f"the biases of layer {number}")
        if weights.ndim != 2 or biases.shape != (weights.shape[1],):
            raise ValueError(
                f"layer {number} needs a weights table with one column per neuron and one bias "
                f"per neuron; got weights of shape {weights.shape} and {biases.size} biases."
            )
        if width is not None and weights.shape[0] != width:
            raise ValueError(
                f"layer {number} takes {weights.shape[0]} inputs, but the layer before it has "
                f"{width} neurons."
            )
        width = weights.shape[1]
        checked.append((weights, biases, layer[2]))
    return checked


def _names(layers):
    inputs = [f"$x_{i + 1}$" for i in range(layers[0][0].shape[0])]
    columns, hidden = [inputs], 0
    for number, (weights, _, _) in enumerate(layers, start=1):
        count = weights.shape[1]
        if number == len(layers):
            columns.append(["$y$"] if count == 1 else [f"$y_{i + 1}$" for i in range(count)])
        else:
            columns.append([f"$h_{hidden + i + 1}$" for i in range(count)])
            hidden += count
    return columns


def draw_network(layers, ax=None):
    """Draw a small dense network with its weights on the arrows and biases in the neurons.

    :param layers: the network as :func:`dlcourse.neuron.network_output` takes it: a list of
        ``(weights, biases, activation)``, one per layer.
    :param ax: the Matplotlib axes to draw on; a new figure if not given.
    :returns: the axes.
    """
    import matplotlib.pyplot as plt  # only when drawing: the package imports without it

    layers = _check_layers(layers)
    if ax is None:
        _, ax = plt.subplots(figsize=(2.6 * (len(layers) + 1), 3.2))
    columns = _names(layers)
    radius, spacing = 0.32, 1.5

    def position(column, row):
        count = len(columns[column])
        return np.array([2.6 * column, spacing * ((count - 1) / 2 - row)])

    for column, (weights, biases, activation) in enumerate(layers, start=1):
        for row in range(weights.shape[1]):
            target = position(column, row)
            for source_row in range(weights.shape[0]):
                source = position(column - 1, source_row)
                unit = (target - source) / np.linalg.norm(target - source)
                ax.annotate("", xy=target - radius * unit, xytext=source + radius * unit,
                            arrowprops={"arrowstyle": "-|>", "color": "0.35", "lw": 1.2})
                label = source + 0.3 * (target - source)  # near the source: arrows fan out
                ax.text(*label, f"{weights[source_row, row]:g}", ha="center", va="center",
                        fontsize=10, bbox={"boxstyle": "round,pad=0.15", "fc": "white",
                                           "ec": "none"})
            ax.text(target[0], target[1] - radius - 0.12, f"b = {biases[row]:g}\n{activation}",
                    ha="center", va="top", fontsize=9, color="0.2")
    for column, names in enumerate(columns):
        for row, name in enumerate(names):
            centre = position(column, row)
            face = "#dbe9f6" if column == 0 else "#fbe3c8"
            ax.add_patch(plt.Circle(centre, radius, facecolor=face, edgecolor="0.2", lw=1.2))
            ax.text(*centre, name, ha="center", va="center", fontsize=13)
    ax.set_aspect("equal")
    ax.autoscale_view()
    ax.margins(0.12)
    ax.axis("off")
    return ax

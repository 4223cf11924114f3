"""Figures that are not the point of a lesson but help to read it."""

import numpy as np

from dlcourse._numbers import as_numbers

__all__ = ["draw_network", "label_points", "plot_history", "probability_table",
           "show_kernel_sliding"]


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
            columns.append([r"$\hat{y}$"] if count == 1
                           else [rf"$\hat{{y}}_{i + 1}$" for i in range(count)])
        else:
            columns.append([f"$h_{hidden + i + 1}$" for i in range(count)])
            hidden += count
    return columns


def _ink_on_grey(value):
    """Black or white, whichever contrasts more with a grey of brightness ``value`` (0-255),
    by the relative luminance that WCAG's contrast ratio uses."""
    channel = min(max(value, 0), 255) / 255
    luminance = channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4
    return "black" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "white"


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


def show_kernel_sliding(patch, kernel, steps=3):
    """Show a kernel's first steps over a patch of image: the window, and the sum it gives.

    :param patch: a small 2-D grid of pixel values (the image's first pixels).
    :param kernel: the kernel, a 2-D grid of weights.
    :param steps: how many positions along the first row to show.
    :returns: the figure.
    """
    import matplotlib.pyplot as plt

    from dlcourse.convolution import convolve2d

    patch, kernel = as_numbers(patch, "patch"), as_numbers(kernel, "kernel")
    if patch.ndim != 2 or kernel.ndim != 2:
        raise ValueError("patch and kernel must both be 2-D grids of numbers.")
    output = convolve2d(patch, kernel, padding="valid")
    if not isinstance(steps, int) or not 1 <= steps <= output.shape[1]:
        raise ValueError(f"steps must be a whole number from 1 to {output.shape[1]}, "
                         f"not {steps!r}.")
    figure, axes = plt.subplots(1, steps, figsize=(3.4 * steps, 3.6))
    axes = np.atleast_1d(axes)
    rows, columns = kernel.shape
    for step, ax in enumerate(axes):
        ax.imshow(patch, cmap="gray", vmin=0, vmax=255)
        for (row, column), value in np.ndenumerate(patch):
            inside = 0 <= column - step < columns and row < rows
            ax.text(column, row, f"{value:g}", ha="center", va="center", fontsize=9,
                    color=_ink_on_grey(value), weight="bold" if inside else "normal")
        ax.add_patch(plt.Rectangle((step - 0.5, -0.5), columns, rows, fill=False,
                                   edgecolor="tab:orange", linewidth=3))
        ax.set_title(f"window at column {step}: sum {output[0, step]:g}", fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
    figure.tight_layout()
    return figure


def probability_table(images, probabilities, class_names, labels=None, ax=None, title=None):
    """A table of what a classifier thinks of some images: one row per image, with its
    thumbnail and the probability of every class, the most probable class marked.

    :param images: the images, an array of shape ``(count, height, width)``.
    :param probabilities: the classifier's output, shape ``(count, number of classes)``.
    :param class_names: the name of each class.
    :param labels: the true class of each image, or ``None`` where it belongs to no class;
        adds a last column that says whether the most probable class is the true one.
    :param ax: the Matplotlib axes to draw on; a new figure if not given.
    :param title: a title above the table.
    :returns: the axes.
    """
    import matplotlib.pyplot as plt

    images = as_numbers(images, "images")
    probabilities = as_numbers(probabilities, "probabilities")
    count, classes = len(images), len(class_names)
    if images.ndim != 3 or probabilities.shape != (count, classes):
        raise ValueError(f"probabilities must have one row per image ({count}) and one column "
                         f"per class ({classes}); got shape {probabilities.shape}.")
    if labels is not None and len(labels) != count:
        raise ValueError(f"labels must have one entry per image ({count}); got {len(labels)}.")
    if ax is None:
        _, ax = plt.subplots(figsize=(0.62 * (classes + 2), 0.62 * (count + 1)))
    for row, (image, probs) in enumerate(zip(images, probabilities)):
        ax.imshow(image, cmap="gray", vmin=0, vmax=255,
                  extent=(-0.45, 0.45, row + 0.45, row - 0.45))
        top = int(np.argmax(probs))
        for column, probability in enumerate(probs, start=1):
            marked = column - 1 == top
            if marked:
                ax.add_patch(plt.Rectangle((column - 0.5, row - 0.5), 1, 1, color="#fbd3a6"))
            ax.text(column, row, f"{100 * probability:.0f}", ha="center", va="center",
                    fontsize=9, weight="bold" if marked else "normal",
                    color="black" if marked or probability >= 0.005 else "0.6")
        if labels is not None:
            mark = "–" if labels[row] is None else ("✓" if labels[row] == top else "✗")
            ax.text(classes + 1, row, mark, ha="center", va="center", fontsize=12)
    headers = list(class_names) + (["right?"] if labels is not None else [])
    for column, header in enumerate(headers, start=1):
        ax.text(column, -0.9, header, ha="center", va="center", fontsize=9, weight="bold")
    ax.set_xlim(-0.55, len(headers) + 0.5)
    ax.set_ylim(count - 0.5, -1.3)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=11)
    return ax


def _history_curves(history):
    """The per-epoch values of a Keras ``History`` or its ``history`` dict, checked."""
    curves = getattr(history, "history", history)
    if not isinstance(curves, dict):
        raise TypeError("history must be what model.fit returns, or its .history dict; "
                        f"got {type(history).__name__}.")
    for key in ("loss", "val_loss"):
        if key not in curves:
            advice = " (pass validation_data to fit)" if key.startswith("val_") else ""
            raise ValueError(f"history has no {key!r}{advice}; it has {sorted(curves)}.")
    checked = {key: as_numbers(values, f"history[{key!r}]") for key, values in curves.items()}
    lengths = {len(values) for values in checked.values()}
    if len(lengths) != 1 or 0 in lengths:
        raise ValueError("every curve in history must have one value per epoch, and at least "
                         f"one; got lengths {sorted(lengths)}.")
    return checked


def plot_history(history, axes=None, title=None):
    """Loss and accuracy per epoch, for the training and the validation data, side by side.

    A dotted line marks the epoch with the lowest validation loss: where the model
    generalised best.

    :param history: what ``model.fit(..., validation_data=...)`` returns, or its
        ``.history`` dict; it needs ``loss`` and ``val_loss``, and may have ``accuracy``
        and ``val_accuracy``.
    :param axes: two Matplotlib axes, for loss and accuracy; a new figure if not given.
    :param title: a title above the two panels.
    :returns: the axes.

    >>> axes = plot_history({"loss": [1.0, 0.5, 0.3], "val_loss": [1.1, 0.7, 0.8],
    ...                      "accuracy": [0.5, 0.8, 0.9], "val_accuracy": [0.5, 0.7, 0.7]})
    >>> [ax.get_ylabel() for ax in axes]
    ['loss', 'accuracy']
    """
    import matplotlib.pyplot as plt

    curves = _history_curves(history)
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(9, 3.2))
    elif len(axes) != 2:
        raise ValueError(f"axes must be two axes, for loss and accuracy; got {len(axes)}.")
    epochs = np.arange(1, len(curves["loss"]) + 1)  # Keras counts epochs from 1 when printing
    best = int(epochs[np.argmin(curves["val_loss"])])
    for ax, metric in zip(axes, ("loss", "accuracy")):
        if metric not in curves:
            ax.axis("off")
            continue
        ax.plot(epochs, curves[metric], label="training", color="tab:blue")
        if f"val_{metric}" in curves:
            ax.plot(epochs, curves[f"val_{metric}"], label="validation", color="tab:orange")
        ax.axvline(best, color="0.5", linestyle=":", label=f"lowest validation loss ({best})")
        ax.set_xlabel("epoch")
        ax.set_ylabel(metric)
        ax.legend(fontsize=8)
    if title:
        axes[0].set_title(title, loc="left", fontsize=11)
    return axes


def label_points(ax, points, labels, radius=0.05, per_line=3, fontsize=8):
    """Label points on a scatter plot so that the labels stay legible where points crowd.

    Points closer together than ``radius`` (a fraction of the larger side of the data's
    range) share one label that lists their names, a few per line, instead of one label each
    written over the others. Each label goes to the first side of its points (right, left,
    above, below, ...) where it covers no point and no label placed before it.

    :param ax: the Matplotlib axes the points are drawn on.
    :param points: an array of shape ``(count, 2)``.
    :param labels: one name per point.
    :param radius: how close points must be to share a label.
    :param per_line: at most this many names on a line of a shared label.
    :param fontsize: the size of the labels' text.
    :returns: the groups, each a list of the names that share a label.

    >>> import matplotlib.pyplot as plt
    >>> _, ax = plt.subplots()
    >>> label_points(ax, [[0, 0], [0.01, 0], [1, 1]], ["cat", "dog", "sun"])
    [['cat', 'dog'], ['sun']]
    """
    from matplotlib.transforms import Bbox

    points = as_numbers(points, "points")
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"points must have shape (count, 2); got {points.shape}.")
    labels = [str(label) for label in labels]
    if len(labels) != len(points):
        raise ValueError(f"there must be one label per point: {len(points)} points, "
                         f"{len(labels)} labels.")
    if not 0 <= radius < 1:
        raise ValueError(f"radius must be a fraction from 0 to 1, not {radius}.")
    span = np.ptp(points, axis=0).max() if len(points) else 0
    groups = []  # indices of the points that share a label, each near its first point
    for index, point in enumerate(points):
        for group in groups:
            if np.linalg.norm(points[group[0]] - point) <= radius * span:
                group.append(index)
                break
        else:
            groups.append([index])
    ax.figure.canvas.draw()  # fixes the axes' limits and layout, so that texts can be measured
    renderer = ax.figure.canvas.get_renderer()
    # Nothing may cover a point, nor a label placed before: boxes in screen pixels.
    taken = [Bbox.from_extents(x - 4, y - 4, x + 4, y + 4)
             for x, y in ax.transData.transform(points)]
    # (which end of the group to start from, offset in points, alignment)
    sides = [("right", (5, 0), "left", "center"), ("left", (-5, 0), "right", "center"),
             ("top", (0, 5), "center", "bottom"), ("bottom", (0, -5), "center", "top"),
             ("right", (5, 6), "left", "bottom"), ("left", (-5, 6), "right", "bottom"),
             ("right", (5, -6), "left", "top"), ("left", (-5, -6), "right", "top")]
    for group in groups:
        names = [labels[index] for index in group]
        text = "\n".join(", ".join(names[start:start + per_line])
                         for start in range(0, len(names), per_line))
        low, high = points[group].min(axis=0), points[group].max(axis=0)
        middle = (low + high) / 2
        ends = {"right": (high[0], middle[1]), "left": (low[0], middle[1]),
                "top": (middle[0], high[1]), "bottom": (middle[0], low[1])}
        for end, offset, ha, va in sides:
            label = ax.annotate(text, ends[end], xytext=offset, textcoords="offset points",
                                fontsize=fontsize, ha=ha, va=va)
            box = label.get_window_extent(renderer).padded(2)
            if not any(box.overlaps(other) for other in taken):
                break
            label.remove()
        else:  # no free side: the first one, overlapping
            end, offset, ha, va = sides[0]
            label = ax.annotate(text, ends[end], xytext=offset, textcoords="offset points",
                                fontsize=fontsize, ha=ha, va=va)
            box = label.get_window_extent(renderer)
        taken.append(box)
    return [[labels[index] for index in group] for group in groups]

"""Loss functions: how far a model's predictions are from the expected values.

Both compare ``predicted`` with ``expected`` value by value and average over
the values, as Keras' ``MeanSquaredError`` and ``Huber`` losses do.
"""

import numpy as np

from dlcourse._numbers import as_numbers, is_number, same_length

__all__ = ["huber", "huber_loss", "mean_squared_error", "squared_errors"]


def _pair(predicted, expected):
    predicted = as_numbers(predicted, "predicted")
    expected = as_numbers(expected, "expected")
    same_length(predicted, "predicted", expected, "expected")
    if predicted.size == 0:
        raise ValueError("predicted and expected must hold at least one value each.")
    return predicted, expected


def squared_errors(predicted, expected):
    """The squared error of every prediction, :math:`(\\hat{y}_i - y_i)^2`.

    :param predicted: the model's predictions.
    :param expected: the expected (true) values, as many as predictions.
    :returns: one squared error per prediction, an array.

    >>> squared_errors([1, 2, 0, 3], [-1, -1, 0, 2])
    array([4., 9., 0., 1.])
    """
    predicted, expected = _pair(predicted, expected)
    return (predicted - expected) ** 2


def mean_squared_error(predicted, expected):
    """The mean of the squared errors, :math:`\\frac{1}{n} \\sum_i (\\hat{y}_i - y_i)^2`.

    :param predicted: the model's predictions.
    :param expected: the expected (true) values, as many as predictions.
    :returns: the mean squared error, a float.

    >>> mean_squared_error([1, 2, 0, 3], [-1, -1, 0, 2])
    3.5
    """
    return float(np.mean(squared_errors(predicted, expected)))


def huber(error, delta=1.0):
    """The Huber function of an error: squared near zero, straight beyond ``delta``.

    :math:`\\frac{1}{2} e^2` where :math:`|e| \\le \\delta`, else
    :math:`\\delta \\, (|e| - \\frac{1}{2} \\delta)`.

    :param error: an error, or an array of errors (prediction minus expected value).
    :param delta: where the curve turns from squared to straight, a positive number.
    :returns: an array of the same shape as ``error``.

    >>> huber([0.5, 3.0])
    array([0.125, 2.5  ])
    """
    error = as_numbers(error, "error")
    # `not delta > 0` also refuses NaN, which every comparison answers with False.
    if not is_number(delta) or not delta > 0 or not np.isfinite(delta):
        raise ValueError(f"delta must be a positive finite number, not {delta!r}.")
    size = np.abs(error)
    return np.where(size <= delta, 0.5 * error**2, delta * (size - 0.5 * delta))


def huber_loss(predicted, expected, delta=1.0):
    """The mean Huber function of the errors: less swayed by outliers than the squared error.

    :param predicted: the model's predictions.
    :param expected: the expected (true) values, as many as predictions.
    :param delta: where the Huber function turns from squared to straight.
    :returns: the Huber loss, a float.

    >>> huber_loss([1, 2, 0, 3], [-1, -1, 0, 2])
    1.125
    """
    predicted, expected = _pair(predicted, expected)
    return float(np.mean(huber(predicted - expected, delta)))

"""Turning a learner's numbers into NumPy arrays, with one clear sentence when that fails."""

import numbers

import numpy as np


def as_numbers(value, name):
    """``value`` as an array of floats; a TypeError naming ``name`` if it holds anything else."""
    if isinstance(value, (str, bytes)) or value is None or isinstance(value, bool):
        kind = type(value).__name__
        raise TypeError(f"{name} must be a number or a list of numbers, not {kind}.")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be a number or a list of numbers of equal lengths; got {value!r}."
        ) from None
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must hold finite numbers; got {value!r}.")
    return array


def same_length(first, first_name, second, second_name):
    """Raise a ValueError unless two 1-D arrays have the same number of values."""
    if first.shape != second.shape:
        raise ValueError(
            f"{first_name} and {second_name} must have the same number of values; "
            f"got {first.size} and {second.size}."
        )


def is_number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)

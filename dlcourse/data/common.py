"""What every loader shares: the data mode, the error raised when data cannot be
had, and the container of image data sets."""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

__all__ = ["DataUnavailableError", "ImageData", "data_mode"]

MODE_VARIABLE = "DLCOURSE_DATA"
MODES = ("auto", "online", "offline")


class DataUnavailableError(RuntimeError):
    """The data set could not be had in the mode asked for."""


@dataclass(frozen=True)
class ImageData:
    """Images with one class label each, already split into training and test sets.

    The arrays have the shapes and types of Keras' own loaders: images are
    ``uint8`` arrays of shape ``(count, height, width)``, or ``(count, height,
    width, 3)`` for colour photos; labels are ``uint8`` arrays of shape
    ``(count,)``.

    :param x_train: training images.
    :param y_train: class of each training image.
    :param x_test: test images.
    :param y_test: class of each test image.
    :param class_names: the name of each class.
    :param origin: ``"download"``, ``"cache"``, ``"Debian package"``,
        ``"offline subset"`` or ``"offline photos"``.
    :param source: one sentence saying what the data are and where they came from.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple[str, ...]
    origin: str
    source: str


def data_mode(mode: str | None = None) -> str:
    """Return the data mode in force: ``"auto"``, ``"online"`` or ``"offline"``.

    :param mode: a mode to use instead of the ``DLCOURSE_DATA`` environment
        variable; ``None`` reads the variable (unset or empty means ``"auto"``).
    :returns: the mode, in lower case.
    :raises ValueError: if the mode is not one of the three.

    >>> data_mode("Offline")
    'offline'
    """
    if mode is None:
        mode = os.environ.get(MODE_VARIABLE, "") or "auto"
        where = f"The environment variable {MODE_VARIABLE}"
    else:
        where = "mode"
    if not isinstance(mode, str):
        raise TypeError(f"{where} must be a string such as 'auto', not {type(mode).__name__}.")
    if mode.strip().lower() not in MODES:
        raise ValueError(f"{where} must be one of 'auto', 'online' or 'offline', not {mode!r}.")
    return mode.strip().lower()


def check_count(name: str, value, low: int = 1, high: int | None = None) -> None:
    """Refuse, in one sentence, a count that is not a whole number from low to high."""
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool):
        raise TypeError(f"{name} must be a whole number, not {type(value).__name__}.")
    if value < low or (high is not None and value > high):
        limits = f"from {low} to {high}" if high is not None else f"at least {low}"
        raise ValueError(f"{name} must be {limits}, not {value}.")


def centre_square(picture, size: int, resample) -> np.ndarray:
    """A Pillow picture cropped to the square in its middle and resized to size x size."""
    side = min(picture.size)
    left, top = (picture.width - side) // 2, (picture.height - side) // 2
    picture = picture.crop((left, top, left + side, top + side))
    return np.asarray(picture.resize((size, size), resample), dtype=np.uint8)

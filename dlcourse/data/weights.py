"""Pretrained weights: MobileNetV2's ImageNet weights for lesson 5, from Keras'
download, or none (the model then starts from random weights)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import registry
from .common import data_mode
from .download import fetch_or_why, how

__all__ = ["Weights", "load_mobilenet_v2_weights"]


@dataclass(frozen=True)
class Weights:
    """Pretrained weights for a Keras application, or why there are none.

    :param path: the checked weights file, to pass as ``weights=`` to the
        Keras application; ``None`` if there is none.
    :param status: ``"pretrained"`` (the ImageNet weights) or ``"random"``
        (no weights file: the model starts from random weights, as
        ``weights=None`` does).
    :param source: one sentence saying what the weights are and where they came from.
    :param origin: ``"download"``, ``"cache"``, or ``"none"`` when there are no weights.
    """

    path: Path | None
    status: str
    source: str
    origin: str


def load_mobilenet_v2_weights(image_size: int = 128, mode: str | None = None) -> Weights:
    """Find MobileNetV2's ImageNet weights (without the top), downloading them if needed.

    The file is the one ``keras.applications.MobileNetV2(include_top=False,
    weights="imagenet")`` downloads, kept where Keras keeps it
    (``$KERAS_HOME/models``, by default ``~/.keras/models``), so Keras and
    ``dlcourse`` share it. A file whose size is wrong (a truncated download)
    is never used. When there are no weights, ``status`` is ``"random"`` and
    ``source`` says why in one sentence: the lesson then runs with a base that
    has learned nothing.

    :param image_size: the input size of the model: 128, 160 or 224.
    :param mode: ``"auto"``, ``"online"`` or ``"offline"`` (no weights);
        ``None`` reads ``DLCOURSE_DATA`` (see :func:`~dlcourse.data.data_mode`).
    :returns: the weights as :class:`Weights`.
    :raises ~dlcourse.data.DataUnavailableError: in ``"online"`` mode, if the weights can be
        neither read from the cache nor downloaded.

    >>> weights = load_mobilenet_v2_weights(mode="offline")
    >>> weights.path, weights.status
    (None, 'random')
    """
    mode = data_mode(mode)
    remote = registry.mobilenet_v2_remote(image_size)
    without = ("so the base model starts from random weights and has learned nothing "
               "from ImageNet")
    if mode == "offline":
        return Weights(None, "random", f"No ImageNet weights in offline mode, {without}.",
                       "none")
    fetched, why = fetch_or_why(remote, mode, instead="go on with random weights")
    if fetched is None:
        return Weights(None, "random", f"{why[:-1]}, {without}.", "none")
    path, origin = fetched
    return Weights(path, "pretrained",
                   f"MobileNetV2's ImageNet weights for {image_size} x {image_size} "
                   f"images, {how(origin)}.", origin)

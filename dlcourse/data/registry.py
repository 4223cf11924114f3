"""Everything the lessons can download, in one place: where each file comes from,
the checksum it must match, and which lesson uses it.

``python -m dlcourse.data status`` lists these downloads and ``python -m
dlcourse.data download`` fetches them (see :mod:`dlcourse.data.__main__`).
"""

from __future__ import annotations

from dataclasses import dataclass

from .download import Remote

__all__ = ["Download", "downloads", "mobilenet_v2_remote"]

#: The file behind ``keras.datasets.mnist.load_data()``, with Keras' checksum.
MNIST_REMOTE = Remote(
    url="https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz",
    sha256="731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
    filename="mnist.npz",
)

#: Where Keras downloads Fashion-MNIST from.
FASHION_MNIST_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"

#: The four files of Fashion-MNIST, with the SHA-256 of their decompressed
#: content, which Debian's copy (package ``dataset-fashion-mnist``) matches.
#: Zalando Research publishes the MD5 sums of its ``.gz`` files, not of their
#: content; Debian's package recompresses the files, and for Keras' copies no
#: checksum is published, so the content is what every faithful copy shares.
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

#: The TensorFlow team's flower photos, with the checksum TensorFlow Datasets
#: records for them (``tf_flowers``).
FLOWER_PHOTOS_REMOTE = Remote(
    url="https://storage.googleapis.com/download.tensorflow.org/example_images/"
        "flower_photos.tgz",
    sha256="4c54ace7911aaffe13a365c34f650e71dd5bf1be0a58b464e5a7183e3e595d9c",
    filename="flower_photos.tgz",  # the name keras.utils.get_file gives it
)

#: The input sizes for which the file size of Keras' MobileNetV2 weights
#: (without the top) was checked against Keras' own download logs.
MOBILENET_V2_SIZES = (128, 160, 224)

#: Where Keras downloads the MobileNetV2 ImageNet weights from.
MOBILENET_V2_URL = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/"

#: The size in bytes of those weight files. Keras publishes no checksum for
#: them, and none could be computed without a copy, so a file is accepted by
#: its size: a truncated download or cache file is never used.
MOBILENET_V2_BYTES = 9_406_464

#: The input size of lesson 5's model, whose weights ``download`` fetches.
LESSON_IMAGE_SIZE = 128


def mobilenet_v2_remote(image_size: int) -> Remote:
    """Return the file of Keras' MobileNetV2 ImageNet weights without the top.

    :param image_size: the input size the weights were trained at: 128, 160 or 224.
    :returns: the :class:`~dlcourse.data.download.Remote`, under the name and in
        the cache folder ``keras.applications.MobileNetV2(weights="imagenet")`` uses.

    >>> mobilenet_v2_remote(128).cache_subdir
    'models'
    """
    if image_size not in MOBILENET_V2_SIZES:
        raise ValueError(f"image_size must be one of {MOBILENET_V2_SIZES}, not {image_size!r}.")
    name = f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_{image_size}_no_top.h5"
    return Remote(url=MOBILENET_V2_URL + name, sha256=None, filename=name,
                  cache_subdir="models", size=MOBILENET_V2_BYTES)


@dataclass(frozen=True)
class Download:
    """One data set or weights file that the lessons can download.

    :param name: the name to give ``python -m dlcourse.data download``.
    :param used_for: which lesson uses it, and for what.
    :param megabytes: about how much is downloaded, in MB (10⁶ bytes).
    :param remotes: its files.
    """

    name: str
    used_for: str
    megabytes: float
    remotes: tuple[Remote, ...]


def downloads() -> tuple[Download, ...]:
    """Return everything the lessons can download, in the order of the lessons.

    The sizes are those Keras' own downloads report.

    :returns: one :class:`Download` per data set or weights file.

    >>> [download.name for download in downloads()]
    ['mnist', 'fashion-mnist', 'flower-photos', 'mobilenet-v2']
    """
    return (
        Download("mnist", "lessons 3 and 6: digits", 11.5, (MNIST_REMOTE,)),
        Download("fashion-mnist", "lessons 4 and 5: clothes", 30.9,
                 tuple(FASHION_MNIST_REMOTES.values())),
        Download("flower-photos", "lesson 5: flowers", 228.8, (FLOWER_PHOTOS_REMOTE,)),
        Download("mobilenet-v2", "lesson 5: pretrained weights", 9.4,
                 (mobilenet_v2_remote(LESSON_IMAGE_SIZE),)),
    )

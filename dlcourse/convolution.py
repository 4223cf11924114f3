"""Convolution and max pooling by hand, on one grey-scale image.

As in Keras' ``Conv2D``, the kernel slides over the image without being
flipped: each output pixel is the sum of the image window under the kernel,
multiplied element by element with the kernel.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from dlcourse._numbers import as_numbers

__all__ = ["convolve2d", "max_pool2d"]


def _image(image):
    image = as_numbers(image, "image")
    if image.ndim != 2:
        raise ValueError(f"image must be a 2-D grid of numbers (one grey value per pixel); "
                         f"got shape {image.shape}.")
    return image


def _positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive whole number, not {value!r}.")
    return int(value)


def convolve2d(image, kernel, padding="valid"):
    """Slide ``kernel`` over ``image``; each output pixel is the sum of window times kernel.

    :param image: a 2-D grid of numbers, one per pixel.
    :param kernel: a smaller 2-D grid of weights.
    :param padding: ``"valid"`` keeps only positions where the kernel fits inside the image (the
        output shrinks by the kernel size minus one); ``"same"`` first surrounds the image with
        zeros so that the output has the image's size.
    :returns: the filtered image, a 2-D array of floats.

    >>> convolve2d([[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 0], [0, -1]])
    array([[-4., -4.],
           [-4., -4.]])
    """
    image = _image(image)
    kernel = as_numbers(kernel, "kernel")
    if kernel.ndim != 2:
        raise ValueError(f"kernel must be a 2-D grid of weights; got shape {kernel.shape}.")
    if kernel.size == 0:
        raise ValueError(f"kernel must hold at least one weight; got shape {kernel.shape}.")
    if padding not in ("valid", "same"):
        raise ValueError(f"padding must be 'valid' or 'same', not {padding!r}.")
    if padding == "same":
        # Zeros around the image; with an even kernel the extra row and column go to the
        # bottom and right, as in Keras and TensorFlow.
        rows, columns = kernel.shape[0] - 1, kernel.shape[1] - 1
        before = (rows // 2, columns // 2)
        image = np.pad(image, ((before[0], rows - before[0]), (before[1], columns - before[1])))
    if kernel.shape[0] > image.shape[0] or kernel.shape[1] > image.shape[1]:
        raise ValueError(f"kernel of shape {kernel.shape} does not fit in an image of shape "
                         f"{image.shape}.")
    windows = sliding_window_view(image, kernel.shape)  # one window per output pixel
    return np.sum(windows * kernel, axis=(2, 3))


def max_pool2d(image, size=2, stride=2):
    """Keep the largest value of each ``size`` x ``size`` window, moving ``stride`` pixels a step.

    Windows that would reach past the edge are dropped, as Keras' ``MaxPooling2D`` does.

    :param image: a 2-D grid of numbers.
    :param size: the window's height and width.
    :param stride: how far the window moves each step.
    :returns: the pooled image, a 2-D array.

    >>> max_pool2d([[1, 2, 0, 1], [3, 4, 1, 0], [0, 0, 5, 6], [1, 0, 7, 8]])
    array([[4., 1.],
           [1., 8.]])
    """
    image = _image(image)
    size, stride = _positive_int(size, "size"), _positive_int(stride, "stride")
    if size > min(image.shape):
        raise ValueError(f"size {size} is larger than the image, of shape {image.shape}.")
    windows = sliding_window_view(image, (size, size))[::stride, ::stride]
    return windows.max(axis=(2, 3))

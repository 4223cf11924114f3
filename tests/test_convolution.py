"""dlcourse.convolution: convolution and max pooling by hand agree with SciPy and Keras."""

import keras
import numpy as np
import pytest
from scipy import signal

from dlcourse.convolution import convolve2d, max_pool2d

RNG = np.random.default_rng(0)
IMAGE = RNG.integers(0, 256, size=(9, 11)).astype(float)
KERNELS = {
    "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
    "sobel": np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
    "random 5x5": RNG.normal(size=(5, 5)),
    "even 2x4": RNG.normal(size=(2, 4)),
}


@pytest.mark.parametrize("name", ["sharpen", "sobel", "random 5x5"])
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_convolution_agrees_with_scipy(name, padding):
    # Sliding without flipping the kernel is what SciPy calls correlation.
    expected = signal.correlate2d(IMAGE, KERNELS[name], mode=padding)
    np.testing.assert_allclose(convolve2d(IMAGE, KERNELS[name], padding), expected)


@pytest.mark.parametrize("name", sorted(KERNELS))
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_convolution_agrees_with_a_keras_conv2d_of_the_same_weights(name, padding):
    kernel = KERNELS[name]
    layer = keras.layers.Conv2D(1, kernel.shape, padding=padding, use_bias=False)
    layer.build((None, *IMAGE.shape, 1))
    layer.set_weights([kernel[:, :, None, None]])
    theirs = keras.ops.convert_to_numpy(layer(IMAGE[None, :, :, None].astype("float32")))
    np.testing.assert_allclose(convolve2d(IMAGE, kernel, padding), theirs[0, :, :, 0],
                               rtol=1e-5, atol=1e-3)


def test_valid_padding_shrinks_by_the_kernel_size_minus_one():
    assert convolve2d(np.zeros((28, 28)), np.ones((5, 5))).shape == (24, 24)
    assert convolve2d(np.zeros((28, 28)), np.ones((5, 5)), padding="same").shape == (28, 28)


@pytest.mark.parametrize("size, stride", [(2, 2), (3, 1), (3, 2)])
def test_max_pooling_agrees_with_keras(size, stride):
    layer = keras.layers.MaxPooling2D(pool_size=size, strides=stride)
    theirs = keras.ops.convert_to_numpy(layer(IMAGE[None, :, :, None].astype("float32")))
    np.testing.assert_array_equal(max_pool2d(IMAGE, size, stride), theirs[0, :, :, 0])


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: convolve2d(np.zeros((3, 3, 3)), np.ones((3, 3))), ValueError,
         "image must be a 2-D grid of numbers (one grey value per pixel); got shape (3, 3, 3)."),
        (lambda: convolve2d(IMAGE, [1, 2, 3]), ValueError,
         "kernel must be a 2-D grid of weights; got shape (3,)."),
        (lambda: convolve2d(IMAGE, [[]]), ValueError,
         "kernel must hold at least one weight; got shape (1, 0)."),
        (lambda: convolve2d(IMAGE, np.zeros((0, 0)), padding="same"), ValueError,
         "kernel must hold at least one weight; got shape (0, 0)."),
        (lambda: convolve2d(IMAGE, np.ones((3, 3)), padding="full"), ValueError,
         "padding must be 'valid' or 'same', not 'full'."),
        (lambda: convolve2d(np.ones((2, 2)), np.ones((3, 3))), ValueError,
         "kernel of shape (3, 3) does not fit in an image of shape (2, 2)."),
        (lambda: convolve2d("image", np.ones((3, 3))), TypeError,
         "image must be a number or a list of numbers, not str."),
        (lambda: max_pool2d(IMAGE, size=0), ValueError,
         "size must be a positive whole number, not 0."),
        (lambda: max_pool2d(IMAGE, stride=1.5), ValueError,
         "stride must be a positive whole number, not 1.5."),
        (lambda: max_pool2d(np.ones((2, 2)), size=3), ValueError,
         "size 3 is larger than the image, of shape (2, 2)."),
    ],
)
def test_bad_input_gets_one_clear_sentence(call, error, words):
    with pytest.raises(error) as raised:
        call()
    assert words in str(raised.value)

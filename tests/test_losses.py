"""dlcourse.losses: the exercise's values, and agreement with Keras' losses."""

import keras
import numpy as np
import pytest

from dlcourse.losses import huber, huber_loss, mean_squared_error, squared_errors

PREDICTED, EXPECTED = [1, 2, 0, 3], [-1, -1, 0, 2]


def test_the_mse_exercise_gives_4_9_0_1_and_3_5():
    np.testing.assert_array_equal(squared_errors(PREDICTED, EXPECTED), [4, 9, 0, 1])
    assert mean_squared_error(PREDICTED, EXPECTED) == 3.5


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_mean_squared_error_agrees_with_keras(seed):
    rng = np.random.default_rng(seed)
    predicted, expected = rng.normal(size=20), rng.normal(size=20)
    theirs = float(keras.losses.MeanSquaredError()(expected, predicted))
    assert mean_squared_error(predicted, expected) == pytest.approx(theirs, rel=1e-6)


@pytest.mark.parametrize("delta", [0.5, 1.0, 2.0])
def test_huber_loss_agrees_with_keras(delta):
    rng = np.random.default_rng(3)
    predicted, expected = 3 * rng.normal(size=50), rng.normal(size=50)
    theirs = float(keras.losses.Huber(delta=delta)(expected, predicted))
    assert huber_loss(predicted, expected, delta) == pytest.approx(theirs, rel=1e-5)


def test_huber_is_half_the_square_inside_delta_and_straight_outside():
    errors = np.array([-3.0, -1.0, 0.0, 0.5, 1.0, 5.0])
    np.testing.assert_allclose(huber(errors, delta=1.0), [2.5, 0.5, 0.0, 0.125, 0.5, 4.5])
    # Beyond delta it grows by delta per unit of error: linearly, not quadratically.
    assert huber(7.0) - huber(6.0) == pytest.approx(1.0)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: mean_squared_error([1, 2], [1]), ValueError,
         "predicted and expected must have the same number of values; got 2 and 1."),
        (lambda: mean_squared_error([], []), ValueError, "must hold at least one value each"),
        (lambda: squared_errors(None, [1]), TypeError,
         "predicted must be a number or a list of numbers, not NoneType."),
        (lambda: huber([1.0], delta=0), ValueError,
         "delta must be a positive finite number, not 0."),
        (lambda: huber([1.0], delta=float("nan")), ValueError,
         "delta must be a positive finite number, not nan."),
        (lambda: huber([1.0], delta=float("inf")), ValueError,
         "delta must be a positive finite number, not inf."),
        (lambda: huber_loss([1], [2], delta="1"), ValueError,
         "delta must be a positive finite number"),
    ],
)
def test_bad_input_gets_one_clear_sentence(call, error, words):
    with pytest.raises(error, match=None) as raised:
        call()
    assert words in str(raised.value)

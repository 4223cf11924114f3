"""dlcourse.training: one trace instead of two, the same training, clear errors."""

import keras
import numpy as np
import pytest
from keras.src.trainers.trainer import Trainer

from dlcourse.training import build_for_fit

RNG = np.random.default_rng(0)
X = RNG.normal(size=(40, 6)).astype("float32")
Y = np.arange(40) % 3


def compiled_network(seed=1):
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input(shape=(6,)),
                              keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dropout(0.2),
                              keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def counting_traces(model):
    """A list that grows by one each time TensorFlow traces the model's training step."""
    traces = []
    train_step = model.train_step

    def counted(data):
        traces.append(1)
        return train_step(data)

    model.train_step = counted
    return traces


def traces_of_first_fit(model):
    """How many times TensorFlow traced the training step during one fit."""
    traces = counting_traces(model)
    model.fit(X, Y, epochs=2, batch_size=20, verbose=0)
    return len(traces)


def test_without_it_tensorflow_traces_the_training_step_twice():
    # The reason the function exists; if a Keras version stops doing this, it can go.
    assert traces_of_first_fit(compiled_network()) == 2


def test_after_it_the_training_step_is_traced_once():
    model = build_for_fit(compiled_network(), X, Y)
    assert model.optimizer.built
    assert traces_of_first_fit(model) == 1


def test_training_learns_exactly_the_same():
    plain, built = compiled_network(), build_for_fit(compiled_network(), X, Y)
    for model in (plain, built):
        keras.utils.set_random_seed(7)  # the same shuffles and dropout
        model.fit(X, Y, epochs=3, batch_size=8, verbose=0)
    for ours, theirs in zip(built.get_weights(), plain.get_weights()):
        np.testing.assert_array_equal(ours, theirs)


def test_without_keras_private_build_the_model_trains_as_before(monkeypatch):
    monkeypatch.delattr(Trainer, "_symbolic_build")
    model = build_for_fit(compiled_network(), X, Y)
    assert not model.optimizer.built
    assert traces_of_first_fit(model) == 2  # slower, and still right


def test_train_on_batch_is_traced_once_too():
    model = build_for_fit(compiled_network(), X, Y)
    traces = counting_traces(model)
    for _ in range(3):
        model.train_on_batch(X, Y)
    assert len(traces) == 1


def test_a_built_model_is_left_as_it_is():
    model = compiled_network()
    model.fit(X, Y, epochs=1, verbose=0)
    variables = list(model.optimizer.variables)
    assert build_for_fit(model, X, Y) is model
    assert list(model.optimizer.variables) == variables


@pytest.mark.parametrize(
    "model, x, y, error, message",
    [
        ("a model", X, Y, TypeError, "model must be a Keras model, not str."),
        (None, X, Y, ValueError, "Compile the model (model.compile) before build_for_fit."),
        (..., [[1.0] * 6], Y, TypeError, "x must be an array with one sample per row, such "
                                         "as a NumPy array, not list."),
        (..., X[:0], Y, ValueError, "x holds no samples."),
        (..., X, 3, TypeError, "y must be an array with one sample per row, such as a NumPy "
                               "array, not int."),
        (..., X, np.array(3), ValueError, "y is a single value; it must hold one sample per "
                                          "row."),
    ],
)
def test_bad_input_gets_one_clear_sentence(model, x, y, error, message):
    if model is None:
        model = keras.Sequential([keras.Input(shape=(6,)), keras.layers.Dense(3)])
    elif model is ...:
        model = compiled_network()
    with pytest.raises(error) as raised:
        build_for_fit(model, x, y)
    assert str(raised.value) == message


def test_data_of_the_wrong_shape_is_named_with_what_keras_says():
    with pytest.raises(ValueError) as raised:
        build_for_fit(compiled_network(), X[:, :4], Y)
    message = str(raised.value)
    assert message.startswith("x of shape (40, 4) and y of shape (40,) do not fit the model "
                              "or its loss: ")
    assert "\n" not in message and "\x1b" not in message
    assert message.endswith("expected axis -1 of input shape to have value 6, but received "
                            "input with shape (1, 4)")


def test_labels_that_do_not_fit_the_loss_are_named():
    one_hot = np.eye(3)[Y]  # the loss expects class numbers
    with pytest.raises(ValueError, match=r"^x of shape \(40, 6\) and y of shape \(40, 3\) "
                                         r"do not fit the model or its loss: \S"):
        build_for_fit(compiled_network(), X, one_hot)

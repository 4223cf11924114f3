"""dlcourse.check: right answers pass, typical mistakes get their hint, nonsense a clear message."""

import numpy as np
import pytest

from dlcourse import check

MATCHING = ["sigmoid", "linear", "relu", "sigmoid", "relu", "relu", "linear"]

RIGHT = [
    (check.activation_matching, MATCHING),
    (check.activation_matching, ["Sigmoid", "identity", "ReLU", "logistic", "relu", "relu",
                                 "Linear"]),
    (check.neuron_output, 1.25),
    (check.neuron_output, np.float32(1.25)),
    (check.neuron_output, np.array([1.25])),
    (check.truth_table, [0, 1, 1, 0]),
    (check.truth_table, np.array([0.0, 1.0, 1.0, 0.0])),
    (check.logical_problem, "XOR"),
    (check.logical_problem, "exclusive-or"),
    (check.logical_problem, "XOR."),
    (check.logical_problem, "XOR gate"),
    (check.logical_problem, "an exclusive or gate"),
    (check.logical_problem, "XOR (exclusive or)"),
    (check.logical_problem, "EXOR"),
    (check.logical_problem, "exclusive disjunction"),
    (check.squared_errors, [4, 9, 0, 1]),
    (check.mean_squared_error, 3.5),
    (check.outlier_sensitivity, "squared error"),
    (check.outlier_sensitivity, "MSE"),
    (check.outlier_sensitivity, "squared errors"),
    (check.outlier_sensitivity, "The squared error."),
    (check.outlier_sensitivity, "the mean squared error loss"),
    (check.outlier_sensitivity, "half the squared error"),  # the figure's legend
    (check.outlier_sensitivity, "squared error (MSE)"),
    # Keras' documentation gives Dense's default activation as None: no activation, linear.
    (check.activation_matching, MATCHING[:6] + ["None"]),
    (check.activation_matching, MATCHING[:6] + [None]),
    (check.gradient_step, 1.7),
    (check.weight_update, 0.96),
    (check.sharpened_pixel, 180),
    (check.valid_output_size, 24),
    (check.conv_parameters, 416),
    (check.fit_diagnosis, ["underfitting", "overfitting", "good fit"]),
    (check.fit_diagnosis, ("Under", "over-fitting", "good")),
    (check.standardised_value, 1.5),
    (check.standardised_value, np.float64(1.5000000001)),
    (check.head_parameters, 6405),
    (check.head_parameters, np.int64(6405)),
    (check.layers_to_unfreeze, "b"),
    (check.layers_to_unfreeze, " (B) "),
    (check.fine_tuning_learning_rate, "B."),
    (check.embedding_parameters, 304),
    (check.architecture_matching, ["autoencoder", "GAN", "transformer",
                                   "reinforcement learning", "RNN"]),
    (check.architecture_matching, ["Auto-encoder", "gan", "Transformers", "RL", "LSTM"]),
]


# What a class writes besides the names in the lesson: long forms, plurals, articles.
VARIANTS = [
    (check.outlier_sensitivity, "mean square error"),
    (check.outlier_sensitivity, "L2 loss"),
    (check.outlier_sensitivity, "the L2"),
    (check.outlier_sensitivity, "quadratic loss"),
    (check.outlier_sensitivity, "least squares"),
    (check.outlier_sensitivity, "It's the squared error"),
    (check.activation_matching, ["sigmoid function", "identity", "rectified linear unit",
                                 "logistic", "ReLU", "rectifier", "no activation"]),
    (check.activation_matching, ["Sigmoid", "Linear", "ReLUs", "sigmoids", "relu", "relu",
                                 "linear function"]),
    (check.logical_problem, "it is XOR"),
    (check.logical_problem, "It's an XOR gate."),
    (check.logical_problem, "x-or"),
    (check.logical_problem, "either/or"),
    (check.fit_diagnosis, ["underfitting", "overfitting", "a good fit"]),
    (check.fit_diagnosis, ["Underfit.", "Overfits", "Good fit!"]),
    (check.fit_diagnosis, ["under-fitted", "over fitted", "fits well"]),
    (check.fit_diagnosis, ["an underfit", "an overfit", "just right"]),
    (check.architecture_matching, ["autoencoders", "GANs", "transformers",
                                   "reinforcement learning", "RNNs"]),
    (check.architecture_matching, ["an autoencoder", "generative adversarial networks",
                                   "self-attention", "deep reinforcement learning", "LSTMs"]),
    (check.architecture_matching, ["Autoencoder.", "a GAN", "a transformer", "RL",
                                   "long short-term memory"]),
    (check.architecture_matching, ["auto-encoders", "generative adversarial network",
                                   "Transformer", "Q-learning", "recurrent neural networks"]),
]


def test_a_tensorflow_scalar_is_a_number():
    """The Keras loss a learner has just computed is a tf.Tensor, not a float."""
    import keras
    import tensorflow as tf

    loss = keras.losses.MeanSquaredError()(np.array([-1.0, -1, 0, 2]), np.array([1.0, 2, 0, 3]))
    assert isinstance(loss, tf.Tensor)
    assert check.mean_squared_error(loss).status == "correct"
    assert check.mean_squared_error(tf.constant([3.5])).status == "correct"
    assert check.mean_squared_error(keras.ops.sum(loss * 4)).status == "incorrect"
    assert "sum of the squared errors" in repr(check.mean_squared_error(tf.constant(14.0)))
    assert check.neuron_output(tf.constant([1.0, 2.0])).status == "invalid"
    assert check.squared_errors(tf.constant([4.0, 9.0, 0.0, 1.0])).status == "correct"


# Denials and hedges name the right answer, but never earn Correct!
HEDGED = [
    (check.logical_problem, "not XOR"),
    (check.logical_problem, "XOR or AND"),
    (check.logical_problem, "AND or XOR"),
    (check.logical_problem, "maybe XOR"),
    (check.logical_problem, "XOR, not OR"),
    (check.logical_problem, "it isn't XOR"),
    (check.logical_problem, "XOR and NAND"),
    (check.logical_problem, "either XOR or XNOR"),
    (check.outlier_sensitivity, "not the squared error"),
    (check.outlier_sensitivity, "squared error or Huber"),
    (check.outlier_sensitivity, "Huber, not squared error"),
    (check.outlier_sensitivity, "probably MSE"),
    (check.outlier_sensitivity, "both"),
    (check.outlier_sensitivity, "neither"),
    (check.fit_diagnosis, ["underfitting", "overfitting", "not a good fit"]),
    (check.fit_diagnosis, ["underfitting", "overfitting or underfitting", "good fit"]),
    (check.architecture_matching, ["autoencoder", "GAN or autoencoder", "transformer",
                                   "reinforcement learning", "RNN"]),
    (check.activation_matching, MATCHING[:6] + ["linear or relu"]),
    (check.layers_to_unfreeze, "b or c"),
    (check.layers_to_unfreeze, "not a"),
]


@pytest.mark.parametrize("checker, answer", HEDGED, ids=lambda value: str(value)[:30])
def test_a_denied_or_hedged_answer_is_never_correct(checker, answer):
    feedback = checker(answer)
    assert feedback.status in {"invalid", "incorrect"}, feedback
    assert not repr(feedback).startswith("Correct!")


@pytest.mark.parametrize("checker, answer", RIGHT + VARIANTS, ids=lambda value: str(value)[:30])
def test_the_right_answer_is_accepted(checker, answer):
    feedback = checker(answer)
    assert feedback.correct and feedback.status == "correct"
    assert repr(feedback).startswith("Correct!")


TYPICAL_MISTAKES = [
    (check.neuron_output, 0.25, "add the bias"),
    (check.neuron_output, 1.75, "sign of each product"),
    (check.neuron_output, 0, "ReLU turns only negative sums into 0"),
    (check.neuron_output, 3, "Multiply each input by its weight"),
    (check.neuron_output, -0.25, "ReLU never gives a negative output"),
    (check.activation_matching, ["relu"] + MATCHING[1:], "6 of 7 match. Statement 1:"),
    (check.activation_matching, MATCHING[:6] + ["relu"], "`activation` argument"),
    (check.truth_table, [0, 1, 1, 1], "x1 x2 = 1 1"),
    (check.truth_table, [0, 1, 1, 2], "mind the bias of h2"),
    (check.truth_table, [1, 1, 1, 0], "x1 x2 = 0 0"),
    (check.logical_problem, "OR", "inputs 1 1"),
    (check.logical_problem, "OR gate.", "inputs 1 1"),
    (check.logical_problem, "the XNOR gate", "inputs 0 0"),
    (check.logical_problem, "and", "inputs 0 1 and 1 0"),
    (check.logical_problem, "implication", "Write out the network's truth table"),
    (check.squared_errors, [2, 3, 0, 1], "Those are the errors: square each of them."),
    (check.squared_errors, [4, 4, 0, 1], "row 2"),
    (check.mean_squared_error, 14, "That is the sum"),
    (check.mean_squared_error, 1.5, "square each error first"),
    (check.mean_squared_error, 3.5**0.5, "leave out the root"),
    (check.outlier_sensitivity, "Huber", "error of 4"),
    (check.outlier_sensitivity, "the Huber loss.", "error of 4"),
    (check.gradient_step, -0.7, "Step against the derivative"),
    (check.weight_update, 1.04, "Step against the derivative"),
    (check.weight_update, 0.6, "Scale the derivative by the learning rate"),
    (check.weight_update, 0.04, "the size of the step"),
    (check.gradient_step, 1.1, "a factor from the square and one from the inner w x"),
    (check.sharpened_pixel, 300, "each count with weight -1"),
    (check.sharpened_pixel, 420, "subtract them"),
    (check.sharpened_pixel, 100, "corners have weight 0"),
    (check.sharpened_pixel, 7, "Multiply each pixel by the kernel weight"),
    (check.sharpened_pixel, 60, "The neighbourhood is not flat"),
    (check.sharpened_pixel, -60, "The centre's weight is 5"),
    (check.valid_output_size, 28, "'same' padding"),
    (check.valid_output_size, 23, "Count the positions again"),
    (check.conv_parameters, 400, "also has a bias"),
    (check.conv_parameters, 12544, "the same filters slide over every position"),
    (check.fit_diagnosis, ["underfitting", "good fit", "overfitting"],
     "1 of 3 right. Run B: Follow the validation loss"),
    (check.fit_diagnosis, ["good fit", "overfitting", "good fit"], "Run A: Is the training loss low"),
    (check.standardised_value, 1.2, "divide it by the standard deviation"),
    (check.standardised_value, -1.5, "not the value from the mean"),
    (check.standardised_value, 14.2, "transformed exactly like the training data"),
    (check.standardised_value, 2, "Subtract the training mean, then divide"),
    (check.head_parameters, 6400, "also has a bias"),
    (check.head_parameters, 1285, "its own weight for each of the 1,280 inputs"),
    (check.head_parameters, 2_264_389, "counts the frozen base too"),
    (check.head_parameters, 2_257_984, "the base, which is frozen"),
    (check.head_parameters, 5, "one weight per input and output pair"),
    (check.layers_to_unfreeze, "a", "what do a CNN's first layers detect?"),
    (check.layers_to_unfreeze, "C", "cannot change what they detect"),
    (check.fine_tuning_learning_rate, "a", "What do large steps do"),
    (check.fine_tuning_learning_rate, "c", "what did we set before compiling?"),
    (check.embedding_parameters, 38, "each entry has a vector"),
    (check.embedding_parameters, 288, "the padding and [UNK] included"),
    (check.embedding_parameters, 312, "it has no bias"),
    (check.embedding_parameters, 608, "looked up in the same table"),
    (check.embedding_parameters, 100, "One vector of EMBEDDING_SIZE numbers"),
    (check.architecture_matching, ["autoencoder", "GAN", "transformer", "RNN",
                                   "reinforcement learning"],
     "3 of 5 right. Task 4: There is no right answer to learn from"),
    (check.architecture_matching, ["GAN", "autoencoder", "transformer",
                                   "reinforcement learning", "RNN"],
     "Task 1: There are no examples of faults"),
]


@pytest.mark.parametrize("checker, answer, hint", TYPICAL_MISTAKES,
                         ids=lambda value: str(value)[:20])
def test_a_typical_mistake_gets_its_hint_without_the_answer(checker, answer, hint):
    feedback = checker(answer)
    assert feedback.status == "incorrect" and not feedback.correct
    assert repr(feedback).startswith("Not quite.") and hint in repr(feedback)
    for answer_text in ["1.25", "3.5", "1.7", "XOR", "0, 1, 1, 0", "4, 9, 0, 1", "180", "24",
                        "416", "1.5", "underfit", "overfit", "fits well", "6405", "6,405",
                        "(b)", "last layers", "304", "0.96"]:
        assert answer_text not in feedback.message


CHECKERS = [check.activation_matching, check.neuron_output, check.truth_table,
            check.logical_problem, check.squared_errors, check.mean_squared_error,
            check.outlier_sensitivity, check.gradient_step, check.weight_update,
            check.sharpened_pixel,
            check.valid_output_size, check.conv_parameters, check.fit_diagnosis,
            check.standardised_value, check.head_parameters, check.layers_to_unfreeze,
            check.fine_tuning_learning_rate, check.embedding_parameters,
            check.architecture_matching]


@pytest.mark.parametrize("checker", CHECKERS, ids=lambda checker: checker.__name__)
def test_a_blank_is_not_yet_answered(checker):
    feedback = checker(...)
    assert feedback.status == "not yet"
    assert repr(feedback) == "Not yet: replace ... with your answer, then run the cell again."


NONSENSE = [
    (check.neuron_output, "1.25", "give the neuron's output as a single number, such as 0.5; "
                                  "got the text '1.25'."),
    (check.neuron_output, [1, 2], "as a single number"),
    (check.neuron_output, True, "as a single number"),
    (check.neuron_output, float("nan"), "as a single number"),
    (check.gradient_step, None, "got None (NoneType)"),
    (check.activation_matching, "sigmoid", "give a list of 7 names, one per statement"),
    (check.activation_matching, MATCHING[:5], "give 7 names, one per statement, in order; got 5."),
    (check.activation_matching, MATCHING[:6] + ["tanh"],
     "answer 7, the text 'tanh', is not one of 'sigmoid', 'relu' or 'linear'."),
    (check.truth_table, [0, 1, 1], "give four numbers"),
    (check.truth_table, "0110", "give four numbers"),
    (check.logical_problem, 2, "as text"),
    (check.squared_errors, ["a", 9, 0, 1], "give four numbers"),
    (check.outlier_sensitivity, "cross-entropy", "answer 'squared error' or 'Huber'"),
    (check.fit_diagnosis, "overfitting", "give a list of 3 names, one per run: A, B, C"),
    (check.fit_diagnosis, ["good fit"], "give 3 names, one per run: A, B, C; got 1."),
    (check.fit_diagnosis, ["underfitting", "overfitting", 3],
     "the answer for run C, 3 (int), is not one of 'underfitting', 'good fit' or 'overfitting'."),
    (check.standardised_value, "1.5", "give the standardised alcohol as a single number"),
    (check.head_parameters, "6405", "give the number of trained weights as a single number"),
    (check.layers_to_unfreeze, "the last ones",
     "give the letter of your choice, one of a, b, c; got the text 'the last ones'."),
    (check.fine_tuning_learning_rate, 2, "one of a, b, c; got 2 (int)."),
    (check.embedding_parameters, "304", "as a single number"),
    (check.architecture_matching, "GAN", "give a list of 5 names, one per task, in order"),
    (check.architecture_matching, ["GAN"] * 4, "give 5 names, one per task, in order; got 4."),
    (check.architecture_matching, ["autoencoder", "GAN", "CNN", "RNN", "RNN"],
     "the answer for task 3, the text 'CNN', is not one of"),
]


@pytest.mark.parametrize("checker, answer, words", NONSENSE, ids=lambda value: str(value)[:20])
def test_nonsense_gets_one_clear_sentence(checker, answer, words):
    feedback = checker(answer)
    assert feedback.status == "invalid"
    assert repr(feedback).startswith("Cannot check that: ") and words in repr(feedback)


def test_cross_validation_accepts_5_networks_each_validated_on_10000_images():
    assert check.cross_validation(5, 10_000).correct
    assert check.cross_validation(np.int64(5), 10000.0).correct


@pytest.mark.parametrize(
    "networks, validation_images, hint",
    [
        (1, 10_000, "ordinary hold-out method"),
        (10, 10_000, "how many folds are there?"),
        (5, 40_000, "40,000 is what each network trains on"),
        (5, 50_000, "only one fold is held out at a time"),
        (5, 12_500, "split into 5 equal folds"),
    ],
)
def test_cross_validation_mistakes_get_their_hint(networks, validation_images, hint):
    feedback = check.cross_validation(networks, validation_images)
    assert feedback.status == "incorrect" and hint in feedback.message
    assert "10,000" not in feedback.message and "10000" not in feedback.message


def test_cross_validation_blanks_and_nonsense():
    assert check.cross_validation(..., 10_000).status == "not yet"
    assert check.cross_validation(5, ...).status == "not yet"
    feedback = check.cross_validation("five", 10_000)
    assert feedback.status == "invalid"
    assert feedback.message == ("Cannot check that: give two numbers, the number of networks and "
                                "the number of validation images; got the text 'five' and "
                                "10000 (int).")


def test_a_partly_filled_list_is_not_yet_answered():
    assert check.truth_table([0, ..., 1, 0]).status == "not yet"
    assert check.activation_matching(MATCHING[:6] + [...]).status == "not yet"
    assert check.fit_diagnosis(["underfitting", ..., "good fit"]).status == "not yet"
    assert check.architecture_matching(["GAN", ...] + ["RNN"] * 3).status == "not yet"

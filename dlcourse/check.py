"""Instant feedback on the exercises: call a checker with your answer.

Each checker takes your answer and says whether it is right; if not, it gives
a hint that points at the step to look at again, without giving the answer
away. A blank (``...``) means you have not answered yet.

>>> from dlcourse import check
>>> check.neuron_output(...)
Not yet: replace ... with your answer, then run the cell again.
>>> check.neuron_output(0.25).status
'incorrect'
"""

import math
import numbers
import re
from dataclasses import dataclass

__all__ = [
    "FEEDBACK_KEY",
    "Feedback",
    "MESSAGE_STARTS",
    "activation_matching",
    "architecture_matching",
    "conv_parameters",
    "cross_validation",
    "embedding_parameters",
    "fine_tuning_learning_rate",
    "fit_diagnosis",
    "gradient_step",
    "head_parameters",
    "layers_to_unfreeze",
    "logical_problem",
    "mean_squared_error",
    "neuron_output",
    "outlier_sensitivity",
    "sharpened_pixel",
    "squared_errors",
    "standardised_value",
    "valid_output_size",
    "weight_update",
    "truth_table",
]

CORRECT, INCORRECT, NOT_YET, INVALID = "correct", "incorrect", "not yet", "invalid"
#: How each status's message starts, so that a learner sees the verdict first.
MESSAGE_STARTS = {
    CORRECT: "Correct!",
    INCORRECT: "Not quite.",
    NOT_YET: "Not yet:",
    INVALID: "Cannot check that:",
}


#: Where a checker's result, shown in a notebook, keeps its status and sentence as
#: data: this key of the output's metadata.
FEEDBACK_KEY = "dlcourse"


@dataclass(frozen=True)
class Feedback:
    """What a checker says about an answer.

    :param status: ``"correct"``, ``"incorrect"``, ``"not yet"`` (no answer given) or
        ``"invalid"`` (an answer of the wrong kind, such as text where a number belongs).
    :param message: the sentence shown to the learner.
    """

    status: str
    message: str

    @property
    def correct(self):
        """Whether the answer was right."""
        return self.status == CORRECT

    def __repr__(self):
        # A notebook shows the checker's result as this sentence.
        return self.message

    def _repr_mimebundle_(self, include=None, exclude=None):
        # The sentence to show, and in the output's metadata the result as data, which
        # :mod:`dlcourse.grade` reads back from the saved notebook: rewording a message
        # cannot change a grade. Viewers and the book show only the sentence.
        return ({"text/plain": self.message},
                {FEEDBACK_KEY: {"status": self.status, "message": self.message}})


def _correct(detail):
    return Feedback(CORRECT, f"{MESSAGE_STARTS[CORRECT]} {detail}")


def _incorrect(hint):
    return Feedback(INCORRECT, f"{MESSAGE_STARTS[INCORRECT]} {hint}")


def _invalid(reason):
    return Feedback(INVALID, f"{MESSAGE_STARTS[INVALID]} {reason}")


_NOT_YET = Feedback(
    NOT_YET, f"{MESSAGE_STARTS[NOT_YET]} replace ... with your answer, then run the cell again."
)


def _describe(answer):
    if isinstance(answer, str):
        return f"the text {answer!r}"
    return f"{answer!r} ({type(answer).__name__})"


def _as_number(answer):
    """The answer as a float, or None when it is not a single number."""
    if callable(getattr(answer, "numpy", None)):  # a TensorFlow or PyTorch tensor
        try:
            answer = answer.numpy()
        except Exception:  # noqa: BLE001 - a symbolic tensor has no value to check
            return None
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        try:  # a NumPy array with one value
            if getattr(answer, "size", None) == 1:
                return float(answer.reshape(-1)[0])
        except (TypeError, ValueError, AttributeError):
            pass
        return None
    return float(answer)


def _as_numbers(answer, count):
    """The answer as a list of ``count`` floats, or None."""
    try:
        values = [_as_number(value) for value in list(answer)]
    except TypeError:
        return None
    if len(values) != count or None in values:
        return None
    return values


def _close(value, target):
    return math.isclose(value, target, rel_tol=1e-6, abs_tol=1e-6)


def _words(answer):
    """The answer in lower case, its words separated by single spaces; hyphens and
    punctuation count as spaces, so that "XOR." and "exclusive-or" read as names."""
    return " ".join(re.sub(r"[-.,;:!?'\"()/]", " ", answer.lower()).split())


def _name(answer, filler):
    """The answer's words without the ``filler`` words around a name, such as "the"."""
    return " ".join(word for word in _words(answer).split() if word not in filler)


#: Words around a name that do not change it: "a good fit", "it is XOR".
ARTICLES = {"a", "an", "the", "it", "is", "s", "its", "this", "that", "one"}
#: Words that turn an answer into a denial or a hedge: "not XOR", "XOR or AND", "maybe XOR".
HEDGES = {"not", "no", "never", "neither", "nor", "isn", "t", "or", "and", "maybe", "perhaps",
          "probably", "possibly", "either", "unsure", "guess", "both", "except", "than"}


def _lookup(answer, names):
    """The name an answer gives, from ``names`` (spelling -> name), or None. The answer may
    be plural ("RNNs", "generative adversarial networks") and carry an article ("a good fit")."""
    if not isinstance(answer, str):
        return None
    words = _name(answer, filler=ARTICLES)
    singular = " ".join(word.removesuffix("s") if len(word) > 3 else word
                        for word in words.split())
    return names.get(words, names.get(singular))


def _hedged(words):
    """Whether the words (of :func:`_words`) deny or hedge what they name."""
    return bool(set(words.split()) & HEDGES)


def _answer_list(answers, count, each):
    """The answers as a list of ``count`` names, or the :class:`Feedback` to give instead."""
    if answers is ...:
        return _NOT_YET
    if isinstance(answers, str) or not hasattr(answers, "__iter__"):
        return _invalid(f"give a list of {count} names, {each}; got {_describe(answers)}.")
    answers = list(answers)
    if ... in answers:
        return _NOT_YET
    if len(answers) != count:
        return _invalid(f"give {count} names, {each}; got {len(answers)}.")
    return answers


def _wrong_names(answers, key, names, each, unknown):
    """The positions (from 1) of the named answers that differ from ``key``, or the
    :class:`Feedback` to give instead. ``names`` maps accepted spellings to names;
    ``unknown(position, answer)`` says why an answer is none of them."""
    answers = _answer_list(answers, len(key), each)
    if isinstance(answers, Feedback):
        return answers
    wrong = []
    for position, (answer, expected) in enumerate(zip(answers, key), start=1):
        if answer is None:  # Python's None, as Keras' documentation writes the default
            answer = "none"
        name = _lookup(answer, names)
        if name is None:
            return _invalid(unknown(position, answer))
        if name != expected:
            wrong.append(position)
    return wrong


def _check_number(answer, target, hints, general, what):
    """Compare one number with ``target``; ``hints`` maps typical wrong answers to hints."""
    if answer is ...:
        return _NOT_YET
    value = _as_number(answer)
    if value is None or not math.isfinite(value):
        return _invalid(f"give {what} as a single number, such as 0.5; got {_describe(answer)}.")
    if _close(value, target):
        return _correct(f"{what.capitalize()} is {target:g}.")
    for wrong, hint in hints.items():
        if _close(value, wrong):
            return _incorrect(hint)
    return _incorrect(general)


# --- lesson 1: introduction ----------------------------------------------------


def weight_update(answer):
    """One training step: w = 1.0, dJ/dw = 0.4, learning rate 0.1.

    :param answer: the weight after the step.
    :returns: :class:`Feedback`.

    >>> weight_update(1.04)
    Not quite. Step against the derivative: subtract R times dJ/dw from w.
    """
    feedback = _check_number(
        answer, 0.96,
        hints={
            1.04: "Step against the derivative: subtract R times dJ/dw from w.",
            0.6: "Scale the derivative by the learning rate before subtracting it.",
            0.04: "That is the size of the step: the new weight is the old one minus it.",
            -0.04: "That is the change of the weight: add it to the old weight.",
        },
        general="The new weight is w - R * dJ/dw.",
        what="the new weight",
    )
    if feedback.correct:
        return _correct("The new weight is 0.96: the derivative is positive, so a smaller "
                        "weight lowers the loss.")
    return feedback


# --- lesson 2: neurons, activation functions and loss ---------------------------

# Keras' documentation gives the default activation of Dense as None: no activation, linear.
ACTIVATION_NAMES = {
    **dict.fromkeys(["sigmoid", "logistic", "logistic sigmoid", "sigmoid function",
                     "logistic function", "sigmoid activation"], "sigmoid"),
    **dict.fromkeys(["relu", "rectified linear unit", "rectified linear", "rectifier",
                     "relu function", "relu activation", "rectified linear activation"], "relu"),
    **dict.fromkeys(["linear", "identity", "none", "no activation", "linear function",
                     "identity function", "linear activation"], "linear"),
}
ACTIVATION_KEY = ["sigmoid", "linear", "relu", "sigmoid", "relu", "relu", "linear"]
ACTIVATION_HINTS = [
    "Which curve never leaves the band between 0 and 1?",
    "A regression output can be any number, negative or large: which function lets every "
    "value through unchanged?",
    "Which function is the cheapest to compute that is still not a straight line?",
    "A yes-or-no output is read as a probability: which function's values can be "
    "read that way?",
    "Besides the identity itself, which curve lies exactly on the line output = input for "
    "positive inputs?",
    "Which curve has a sharp corner at 0, where its slope jumps?",
    "Look up the default of the `activation` argument of `keras.layers.Dense`.",
]


def activation_matching(answers):
    """The activation-function matching exercise: one name per statement, in order.

    :param answers: seven names, each ``"sigmoid"``, ``"relu"`` or ``"linear"``.
    :returns: :class:`Feedback`.
    """
    wrong = _wrong_names(
        answers, ACTIVATION_KEY, ACTIVATION_NAMES, "one per statement, in order",
        lambda number, answer: f"answer {number}, {_describe(answer)}, is not one of "
                               "'sigmoid', 'relu' or 'linear'.")
    if isinstance(wrong, Feedback):
        return wrong
    if not wrong:
        return _correct("All seven statements are matched.")
    hints = " ".join(f"Statement {number}: {ACTIVATION_HINTS[number - 1]}" for number in wrong)
    right = len(ACTIVATION_KEY) - len(wrong)
    return _incorrect(f"{right} of {len(ACTIVATION_KEY)} match. {hints}")


def neuron_output(answer):
    """One neuron: inputs (0, 0.5, 1), weights (-1, -0.5, 0.5), bias 1, ReLU.

    :param answer: the neuron's output, a number.
    :returns: :class:`Feedback`.
    """
    return _check_number(
        answer, 1.25,
        hints={
            0.25: "That is the weighted sum alone: add the bias before the activation.",
            1.75: "Check the sign of each product: a negative weight times a positive input "
                  "is negative.",
            -0.25: "ReLU never gives a negative output: add the bias, then apply ReLU last.",
            0.0: "ReLU turns only negative sums into 0: is the weighted sum plus bias negative?",
        },
        general="Multiply each input by its weight, add the products and the bias, then apply "
                "ReLU, max(z, 0).",
        what="the neuron's output",
    )


TRUTH_INPUTS = ["0 0", "0 1", "1 0", "1 1"]
TRUTH_KEY = [0.0, 1.0, 1.0, 0.0]


def truth_table(outputs):
    """The two-input network's outputs for the inputs 00, 01, 10 and 11, in that order.

    :param outputs: four numbers.
    :returns: :class:`Feedback`.
    """
    if outputs is ... or (isinstance(outputs, (list, tuple)) and ... in outputs):
        return _NOT_YET
    values = None if isinstance(outputs, str) else _as_numbers(outputs, len(TRUTH_KEY))
    if values is None:
        return _invalid(f"give four numbers, the outputs for the inputs 00, 01, 10 and 11; "
                        f"got {_describe(outputs)}.")
    wrong = [inputs for inputs, value, key in zip(TRUTH_INPUTS, values, TRUTH_KEY)
             if not _close(value, key)]
    if not wrong:
        return _correct("The outputs are 0, 1, 1, 0.")
    rows = ", ".join(f"x1 x2 = {inputs}" for inputs in wrong)
    hint = f"Look again at {rows}: compute h1 and h2 first (weighted sum, bias, ReLU), then "
    hint += "the output neuron from them."
    if "1 1" in wrong:
        hint += " For 1 1, mind the bias of h2 and the sign of its weight to the output."
    return _incorrect(hint)


# Kept for notebooks saved before the rename; its old name gave the answer away.
xor_truth_table = truth_table


def logical_problem(answer):
    """Which logical operation the two-input network computes.

    :param answer: its name, such as ``"AND"``.
    :returns: :class:`Feedback`.
    """
    if answer is ...:
        return _NOT_YET
    if not isinstance(answer, str):
        return _invalid(f"give the operation's name as text, such as 'AND'; "
                        f"got {_describe(answer)}.")
    name = _name(answer, filler=ARTICLES | {"gate", "function", "operation", "logical"})
    # Spellings of XOR that hold a hedge word ("or", "either") are read as one name first.
    for spelling in ("exclusive or", "exclusive disjunction", "either or", "x or", "exor"):
        name = name.replace(spelling, "xor")
    words = set(name.split())
    if "xor" in words:
        if words - {"xor"} & (HEDGES | {"nand", "xnor", "implication"}):
            return _invalid(f"give one operation, without 'not', 'or' or 'maybe'; got "
                            f"{_describe(answer)}.")
        return _correct("It is XOR, exclusive or: 1 when exactly one input is 1.")
    hints = {
        "or": "Compare OR with the network's output for the inputs 1 1.",
        "and": "Compare AND with the network's output for the inputs 0 1 and 1 0.",
        "nand": "Compare NAND with the network's output for the inputs 0 0.",
        "nor": "Compare NOR with the network's output for the inputs 0 0.",
        "xnor": "Compare XNOR with the network's output for the inputs 0 0.",
    }
    return _incorrect(hints.get(name, "Write out the network's truth table and compare it "
                                      "with AND, OR and their relatives."))


MSE_PREDICTED, MSE_EXPECTED = [1, 2, 0, 3], [-1, -1, 0, 2]
MSE_SQUARED_ERRORS = [4.0, 9.0, 0.0, 1.0]


def squared_errors(answer):
    """The squared-error column of the table: one value per row, in order.

    :param answer: four numbers.
    :returns: :class:`Feedback`.
    """
    if answer is ... or (isinstance(answer, (list, tuple)) and ... in answer):
        return _NOT_YET
    values = None if isinstance(answer, str) else _as_numbers(answer, 4)
    if values is None:
        return _invalid(f"give four numbers, one squared error per row; got {_describe(answer)}.")
    wrong = [row for row, (value, key) in enumerate(zip(values, MSE_SQUARED_ERRORS), start=1)
             if not _close(value, key)]
    if not wrong:
        return _correct("The squared errors are 4, 9, 0 and 1.")
    unsquared = all(_close(abs(value), math.sqrt(key)) for value, key in
                    zip(values, MSE_SQUARED_ERRORS))
    if unsquared:
        return _incorrect("Those are the errors: square each of them.")
    rows = ", ".join(str(row) for row in wrong)
    return _incorrect(f"Look again at row {rows}: subtract the expected value from the "
                      "prediction, then square the difference.")


def mean_squared_error(answer):
    """The mean squared error of the four predictions in the table.

    :param answer: a number.
    :returns: :class:`Feedback`.
    """
    return _check_number(
        answer, 3.5,
        hints={
            14.0: "That is the sum of the squared errors: take their mean instead.",
            1.5: "That is the mean of the errors' sizes: square each error first.",
            math.sqrt(3.5): "That is the root of the mean squared error: leave out the root.",
        },
        general="Square each row's error (prediction minus expected value), then take the "
                "mean of the four squares.",
        what="the mean squared error",
    )


#: Words that name the squared error: "mean square error", "MSE", "L2 loss".
SQUARED_WORDS = {"squared", "square", "squares", "mse", "l2", "quadratic"}


def outlier_sensitivity(answer):
    """Which loss is more sensitive to outliers: ``"squared error"`` or ``"Huber"``.

    :param answer: the loss's name.
    :returns: :class:`Feedback`.
    """
    if answer is ...:
        return _NOT_YET
    if not isinstance(answer, str):
        return _invalid(f"give the loss's name as text; got {_describe(answer)}.")
    name = _name(answer, filler=ARTICLES | {"loss", "losses", "function"})
    words = set(name.split())
    if _hedged(name) or ("huber" in words and words & SQUARED_WORDS):
        return _invalid(f"name one loss, 'squared error' or 'Huber', without 'not', 'or' or "
                        f"'maybe'; got {_describe(answer)}.")
    if words & SQUARED_WORDS or name in {"least squares", "quadratic"}:
        return _correct("Large errors grow quadratically in the squared error, only linearly "
                        "in the Huber loss.")
    if name == "huber":
        return _incorrect("Compare the two curves at an error of 4, at the edge of the figure: "
                          "which loss is larger?")
    return _invalid(f"answer 'squared error' or 'Huber'; got {_describe(answer)}.")


def gradient_step(answer):
    """One step of gradient descent: w = 0.5, input 2, expected 4, learning rate 0.1.

    :param answer: the weight after the step.
    :returns: :class:`Feedback`.
    """
    return _check_number(
        answer, 1.7,
        hints={
            -0.7: "Step against the derivative: w - R * dJ/dw. The derivative is negative "
                  "here, so the weight grows.",
            1.1: "Check the derivative of (y - w x)^2 with respect to w: it has a factor from "
                 "the square and one from the inner w x.",
            0.5: "The weight should change: compute dJ/dw and take a step of R times it.",
        },
        general="Compute the prediction w x, then the derivative of the loss with respect to "
                "w at that point, then the new weight w - R dJ/dw.",
        what="the new weight",
    )


# --- lesson 3: convolutional neural networks -------------------------------------


def sharpened_pixel(answer):
    """The sharpen kernel [[0, -1, 0], [-1, 5, -1], [0, -1, 0]] on the patch
    [[20, 30, 20], [30, 60, 30], [20, 30, 20]].

    :param answer: the value of the output pixel, a number.
    :returns: :class:`Feedback`.
    """
    return _check_number(
        answer, 180,
        hints={
            300: "That is the centre times 5 alone: the four neighbours above, below, left and "
                 "right each count with weight -1.",
            420: "The neighbours' weights are -1: subtract them, do not add them.",
            100: "The corners have weight 0 in this kernel: leave them out.",
            60: "The neighbourhood is not flat: the centre is brighter than its neighbours, so "
                "the kernel changes it. Multiply and add.",
            -60: "The centre's weight is 5, not 1.",
        },
        general="Multiply each pixel by the kernel weight on top of it and add the nine products.",
        what="the output pixel",
    )


def valid_output_size(answer):
    """The height (and width) of a 28 x 28 image after a 5 x 5 kernel with ``valid`` padding.

    :param answer: a whole number.
    :returns: :class:`Feedback`.
    """
    return _check_number(
        answer, 24,
        hints={
            28: "That is the size with 'same' padding. With 'valid' the kernel must fit inside "
                "the image: how many positions does it have along one row?",
            23: "Count the positions again: the first has the kernel's left edge at column 0, "
                "the last has its right edge at column 27.",
            32: "With 'valid' padding the output is smaller than the image, not larger.",
        },
        general="Count the positions where a 5-pixel-wide kernel fits inside 28 pixels.",
        what="the output size",
    )


def conv_parameters(answer):
    """The number of parameters of Conv2D(16, 5x5) on a one-channel (grey) image.

    :param answer: a whole number.
    :returns: :class:`Feedback`.
    """
    return _check_number(
        answer, 416,
        hints={
            400: "Each filter also has a bias.",
            25: "Count the biases too, and every filter of the layer.",
            26: "Check how many filters the layer has.",
            401: "Each filter has a bias of its own.",
            12544: "That is the size of the layer's output, not its number of weights: the "
                   "same filters slide over every position.",
        },
        general="Each filter has one weight per kernel pixel and input channel, plus one bias; "
                "count them for all 16 filters.",
        what="the number of parameters",
    )


# --- lesson 4: refining the model ----------------------------------------------

DIAGNOSIS_NAMES = {
    **dict.fromkeys(["underfitting", "under fitting", "underfit", "under", "underfitted",
                     "under fit", "under fitted"], "underfitting"),
    **dict.fromkeys(["good fit", "good", "good fitting", "well fitted", "well fit", "fits well",
                     "fit well", "good fitted", "right", "just right", "balanced", "fine",
                     "well fitting", "ok", "okay", "good model"], "good fit"),
    **dict.fromkeys(["overfitting", "over fitting", "overfit", "over", "overfitted",
                     "over fit", "over fitted"], "overfitting"),
}
DIAGNOSIS_KEY = ["underfitting", "overfitting", "good fit"]
DIAGNOSIS_HINTS = [
    "Is the training loss low? Does it still fall at the end?",
    "Follow the validation loss after epoch 5: which way does it go while the training loss "
    "keeps falling?",
    "Are both losses low, still close to each other, and still falling slowly?",
]


def fit_diagnosis(diagnoses):
    """The three runs of the curve-reading exercise, A, B and C, in order.

    :param diagnoses: three names, each ``"underfitting"``, ``"good fit"`` or
        ``"overfitting"``.
    :returns: :class:`Feedback`.
    """
    diagnoses = _answer_list(diagnoses, len(DIAGNOSIS_KEY), "one per run: A, B, C")
    if isinstance(diagnoses, Feedback):
        return diagnoses
    names = []
    for run, answer in zip("ABC", diagnoses):
        name = _lookup(answer, DIAGNOSIS_NAMES)
        if name is None:
            return _invalid(f"the answer for run {run}, {_describe(answer)}, is not one of "
                            "'underfitting', 'good fit' or 'overfitting'.")
        names.append(name)
    wrong = [index for index, (name, key) in enumerate(zip(names, DIAGNOSIS_KEY))
             if name != key]
    if not wrong:
        return _correct("A underfits, B overfits and C fits well.")
    hints = " ".join(f"Run {'ABC'[index]}: {DIAGNOSIS_HINTS[index]}" for index in wrong)
    return _incorrect(f"{3 - len(wrong)} of 3 right. {hints}")


def cross_validation(networks, validation_images):
    """5-fold cross-validation on 50,000 training images.

    :param networks: how many networks are trained, a whole number.
    :param validation_images: on how many images each network is validated.
    :returns: :class:`Feedback`.
    """
    if networks is ... or validation_images is ...:
        return _NOT_YET
    values = [_as_number(networks), _as_number(validation_images)]
    if None in values or not all(math.isfinite(value) for value in values):
        return _invalid("give two numbers, the number of networks and the number of validation "
                        f"images; got {_describe(networks)} and {_describe(validation_images)}.")
    networks, validation_images = values
    if _close(networks, 5) and _close(validation_images, 10_000):
        return _correct("5 networks, each trained on 40,000 images and validated on the other "
                        "10,000; every image is used for validation exactly once.")
    if not _close(networks, 5):
        if _close(networks, 1):
            return _incorrect("One network with one validation split is the ordinary hold-out "
                              "method. How many times does k-fold train?")
        return _incorrect("Each fold takes its turn as the validation set once: how many "
                          "folds are there?")
    if _close(validation_images, 40_000):
        return _incorrect("40,000 is what each network trains on: the other four folds. It is "
                          "validated on the one fold left out.")
    if _close(validation_images, 50_000):
        return _incorrect("A network never validates on the images it trained on: only one "
                          "fold is held out at a time.")
    return _incorrect("The 50,000 images are split into 5 equal folds, and each network is "
                      "validated on one of them.")


def standardised_value(answer):
    """A new wine's alcohol, 14.2, standardised with the training mean 13.0 and standard
    deviation 0.8.

    :param answer: the standardised value, a number.
    :returns: :class:`Feedback`.
    """
    return _check_number(
        answer, 1.5,
        hints={
            1.2: "That is only the difference from the mean: divide it by the standard "
                 "deviation too.",
            -1.5: "Subtract the mean from the value, not the value from the mean.",
            17.75: "Subtract the training mean first, then divide.",
            0.96: "Subtract the mean, then divide by the standard deviation; do not multiply.",
            14.2: "The new wine must be transformed exactly like the training data were.",
        },
        general="Subtract the training mean, then divide by the training standard deviation.",
        what="the standardised alcohol",
    )


# --- lesson 5: transfer learning -----------------------------------------------


def _check_choice(answer, key, hints, detail):
    """Compare a multiple-choice answer, a letter, with ``key``; ``hints`` maps the
    wrong letters to hints."""
    if answer is ...:
        return _NOT_YET
    letters = sorted([key, *hints])
    letter = _words(answer).strip("() .") if isinstance(answer, str) else None
    if letter not in letters:
        return _invalid(f"give the letter of your choice, one of {', '.join(letters)}; "
                        f"got {_describe(answer)}.")
    if letter == key:
        return _correct(detail)
    return _incorrect(hints[letter])


def head_parameters(answer):
    """The number of weights the new head trains: ``Dense(5)`` on the 1,280 numbers that
    global average pooling makes of MobileNetV2's output.

    :param answer: a whole number.
    :returns: :class:`Feedback`.
    """
    return _check_number(
        answer, 6405,
        hints={
            6400: "Each of the five output neurons also has a bias.",
            1285: "Every output neuron has its own weight for each of the 1,280 inputs.",
            1280: "That is the number of inputs to the head; count the Dense layer's weights "
                  "and biases.",
            2264389: "That counts the frozen base too: which weights does training change?",
            2257984: "That is the base, which is frozen: count only the new head's weights.",
        },
        general="Pooling and dropout have no weights; the Dense layer has one weight per input "
                "and output pair, plus one bias per output.",
        what="the number of trained weights",
    )


def layers_to_unfreeze(answer):
    """Which layers of the base to unfreeze first when fine-tuning on a small data set:
    ``"a"`` (the first layers), ``"b"`` (the last layers) or ``"c"`` (the
    batch-normalisation layers only).

    :param answer: a letter.
    :returns: :class:`Feedback`.
    """
    return _check_choice(
        answer, "b",
        hints={
            "a": "Think back to lesson 3: what do a CNN's first layers detect? Are edges and "
                 "colours any different in the new photos?",
            "c": "Batch normalisation only rescales and shifts the features it is given; it "
                 "cannot change what they detect.",
        },
        detail="The last layers combine the general features of the first ones into "
               "ImageNet's own classes, so they are the ones that most need adapting; the "
               "first layers' edges and colours suit any photo.",
    )


def fine_tuning_learning_rate(answer):
    """What fine-tuning the whole base with 0.01 instead of 0.0001 would do:
    ``"a"`` (learn faster and better), ``"b"`` (destroy what the base learned) or
    ``"c"`` (nothing, as the base is frozen).

    :param answer: a letter.
    :returns: :class:`Feedback`.
    """
    return _check_choice(
        answer, "b",
        hints={
            "a": "Faster is not better here: the pretrained weights are already good. What "
                 "do large steps do to weights that are already good?",
            "c": "Look again at the fine-tuning step: what did we set before compiling?",
        },
        detail="Large steps move the pretrained weights far from what they learned on "
               "ImageNet, on the evidence of a few hundred photos: the features are lost and "
               "the network overfits. A small learning rate only adjusts them.",
    )


# --- lesson 6: wider architectures ---------------------------------------------


def _vocabulary_size():
    """Words of the lesson's text, plus the padding and [UNK] entries of the vectoriser."""
    from .data import load_sentences

    return len({word for sentence in load_sentences().sentences
                for word in sentence.split()}) + 2


def embedding_parameters(answer):
    """The number of weights of the ``Embedding`` layer of lesson 6's language model:
    a vector of 8 numbers for every entry of the vocabulary.

    :param answer: a whole number.
    :returns: :class:`Feedback`.
    """
    entries = _vocabulary_size()
    return _check_number(
        answer, entries * 8,
        hints={
            entries: "That is the size of the vocabulary: each entry has a vector of "
                     "EMBEDDING_SIZE numbers.",
            (entries - 2) * 8: "Count every entry of the vocabulary, the padding and [UNK] "
                               "included.",
            entries * 8 + 8: "An embedding is a table looked up by index: it has no bias.",
            entries * 8 * 2: "The two words of a context are looked up in the same table.",
            8: "That is the size of one word's vector; there is one per vocabulary entry.",
        },
        general="One vector of EMBEDDING_SIZE numbers for each entry of the vocabulary.",
        what="the number of embedding weights",
    )


ARCHITECTURE_NAMES = {  # singular: _lookup also reads plurals such as "GANs"
    **dict.fromkeys(["autoencoder", "auto encoder", "variational autoencoder", "vae"],
                    "autoencoder"),
    **dict.fromkeys(["rnn", "lstm", "gru", "recurrent", "recurrent network",
                     "recurrent neural network", "long short term memory", "lstm network",
                     "rnn lstm"], "RNN"),
    **dict.fromkeys(["transformer", "attention", "self attention", "transformer network",
                     "large language model", "llm"], "transformer"),
    **dict.fromkeys(["gan", "generative adversarial network", "generative adversarial net",
                     "adversarial network"], "GAN"),
    **dict.fromkeys(["reinforcement learning", "rl", "q learning", "deep q learning",
                     "reinforcement", "deep reinforcement learning"], "reinforcement learning"),
}
ARCHITECTURE_KEY = ["autoencoder", "GAN", "transformer", "reinforcement learning", "RNN"]
ARCHITECTURE_HINTS = [
    "There are no examples of faults: which architecture learns what normal data look like, "
    "without labels?",
    "Which architecture is built to make new samples that pass for real ones?",
    "Each word of a translation may depend on any word of the paragraph: which architecture "
    "relates every word to every other at once?",
    "There is no right answer to learn from, only success or failure after acting.",
    "The levels form a sequence in time: which architecture reads one step at a time?",
]


def architecture_matching(answers):
    """The architecture to start with for each of the five tasks of lesson 6, in order.

    :param answers: five names, each ``"autoencoder"``, ``"RNN"``, ``"transformer"``,
        ``"GAN"`` or ``"reinforcement learning"``.
    :returns: :class:`Feedback`.
    """
    wrong = _wrong_names(
        answers, ARCHITECTURE_KEY, ARCHITECTURE_NAMES, "one per task, in order",
        lambda task, answer: f"the answer for task {task}, {_describe(answer)}, is not one of "
                             "'autoencoder', 'RNN', 'transformer', 'GAN' or 'reinforcement "
                             "learning'.")
    if isinstance(wrong, Feedback):
        return wrong
    if not wrong:
        return _correct("Autoencoder, GAN, transformer, reinforcement learning, RNN.")
    hints = " ".join(f"Task {task}: {ARCHITECTURE_HINTS[task - 1]}" for task in wrong)
    return _incorrect(f"{5 - len(wrong)} of 5 right. {hints}")

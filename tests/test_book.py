"""The book: its configuration fails loudly, and the built pages show what they promise."""

import html as html_module
import os
import re
import shutil
import subprocess
import textwrap
from html.parser import HTMLParser

import pytest
import scipy.stats
import yaml

import lesson_notebooks
from conftest import BUILD, CHROMIUM, ROOT, chromium


HEADER = textwrap.dedent(
    """\
    ---
    jupytext:
      text_representation:
        format_name: myst
    kernelspec:
      name: python3
      display_name: Python 3
    ---
    """
)


def lessons():
    """The pages with code: the lessons, setup and the template."""
    return sorted(path for path in (ROOT / "lessons").glob("*.md")
                  if "{code-cell}" in path.read_text())


def test_the_pages_with_code_are_the_lessons_setup_and_template():
    names = [path.stem for path in lessons()]
    assert names[:6] == ["01-introduction", "02-neurons", "03-convolution", "04-refining",
                         "05-transfer", "06-wider"]
    assert names[6:] == ["setup", "template"]


@pytest.mark.parametrize("path", lessons(), ids=lambda path: path.name)
def test_every_notebook_page_has_the_headers_the_theme_needs(path):
    head = path.read_text().split("\n---", 1)[0]
    assert "kernelspec:" in head
    assert "format_name: myst" in head


def test_every_page_in_the_table_of_contents_exists():
    generated = "lessons/api/"  # written by sphinx-autodoc2 during the build
    for name, _ in lesson_notebooks.toc_documents(ROOT):
        if not name.startswith(generated):
            assert list(ROOT.glob(name + ".*")), f"_toc.yml names {name}, which does not exist"


# --- the build configuration, on a one-page book ------------------------------


def test_the_citation_file_names_the_course_its_authors_and_both_licences():
    """CITATION.cff has the fields the Citation File Format 1.2.0 requires, and says what
    _config.yml and LICENSE say."""
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert {"cff-version", "message", "title", "authors"} <= set(citation)
    assert citation["cff-version"] == "1.2.0"
    assert citation["title"] == config["title"]
    assert citation["authors"] == [{"name": config["author"]}]
    licence = (ROOT / "LICENSE").read_text()
    assert "(CC BY 4.0)" in licence and "MIT" in licence
    assert citation["license"] == ["CC-BY-4.0", "MIT"]


def test_the_readme_sends_contributors_to_the_guide_and_the_guide_exists():
    guide = (ROOT / "CONTRIBUTING.md").read_text()
    assert "(CONTRIBUTING.md)" in (ROOT / "README.md").read_text()
    for step in ["python _ext/lesson_notebooks.py", "jupyter-book build . -W --keep-going",
                 "lessons/template.md", "_toc.yml", "dlcourse/check.py", "exercise-setup",
                 "tests/test_book.py"]:
        assert step in guide
    for path in ["lessons/template.md", "_ext/lesson_notebooks.py", "_ext/myst_markdown.py",
                 "dlcourse/check.py", "dlcourse/data/registry.py", "dlcourse/data/download.py",
                 "dlcourse/data/__init__.py", "tests/test_book.py", "tests/test_check.py",
                 "tests/test_data.py", ".ci/run"]:
        assert (ROOT / path).exists(), f"CONTRIBUTING.md names {path}, which does not exist"


def test_the_readmes_first_command_builds_the_book_with_python_alone():
    """Node.js runs only the workflow linter of the tests: the test command sets it up."""
    block = re.search(r"```bash\n(# 1\..*?)```", (ROOT / "README.md").read_text(), re.S)[1]
    build, tests = block.split("\n# 2.")
    assert "pip install -r requirements.txt" in build and "jupyter-book build" in build
    assert not re.search(r"\b(npm|npx|node)\b", build)
    assert "npm install --prefix tests" in tests and "pytest" in tests


def test_a_missing_browser_fails_with_the_command_that_installs_it(tmp_path):
    with pytest.raises(pytest.fail.Exception, match="sudo apt-get install chromium"):
        chromium(str(tmp_path / "chromium"))
    assert chromium() == CHROMIUM


def build_one_page(tmp_path, body, header=HEADER, notebooks=True):
    """Build a book with the course's configuration and a single page (a notebook,
    unless `header` is empty), after writing its notebook as a maintainer would unless
    `notebooks` is false; return the result."""
    book = tmp_path / "book"
    book.mkdir(exist_ok=True)
    for name in ["_config.yml", "_ext", "_static", "dlcourse"]:
        source = ROOT / name
        copy = shutil.copytree if source.is_dir() else shutil.copy
        copy(source, book / name)
    # The page, plus the course's API reference that sphinx-autodoc2 generates.
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    toc["root"] = "page"
    toc["parts"] = [
        {**part, "chapters": [chapter for chapter in part["chapters"]
                              if chapter["file"].startswith("lessons/api/")]}
        for part in toc["parts"] if "lessons/api/" in str(part)
    ]
    (book / "_toc.yml").write_text(yaml.safe_dump(toc))
    (book / "page.md").write_text(header + "\n# A page\n\n" + textwrap.dedent(body))
    if notebooks:
        lesson_notebooks.write_notebooks(book)
    return subprocess.run(BUILD, cwd=book, capture_output=True, text=True, timeout=600)


def test_a_clean_page_builds(tmp_path):
    result = build_one_page(tmp_path, "```{code-cell} ipython3\nprint(6 * 7)\n```\n")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "42" in (tmp_path / "book/_build/html/page.html").read_text()


def test_a_stale_notebook_fails_the_build_which_leaves_it_as_it_is(tmp_path):
    # The build reads the page from its .md, never from the notebook beside it, and
    # writes no notebook: python _ext/lesson_notebooks.py is the one writer.
    (tmp_path / "book").mkdir()
    stale = '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
    (tmp_path / "book/page.ipynb").write_text(stale)
    result = build_one_page(tmp_path, "```{code-cell} ipython3\nprint(6 * 7)\n```\n",
                            notebooks=False)
    assert result.returncode != 0
    assert ("page.ipynb is out of date with its lesson: regenerate it with "
            "`python _ext/lesson_notebooks.py` and commit it") in result.stdout + result.stderr
    assert "42" in (tmp_path / "book/_build/html/page.html").read_text()  # from the .md
    assert (tmp_path / "book/page.ipynb").read_text() == stale


def test_a_raising_cell_fails_the_build(tmp_path):
    result = build_one_page(tmp_path, "```{code-cell} ipython3\n1 / 0\n```\n")
    assert result.returncode != 0
    assert "ZeroDivisionError" in result.stdout + result.stderr


def test_a_python_warning_in_a_cell_fails_the_build(tmp_path):
    cell = '```{code-cell} ipython3\nimport warnings\nwarnings.warn("look at me")\n```\n'
    result = build_one_page(tmp_path, cell)
    assert result.returncode != 0
    assert "stderr was found in the cell outputs" in result.stdout + result.stderr


def test_a_reference_to_nothing_fails_the_build(tmp_path):
    # Nitpicky: a cross-reference to a class nobody documents is a warning too.
    result = build_one_page(tmp_path, "See {py:class}`dlcourse.NoSuchThing`.\n", header="")
    assert result.returncode != 0
    assert "reference target not found: dlcourse.NoSuchThing" in result.stdout + result.stderr


def test_the_types_from_other_packages_in_the_api_reference_do_not_fail_it(tmp_path):
    result = build_one_page(tmp_path, "See {py:class}`numpy.ndarray`.\n", header="")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_tensorflow_start_up_log_stays_off_the_page(tmp_path):
    result = build_one_page(tmp_path, "```{code-cell} ipython3\nimport tensorflow\n```\n")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


# --- the whole book (slow) --------------------------------------------------


class Page(HTMLParser):
    """The text and the images of one built page."""

    def __init__(self, path):
        super().__init__()
        self.text, self.images = [], []
        self.feed(path.read_text())
        self.text = re.sub(r"\s+", " ", "".join(self.text))

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))

    def handle_data(self, data):
        self.text.append(data)


def assert_every_exercise_has_a_folded_solution(lesson, source, at_least):
    """The built page of `lessons/<lesson>.md` folds one solution per exercise."""
    exercises = (ROOT / "lessons" / f"{lesson}.md").read_text().count("```{exercise}")
    assert exercises >= at_least
    assert source.count('class="solution dropdown admonition"') == exercises


def drawn_figures(page):
    """The figures a page's code drew, each checked for alt text."""
    figures = [image for image in page.images if image.get("src", "").endswith(".png")]
    assert all(image["alt"].strip() for image in figures)
    return figures


@pytest.mark.slow
def test_lesson_1_shows_training_glued_accuracy_and_three_predictions(html):
    built = html / "lessons" / "01-introduction.html"
    page, source = Page(built), built.read_text()
    assert "Fisher's iris data (150 flowers)" in page.text  # where the data came from
    # The three new flowers are taken out before the split: 150 = 3 + 93 + 24 + 30.
    sizes = re.search(r"training: (\d+) validation: (\d+) test: (\d+)", page.text)
    assert sizes and 3 + sum(int(size) for size in sizes.groups()) == 150
    train, val, test = (int(size) for size in sizes.groups())
    quoted = re.search(
        r"classified (\d+\.\d)% of the validation flowers correctly: (\d+) of (\d+)", page.text
    )
    assert quoted, "the glued validation accuracy is missing"
    accuracy, correct, total = float(quoted[1]), int(quoted[2]), int(quoted[3])
    assert total == val and abs(accuracy - 100 * correct / total) < 0.1
    # The same figure as the last row of the training record, whose epochs are counted
    # from 1; the repeated stream makes an epoch of one pass, in batches of up to 32.
    assert f"{train} flowers make {-(-train // 32)} batches of up to 32" in page.text
    record = next(table for table in re.findall(r"<table.*?</table>", source, re.S)
                  if "val_accuracy" in table)
    first_header_row = re.search(r"<tr[^>]*>(.*?)</tr>", record, re.S)[1]
    header = re.findall(r"<th[^>]*>([^<]*)</th>", first_header_row)
    last_row = re.findall(r"<tr[^>]*>(.*?)</tr>", record.split("<tbody>")[1], re.S)[-1]
    cells = re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", last_row)
    assert cells[0] == "200"
    val_accuracy = float(cells[header.index("val_accuracy")])
    assert abs(val_accuracy - correct / total) < 0.001
    # The test set, once, with its exact binomial 95 % interval.
    tested = re.search(r"test accuracy: (\d+\.\d)% \((\d+) of (\d+) flowers\)", page.text)
    assert tested and int(tested[3]) == test
    interval = scipy.stats.binomtest(int(tested[2]), test).proportion_ci(0.95)
    assert f"95 % interval: {interval.low:.1%} to {interval.high:.1%}" in page.text
    assert (f"classified {tested[1]}% of the test flowers correctly. The interval, "
            f"{interval.low:.1%} to {interval.high:.1%}") in page.text
    assert page.text.count("model.evaluate(x_test") == 1
    predictions = re.findall(
        r"([✓✗]) \[[\d. ]+\]: (setosa|versicolor|virginica) \((\d+\.\d)%\), expected (\w+)",
        page.text,
    )
    assert [expected for *_, expected in predictions] == ["setosa", "versicolor", "virginica"]
    for mark, predicted, _, expected in predictions:
        assert (mark == "✓") == (predicted == expected)
    assert "{glue" not in page.text


@pytest.mark.slow
def test_api_reference_renders_parameters(html):
    source = (html / "lessons" / "api" / "dlcourse" / "dlcourse.data.html").read_text()
    page = Page(html / "lessons" / "api" / "dlcourse" / "dlcourse.data.html")
    assert "load_mnist" in page.text and "DataUnavailableError" in page.text
    assert 'class="field-list' in source and "Parameters" in page.text
    assert ":param" not in page.text and ":returns:" not in page.text


@pytest.mark.slow
def test_lesson_2_shows_executed_answers_plots_and_a_hidden_solution_per_exercise(html):
    built = html / "lessons" / "02-neurons.html"
    page, source = Page(built), built.read_text()
    # The exercises' values, printed by the solutions' executed code.
    assert "Correct! The neuron's output is 1.25." in page.text
    assert "squared errors: [4. 9. 0. 1.] MSE: 3.5" in page.text
    for x1, x2, y in [(0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0)]:
        assert f"x1={x1} x2={x2} -> output {y}" in page.text
    assert "array([0., 1., 1., 0.], dtype=float32)" in page.text  # Keras, same weights
    # Every exercise has its solution, folded away.
    assert_every_exercise_has_a_folded_solution("02-neurons", source, at_least=7)
    # The blanks show what a learner sees before answering.
    assert page.text.count("Not yet: replace ... with your answer") >= 8
    # Activation functions, the network, Huber, gradient descent: all drawn by the code.
    assert len(drawn_figures(page)) >= 4
    assert "{glue" not in page.text


@pytest.mark.slow
def test_lesson_3_quotes_layer_sizes_accuracy_and_the_own_images_from_its_run(html):
    built = html / "lessons" / "03-convolution.html"
    page, source = Page(built), built.read_text()
    assert "28 × 28 × 16 = 12,544 numbers" in page.text
    assert "14 × 14 × 16 = 3,136" in page.text and "7 × 7 × 32 = 1,568 numbers" in page.text
    quoted = re.search(r"Trained on ([\d,]+) images for (\d+) epochs \(([\d,]+) updates of the "
                       r"weights\), which took (\d+) seconds here, the CNN classifies "
                       r"(\d+\.\d)% of the ([\d,]+) validation images", page.text)
    assert quoted, "the glued training result is missing"
    images, epochs, updates, seconds, accuracy, validation = quoted.groups()
    # A tenth of the training images is the validation set, on which versions are compared.
    assert f"training: {images.replace(',', '')} validation: {validation.replace(',', '')}" \
        in page.text
    # Ten epochs on the offline subset, two on the full 60,000 images; batches of 128.
    assert epochs == ("10" if images == "3,600" else "2")
    assert int(updates.replace(",", "")) == int(epochs) * -(-int(images.replace(",", "")) // 128)
    assert f"{epochs} epochs, {updates} updates of the weights" in page.text  # as printed
    assert float(accuracy) >= 95.0  # the budget, offline subset included
    assert f"validation accuracy: {accuracy}% training took {seconds} s" in page.text
    # The test set, once, for the version chosen on the validation set.
    tested = re.search(r"test accuracy: (\d+\.\d)%", page.text)
    assert len(re.findall(r"test accuracy: \d", page.text)) == 1  # measured once
    interval = re.search(r"95 % interval, as is: (\d+\.\d)% to (\d+\.\d)%", page.text)
    assert interval and float(interval[1]) <= float(tested[1]) <= float(interval[2])
    assert re.search(rf"classifies {re.escape(tested[1])}% of the [\d,]+ test images correctly "
                     rf"\(95 % interval {interval[1]}% to {interval[2]}%\)", page.text)
    # Six photos that are no digit, drawn by a cell whose code is folded.
    assert re.search(r"Its top probability is above 50 % for (none of them|all six|\d of the "
                     r"six), and reaches", page.text)
    assert source.count('class="cell tag_hide-input') >= 2  # the photos and the feature maps
    # Exercise 3.4: both networks trained in the solution, from one seed, on one budget.
    without = re.search(r"without rotations: (\d+\.\d)%, (\d) of the nine digits right",
                        page.text)
    with_ = re.search(r"with rotations: (\d+\.\d)%, (\d) of the nine digits right", page.text)
    assert without and with_
    assert f"changed the validation accuracy from {without[1]}% to {with_[1]}%" in page.text
    lines = re.findall(r"(\d|cat): (?:\d at [\d.]+%|no digit)\. The CNN says \d \([\d.]+%\)\.",
                       page.text)
    assert lines == [str(digit) for digit in range(1, 10)] + ["cat"]
    right = re.search(r"recognises (\d) of the nine digits instead of (\d)", page.text)
    assert right and 0 <= int(right[2]) <= int(right[1]) <= 9
    assert_every_exercise_has_a_folded_solution("03-convolution", source, at_least=3)
    assert "{glue" not in page.text


@pytest.mark.slow
def test_lesson_4_runs_every_remedy_with_three_seeds_and_judges_it_against_their_spread(html):
    built = html / "lessons" / "04-refining.html"
    page, source = Page(built), built.read_text()
    assert "The full Fashion-MNIST data set (70,000 images" in page.text
    assert "training: 55000 validation: 5000 test: 10000" in page.text
    # The glued figures are those the runs printed.
    glued = re.search(r"In its last five epochs the network classifies on average (\d+\.\d)% "
                      r"of the 5,000 validation images", page.text)
    assert glued and f"128 neurons, all images: validation accuracy {glued[1]}%" in page.text
    good = float(glued[1])
    small = float(re.search(r"2 neurons, all images: validation accuracy (\d+\.\d)%",
                            page.text)[1])
    overfit = re.search(r"the large network, with [\d,]+ weights for [\d,]+ images, gets "
                        r"(\d+\.\d)% of its training images right in "
                        r"its last epoch, but on average only (\d+\.\d)% of the validation "
                        r"images in its last five",
                        page.text)
    assert f"no remedy, seed 1: validation accuracy {overfit[2]}%" in page.text
    assert good >= 85 and small < good - 10  # underfitting is plain to see
    assert float(overfit[1]) > float(overfit[2]) + 10  # and so is overfitting
    tested = re.search(r"test accuracy: (\d+\.\d)%", page.text)
    assert tested and f"classifies {tested[1]}% of the 10,000 test images" in page.text
    # Every remedy ran with the three seeds of the runs without remedy.
    remedies = ["smaller batches (32)", "smaller model (32 neurons)", "L2 regularisation",
                "dropout (0.5)", "batch normalisation", "early stopping", "data augmentation"]
    accuracy = {}
    for remedy in ["no remedy", *remedies]:
        for seed in [1, 2, 3]:
            printed = re.search(rf"{re.escape(remedy)}, seed {seed}: validation accuracy "
                                rf"(\d+\.\d)%, loss gap (-?\d+\.\d\d)", page.text)
            assert printed, f"{remedy}, seed {seed}"
            accuracy[remedy, seed] = float(printed[1])
    # One table: a row per remedy; its verdicts follow from its intervals.
    table = next(table for table in re.findall(r"<table.*?</table>", source, re.S)
                 if "change, 95 % interval" in table)
    rows = re.findall(r"<tr>\s*<th>([^<]+)</th>", table)
    assert rows == ["no remedy", *remedies]
    cells = [html_module.unescape(cell) for cell in
             re.findall(r"<td[^>]*>([^<]*)</td>", table)]
    assert len(cells) == 6 * (1 + len(remedies))
    for number, remedy in enumerate(remedies, start=1):
        row = cells[6 * number: 6 * number + 6]
        for (change, verdict), (above, below) in [((row[1], row[2]), ("higher", "lower")),
                                                   ((row[4], row[5]), ("wider", "narrower"))]:
            mean, low, high = map(float, re.fullmatch(
                r"([+-][\d.]+) \(([+-][\d.]+) to ([+-][\d.]+)\)", change).groups())
            assert low <= mean <= high
            if 0 not in (low, high):  # judged unrounded; a bound shown as 0 can go either way
                plain = verdict.removesuffix(", only just")
                assert plain == (above if low > 0 else below if high < 0
                                 else "no clear difference"), (remedy, change, verdict)
                # A verdict whose interval ends near zero is marked: 0.3 points, 0.03 of loss.
                margin, nearest = (0.3 if above == "higher" else 0.03), min(abs(low), abs(high))
                if plain != "no clear difference" and abs(nearest - margin) > 0.005:
                    assert verdict.endswith(", only just") == (nearest < margin), (remedy, change)
        # The mean change in accuracy is the mean of the printed per-seed differences.
        changes = [accuracy[remedy, seed] - accuracy["no remedy", seed] for seed in [1, 2, 3]]
        assert abs(float(row[1].split()[0]) - sum(changes) / 3) < 0.15, remedy
    early_epochs = float(re.search(r"Early stopping ran (\d+\.\d) epochs", page.text)[1])
    assert early_epochs < 15
    assert re.search(r"With L1, (\d+\.\d)% are", page.text)
    wine = re.search(r"recognises (\d+\.\d)% of the validation wines after 30 epochs, "
                     r"against (\d+\.\d)% with raw inputs", page.text)
    assert float(wine[1]) > float(wine[2])
    assert f"standardised when predicting: {wine[1]}% right" in page.text
    # Exercises: all with a folded solution, at least one with a checker.
    assert_every_exercise_has_a_folded_solution("04-refining", source, at_least=3)
    assert page.text.count("Not yet: replace ... with your answer") >= 3
    assert len(drawn_figures(page)) >= 7
    assert "{glue" not in page.text


@pytest.mark.slow
def test_lesson_5_shows_real_transfer_everywhere_chooses_on_validation_and_tests_once(html):
    built = html / "lessons" / "05-transfer.html"
    page, source = Page(built), built.read_text()
    # The small experiment: the same data online and offline, judged over its seeds.
    runs = re.findall(r"seed (\d): reused layers (\d+\.\d)%, frozen random layers "
                      r"(\d+\.\d)%, from scratch (\d+\.\d)%", page.text)
    assert len(runs) >= 5
    for column, other, named in [(3, "from scratch", "training from scratch"),
                                 (2, "frozen random layers", "frozen random layers")]:
        differences = [float(run[1]) - float(run[column]) for run in runs]
        mean, low, high = map(float, re.search(
            rf"reused layers minus {other}: ([+-]\d+\.\d)%, 95 % interval "
            r"([+-]\d+\.\d)% to ([+-]\d+\.\d)%", page.text).groups())
        assert abs(mean - sum(differences) / len(differences)) < 0.15
        verdict = ("did better than" if low > 0 else "did worse than" if high < 0
                   else "cannot tell it from")
        assert f"reusing the layers {verdict} {named}" in page.text or (
            verdict == "cannot tell it from" and f"{verdict} {named}" in page.text)
        if column == 3:
            assert f"{sum(d > 0 for d in differences)} of the {len(runs)} seeds" in page.text
    # MobileNetV2 and its head.
    assert "2,257,984 parameters, 154 layers" in page.text  # printed by the run
    assert "The base has 2,257,984 parameters in 154 layers" in page.text  # and glued
    assert "trainable: 6,405" in page.text and "Only 6,405 of the model" in page.text
    pretrained = "MobileNetV2's ImageNet weights for 128 x 128 images" in page.text
    flowers = "chosen at random from the TensorFlow flower photos" in page.text
    box = "This run could not show transfer learning" in page.text
    assert box == (not pretrained or not flowers)
    if not pretrained:
        assert "so the base model starts from random weights" in page.text
        assert "In this run the base had no ImageNet weights" in page.text
    if not flowers:
        assert "Instead of the flower photos, an offline stand-in" in page.text
    # Fine-tuning unfreezes the whole base; its effect is judged on the validation photos.
    assert re.search(r"trainable now: 2,2\d\d,\d{3}", page.text)
    gained, lost = re.search(r"right only after fine-tuning: (\d+), only before: (\d+)",
                             page.text).groups()
    assert f"{gained} photos became right and {lost} became wrong" in page.text
    chosen = re.search(r"chosen: (\+ fine-tuning the whole base|new head, frozen base)",
                       page.text)[1]
    assert chosen == ("+ fine-tuning the whole base" if int(gained) > int(lost)
                      else "new head, frozen base")
    # The network trained from scratch is measured both ways.
    during, after = re.search(r"training photos: (\d+\.\d)% right during the last epoch, "
                              r"(\d+\.\d)% measured after it", page.text).groups()
    assert f"against {after}% before" in page.text
    # One table of three recipes, scored on validation photos, as each run printed.
    table = next(table for table in re.findall(r"<table.*?</table>", source, re.S)
                 if "validation accuracy" in table)
    rows = re.findall(r'class="row_heading[^>]*>([^<]+)</th>', table)
    assert rows == ["new head, frozen base", "+ fine-tuning the whole base", "from scratch"]
    for column in ["trained weights", "epochs", "training accuracy", "validation accuracy",
                   "seconds"]:
        assert f">{column}</th>" in table
    assert "test accuracy" not in table  # the test photos are not for choosing
    cells = re.findall(r'<td id="T_\w+_row(\d)_col(\d)" class="data[^>]*>([^<]+)</td>', table)
    accuracies = [value for row, column, value in cells if column == "3"]
    assert len(accuracies) == 3
    for name, accuracy in zip(rows, accuracies):
        assert f"{name}: validation accuracy {accuracy} after" in page.text
    assert [value for _, column, value in cells if column == "0"][0] == "6,405"
    assert [value for _, column, value in cells if column == "1"] == ["4", "8", "8"]
    if pretrained and flowers:  # the real run: transfer learning must show its worth
        assert "Transfer learning won" in page.text
    # The test photos are measured once, with the chosen model.
    tested = re.findall(r"test accuracy (\d+\.\d)% on \d+ photos", page.text)
    assert len(tested) == 1
    assert f"The model chosen ({chosen}) got {tested[0]}% of the test photos" in page.text
    assert_every_exercise_has_a_folded_solution("05-transfer", source, at_least=3)
    assert page.text.count("Not yet: replace ... with your answer") == 3
    assert len(drawn_figures(page)) >= 3
    assert "{glue" not in page.text


@pytest.mark.slow
def test_lesson_6_runs_a_demo_of_each_architecture_and_quotes_lesson_3(html):
    built = html / "lessons" / "06-wider.html"
    page, source = Page(built), built.read_text()
    # Each demo ran, and the text quotes what it printed.
    share = re.search(r"(\d+\.\d)% of the test digits are rebuilt better than the cat", page.text)
    assert share and f"The cat is rebuilt worse than {share[1]}% of the test digits" in page.text
    accuracy = re.search(r"next word right: (\d+\.\d)%", page.text)
    assert accuracy and (f"It predicts {accuracy[1]}% of the next words of its training text "
                         "right") in page.text
    neighbours = re.search(r"monday: (\w+), (\w+), (\w+), (\w+)", page.text)
    days = {"tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
    shared = sum(word in days for word in neighbours.groups())
    quoted = re.search(r"Of the four nearest neighbours of .monday., (\d) are other days",
                       page.text)
    assert quoted and int(quoted[1]) == shared
    assert shared >= 3  # the embedding found the days
    errors = re.search(r"test MSE: LSTM (\d\.\d+), dense (\d\.\d+)", page.text)
    low, high = sorted([errors[1], errors[2]], key=float)
    assert f"predicted better ({low} against {high})" in page.text
    assert "output: (1, 6, 8) weights: (1, 2, 6, 6)" in page.text
    gan = re.search(r"generated: mean (\d\.\d\d), standard deviation (\d\.\d\d)", page.text)
    assert gan and f"mean of {gan[1]} and a standard deviation of {gan[2]}" in page.text
    assert abs(float(gan[1]) - 3) < 0.3  # the generator found the real data
    rewards = re.search(r"The first ten episodes earned (-?\d+\.\d) points on average, in "
                        r"(\d+\.\d) moves; the last ten earned (-?\d+\.\d)", page.text)
    assert rewards and float(rewards[3]) > float(rewards[1])  # the agent learned
    # The cat: lesson 6 points to lesson 3's own result rather than retrain or quote it (a
    # number glued on another page would not reach the lesson's notebook).
    lesson_3 = Page(html / "lessons" / "03-convolution.html").text
    assert re.search(r"it says \d, with a probability of \d+%", lesson_3)
    assert "so it named one, and lesson 3 shows how sure it was" in page.text
    assert 'href="03-convolution.html"' in source
    silly = re.search(r"A silly question still gets an answer\.(.*?)not a digit", page.text)
    assert silly and "%" not in silly[1]
    assert_every_exercise_has_a_folded_solution("06-wider", source, at_least=3)
    assert page.text.count("Not yet: replace ... with your answer") == 2
    assert len(drawn_figures(page)) >= 7
    # Self-attention: which word attends to itself is explained by the vectors' reach.
    reach = re.findall(r"(\w+): own length (\d+\.\d\d); furthest other: '(\w+)', "
                       r"(-?\d+\.\d\d)", page.text)
    assert len(reach) == 6
    itself = sum(float(own) > float(other) for _, own, _, other in reach)
    assert f"In this run {itself} of the 6 words attend most to" in page.text
    # Google's principles of 2018, all seven, and their rewriting in 2025.
    assert "set seven objectives" in page.text and "In February 2025" in page.text
    assert "be made available for uses that accord with these principles" in page.text
    assert "{glue" not in page.text


@pytest.mark.slow
def test_the_key_points_page_gathers_every_lessons_box_in_order(html):
    """Every item of every lesson's key points box is on the page, under a link to its lesson."""
    built = html / "lessons" / "key-points.html"
    source = built.read_text().split('id="key-points"')[1].split("</article>")[0]
    text = " ".join(html_module.unescape(re.sub(r"<[^>]+>", "", source)).split())
    text = text.replace("’", "'").replace("“", '"').replace("”", '"')
    lessons = sorted((chapter, page) for page, chapter in
                     lesson_notebooks.notebook_pages(ROOT).items() if chapter is not None)
    assert len(lessons) == 6
    positions = []
    for chapter, page in lessons:
        box = re.search(r"```\{admonition\} Key points\n:class: keypoints\n(.*?)```",
                        page.read_text(), re.S)
        assert box, f"{page.name} has no key points box"
        items = re.split(r"^- ", box[1], flags=re.M)[1:]
        assert items
        for item in items:
            words = " ".join(item.replace("`", "").replace("*", "").split())
            assert words in text, f"{page.name}: {words!r} is missing"
        link = f'href="{page.stem}.html">{chapter}. '
        assert link in source
        positions.append(source.index(link))
    assert positions == sorted(positions)  # in the order of the lessons
    assert "template" not in source  # the template's box is not a lesson's


# --- the execution cache follows dlcourse -------------------------------------


def cached_book(tmp_path):
    """A book of two pages executed through the cache, one importing `toypkg`,
    which stands in for dlcourse; returns a function that builds it and says
    what each page printed and which pages were executed."""
    book = tmp_path / "book"
    (book / "toypkg").mkdir(parents=True)
    (book / "toypkg" / "__init__.py").write_text("VALUE = 1\n")
    (book / "_config.yml").write_text(textwrap.dedent(f"""\
        title: Cache
        execute: {{execute_notebooks: cache}}
        sphinx:
          local_extensions: {{execution_cache: {ROOT / "_ext"}}}
          config: {{execution_watched_packages: [toypkg]}}
        """))
    (book / "_toc.yml").write_text("format: jb-book\nroot: uses\nchapters:\n  - file: plain\n")
    (book / "uses.md").write_text(
        HEADER + "# Uses it\n\n```{code-cell} ipython3\nimport toypkg\n"
        "print(f'value={toypkg.VALUE}')\n```\n")
    (book / "plain.md").write_text(HEADER + "# Plain\n\n```{code-cell} ipython3\n"
                                   "print('plain=' + str(6 * 7))\n```\n")

    def build():
        result = subprocess.run(BUILD, cwd=book, capture_output=True, text=True, timeout=600,
                                env={**os.environ, "PYTHONPATH": str(book)})
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        printed = re.findall(r"(?:value|plain)=\d+", "".join(
            (book / "_build" / "html" / f"{page}.html").read_text() for page in ["uses", "plain"]))
        executed = re.findall(r"(\w+)\.md: Executing notebook", result.stdout)
        return printed, sorted(executed)

    return book, build


def test_a_change_to_the_package_executes_again_only_the_pages_importing_it(tmp_path):
    book, build = cached_book(tmp_path)
    assert build() == (["value=1", "plain=42"], ["plain", "uses"])
    assert build() == (["value=1", "plain=42"], [])  # nothing changed: all from the cache
    (book / "toypkg" / "__init__.py").write_text("VALUE = 2\n")
    assert build() == (["value=2", "plain=42"], ["uses"])
    assert build() == (["value=2", "plain=42"], [])
    # The cache deleted but not the rest of _build: the pages importing the
    # package execute again, since their outputs are gone.
    (book / "toypkg" / "__init__.py").write_text("VALUE = 3\n")
    shutil.rmtree(book / "_build" / ".jupyter_cache")
    assert build() == (["value=3", "plain=42"], ["uses"])


@pytest.mark.slow
def test_a_build_writes_no_tracked_file_and_a_stale_notebook_fails_it(html, tmp_path):
    """A clean copy of the repository builds without changing a tracked file; after an edit
    to a lesson, its notebook is stale, and the build fails with the command that
    regenerates it, which remains the only writer of notebooks."""
    copy = tmp_path / "course"
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                             check=True).stdout.decode().split("\0")
    for name in filter(None, tracked):
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, copy / name)

    def git(*arguments):
        return subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org",
                               *arguments], cwd=copy, capture_output=True, text=True,
                              check=True).stdout

    def build():
        return subprocess.run(BUILD, cwd=copy, capture_output=True, text=True, timeout=3000)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "a clean copy")
    # The outputs the `html` fixture just executed: the copy's code cells are the same,
    # so its build takes them from this cache instead of executing every lesson again.
    shutil.copytree(ROOT / "_build" / ".jupyter_cache", copy / "_build" / ".jupyter_cache")
    result = build()
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert git("status", "--porcelain") == ""

    lesson = copy / "lessons" / "02-neurons.md"
    lesson.write_text(lesson.read_text().replace("\n# ", "\n# Edited: ", 1))
    result = build()
    assert result.returncode != 0
    assert ("lessons/02-neurons.ipynb is out of date with its lesson: regenerate it with "
            "`python _ext/lesson_notebooks.py`") in result.stdout + result.stderr
    assert git("status", "--porcelain").split() == ["M", "lessons/02-neurons.md"]

"""The notebooks behind the launch buttons: current, plain, runnable, and found by the buttons."""

import ast
import importlib.metadata
import json
import os
import re
import shutil
import string
import subprocess
import sys
import textwrap
import time
import tomllib
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import nbformat
import pytest
import yaml
from IPython.core.inputtransformer2 import TransformerManager
from jupytext.myst import myst_to_notebook
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

import lesson_notebooks
import myst_markdown
from conftest import ROOT
from dlcourse import grade

PAGES = list(lesson_notebooks.notebook_pages(ROOT))
SETTINGS = lesson_notebooks.course_settings(ROOT)
MYST_LEFT = re.compile(r"\{[a-z][\w:-]*\}`|^[ \t>]*(`{3,}|:{3,})\{", re.MULTILINE)


def outside_code(markdown):
    """Markdown with the lines of its code blocks blanked, since MyST syntax may be shown
    in them as an example; the translator's parser finds the blocks, in quotes and lists
    too, and tells a directive left over from a code block."""
    lines = markdown.split("\n")
    for number in myst_markdown.code_lines(markdown):
        lines[number] = ""
    return "\n".join(lines)


def test_myst_syntax_counts_as_left_over_in_text_but_not_in_code_blocks():
    text = outside_code("Left over: {ref}`x`.\n\n```md\n{glue}`a`\n```\n\n"
                        "> ```\n> :::{note}\n> ```\n\n    {term}`indented code`\n\n"
                        "```{note}\nA box left over.\n```\n")
    assert [match[0] for match in MYST_LEFT.finditer(text)] == ["{ref}`", "```{"]


def page_id(page):
    return page.relative_to(ROOT).as_posix()


def read(page):
    return nbformat.read(lesson_notebooks.notebook_path(page), as_version=nbformat.NO_CONVERT)


# --- the committed notebooks ----------------------------------------------------


def test_lessons_and_setup_are_notebook_pages():
    names = {page_id(page) for page in PAGES}
    assert {"lessons/setup.md", "lessons/01-introduction.md", "lessons/02-neurons.md"} <= names


def test_committed_notebooks_match_their_lessons():
    stale = [page_id(path) for path in lesson_notebooks.stale_files(ROOT)]
    assert not stale, f"regenerate with `python _ext/lesson_notebooks.py`: {stale}"


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_notebook_is_valid_nbformat_4_without_myst_syntax(page):
    notebook = read(page)
    assert notebook.nbformat == 4
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            assert not MYST_LEFT.search(outside_code(cell.source)), cell.source
    # Hidden book machinery stays out: learners have no myst_nb.
    code = "".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    assert "myst_nb" not in code


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_first_code_cell_installs_dlcourse_wherever_it_is_missing(page):
    first = next(cell for cell in read(page).cells if cell.cell_type == "code")
    archive = f"{SETTINGS['repository']}/archive/{SETTINGS['dlcourse_ref']}.zip"
    # Colab, Kaggle, a learner's own Jupyter: wherever it is missing, and only there.
    assert (f'if importlib.util.find_spec("dlcourse") is None:\n'
            f'    %pip install --quiet "dlcourse @ {archive}"\n') in first.source
    assert "tensorflow" not in first.source  # Colab keeps its own


def run_install_cell(missing, tmp_path):
    """Run a notebook's first cell in a kernel where the modules ``missing`` cannot be found
    and pip installs nothing; return the error it ends with, or None."""
    install = next(cell for cell in read(PAGES[0]).cells if cell.cell_type == "code")
    pretend = nbformat.v4.new_code_cell(textwrap.dedent(f"""\
        import importlib.util
        found = importlib.util.find_spec
        importlib.util.find_spec = lambda name, *rest: (
            None if name in {missing!r} else found(name, *rest))
        get_ipython().register_magic_function(lambda line: print("pip", line), "line", "pip")
        """))
    notebook = nbformat.v4.new_notebook(cells=[pretend, nbformat.v4.new_code_cell(
        install.source)])
    try:
        NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    except CellExecutionError as error:
        return f"{error.ename}: {error.evalue}"
    return None


def test_the_install_cell_says_what_to_do_where_it_cannot_help(tmp_path):
    assert run_install_cell(set(), tmp_path) is None  # everything there: nothing to do
    assert run_install_cell({"keras"}, tmp_path) == (
        "ModuleNotFoundError: This Jupyter has no Keras: start Jupyter from the course's "
        "environment (see the setup page), or use Colab.")
    # pip ran (here it only printed) but dlcourse is still missing: no internet, say.
    assert run_install_cell({"dlcourse"}, tmp_path) == (
        "ModuleNotFoundError: dlcourse could not be installed: see pip's message above (on "
        "Kaggle, turn on Internet in the notebook's settings).")


def test_the_install_ref_is_named_once_in_the_config():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert SETTINGS["dlcourse_ref"] == config["repository"]["dlcourse_ref"]
    ref = SETTINGS["dlcourse_ref"]
    named = [path for path in ROOT.glob("**/*") if path.is_file()
             and path.suffix in {".py", ".md", ".yml", ".ipynb", ".txt", ".toml"}
             and ".git" not in path.parts and "node_modules" not in path.parts
             and "_build" not in path.parts and f"archive/{ref}.zip" in path.read_text()]
    # Only generated notebooks carry the address: a release changes one line.
    assert named and all(path.suffix == ".ipynb" for path in named), named


def test_project_command_reports_a_stale_notebook(tmp_path):
    book = tmp_path / "book"
    book.mkdir()
    for name in ["_config.yml", "_toc.yml", "_ext", "lessons", "exercises"]:
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy
        copy(ROOT / name, book / name)
    command = [sys.executable, "_ext/lesson_notebooks.py", "--check"]
    assert subprocess.run(command, cwd=book).returncode == 0

    lesson = book / "lessons/01-introduction.md"
    lesson.write_text(lesson.read_text() + "\nA new closing sentence.\n")
    result = subprocess.run(command, cwd=book, capture_output=True, text=True)
    assert result.returncode != 0
    assert "lessons/01-introduction.ipynb is out of date" in result.stdout

    subprocess.run(command[:-1], cwd=book, check=True)
    assert "A new closing sentence." in (book / "lessons/01-introduction.ipynb").read_text()
    assert subprocess.run(command, cwd=book).returncode == 0


# --- the conversion, on small pages ---------------------------------------------


PNG = bytes.fromhex("89504e470d0a1a0a") + b"\0" * 16  # a file that says it is a PNG image


def convert(tmp_path, body, repository=None):
    """The notebook of a one-page course whose page has ``body``."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    if repository:
        config["repository"]["url"] = repository
    (tmp_path / "_config.yml").write_text(yaml.safe_dump(config))
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: page\n")
    page = tmp_path / "page.md"
    header = "---\njupytext:\n  text_representation:\n    format_name: myst\nkernelspec:\n"
    page.write_text(header + "  name: python3\n  display_name: Python 3\n---\n\n# A page\n\n"
                    + textwrap.dedent(body))
    return nbformat.reads(lesson_notebooks.convert(page, tmp_path), as_version=4)


def markdown(notebook):
    return "\n\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")


def test_boxes_become_quotes_and_dropdowns_fold(tmp_path):
    text = markdown(convert(tmp_path, """\
        ```{admonition} Key points
        :class: keypoints
        - One point.
        ```

        ```{admonition} Instructor note
        :class: instructor dropdown
        Cut this when late.
        ```
        """))
    assert "> **Key points**\n>\n> - One point." in text
    assert "<details>\n<summary><b>Instructor note</b></summary>\n\nCut this when late." in text


def test_exercises_are_numbered_and_solutions_fold(tmp_path):
    text = markdown(convert(tmp_path, """\
        ```{exercise} First
        :label: ex-first
        Do one thing.
        ```

        ```{exercise} Second
        :label: ex-second
        Do another, unlike {ref}`ex-first`.
        ```

        ```{solution} ex-second
        :class: dropdown
        The *answer*.
        ```
        """))
    assert "> **Exercise 1: First**" in text
    assert "> **Exercise 2: Second**\n>\n> Do another, unlike Exercise 1." in text
    assert "<summary><b>Solution to exercise 2</b></summary>\n\nThe *answer*." in text
    assert "Solutions are folded" in text


MARKED_PAGE = """\
    ```{code-cell} ipython3
    :tags: [exercise-setup]
    from dlcourse import check
    ```

    ```{exercise} Add
    :label: ex-add
    What is 1 + 1?
    ```

    ```{code-cell} ipython3
    :tags: [answer]
    total = ...
    check.neuron_output(total)
    ```

    ````{solution-start} ex-add
    ````

    Two.

    ```{code-cell} ipython3
    total = 2
    ```

    ````{solution-end}
    ````

    ```{exercise} Discuss
    :label: ex-discuss
    Why?
    ```

    ```{solution} ex-discuss
    :class: dropdown
    Because.
    ```
    """


@pytest.mark.parametrize("version, expected", [
    (lesson_notebooks.STUDENT, [
        ("code", {"role": "setup"}),
        ("markdown", {"exercise": "3.1", "role": "exercise", "title": "Add"}),
        ("code", {"exercise": "3.1", "role": "answer"}),
        ("markdown", {"exercise": "3.2", "role": "exercise", "title": "Discuss"}),
        ("markdown", {"exercise": "3.2", "role": "answer"}),
    ]),
    (lesson_notebooks.SOLUTIONS, [
        ("code", {"role": "setup"}),
        ("markdown", {"exercise": "3.1", "role": "exercise", "title": "Add"}),
        ("markdown", {"exercise": "3.1", "role": "solution"}),
        ("code", {"exercise": "3.1", "role": "solution"}),
        ("markdown", {"exercise": "3.2", "role": "exercise", "title": "Discuss"}),
        ("markdown", {"exercise": "3.2", "role": "solution"}),
    ]),
])
def test_exercise_cells_are_marked_for_the_grader(tmp_path, version, expected):
    convert(tmp_path, MARKED_PAGE)
    notebook = nbformat.reads(lesson_notebooks.convert(tmp_path / "page.md", tmp_path, version,
                                                       chapter=3), as_version=4)
    marks = [(cell.cell_type, cell.metadata["dlcourse"]) for cell in notebook.cells
             if "dlcourse" in cell.metadata]
    assert marks == expected
    written = [cell for cell in notebook.cells if cell.metadata.get("dlcourse", {}).get(
        "role") == "answer" and cell.cell_type == "markdown"]
    assert [cell.source for cell in written] == (
        [grade.WRITTEN_ANSWER] if version == lesson_notebooks.STUDENT else [])


RESULT_PAGE = """\
    ```{code-cell} ipython3
    answer = 6 * 7
    name = "forty-two"
    ```

    ```{code-cell} ipython3
    :tags: [remove-cell]
    print("book machinery that records nothing")
    ```

    ```{code-cell} ipython3
    :tags: [remove-cell]
    from myst_nb import glue
    glue("answer", answer, display=False)
    glue("count", answer * 1000, display=False)
    glue(f"{name}_share", answer / 100, display=False)
    ```

    A paragraph without results, and code with a blank line:

    ```python
    print(1)

    print(2)
    ```

    The answer is {glue:text}`answer:.1f` ({glue}`count:,` thousandths,
    {glue:md}`forty-two_share:.0%`), written {glue:text}`answer` with braces {like} these and
    $x_{i}$.

    - A list item that quotes {glue:text}`answer:d`.

      Its second paragraph.

    A last paragraph.
    """


def hidden(cell):
    return (cell.metadata.get("cellView") == "form"
            and cell.metadata.get("jupyter", {}).get("source_hidden") is True
            and cell.source.startswith("# @title "))


def test_results_are_recorded_and_quoted_by_hidden_cells(tmp_path):
    notebook = convert(tmp_path, RESULT_PAGE)
    cells = notebook.cells[3:]
    assert [cell.cell_type for cell in cells] == ["code", "code", "markdown", "code", "code",
                                                  "markdown"]
    assert "book machinery" not in json.dumps(notebook)  # records nothing: left out
    glue_cell, results = cells[1], cells[3:5]
    assert "from dlcourse.results import glue\nglue(" in glue_cell.source
    assert cells[2].source == ("A paragraph without results, and code with a blank line:\n\n"
                               "```python\nprint(1)\n\nprint(2)\n```")
    assert cells[5].source == "A last paragraph."
    assert all(hidden(cell) for cell in [glue_cell, *results])
    assert "{answer:.1f} ({count:,} thousandths,\n{forty-two_share:.0%})" in results[0].source
    assert "braces {{like}} these and\n$x_{{i}}$." in results[0].source
    # The list item keeps its second paragraph, indented, in the same cell.
    assert "- A list item that quotes {answer:d}.\n\n  Its second paragraph." in results[1].source
    assert not any("\x00" in cell.source for cell in cells)  # the converter's own marks
    assert "your result" not in json.dumps(notebook)
    assert "myst_nb" not in "".join(cell.source for cell in cells)


def test_a_result_cell_writes_the_paragraph_with_the_value_of_the_run(tmp_path):
    notebook = convert(tmp_path, RESULT_PAGE)
    notebook.cells = notebook.cells[3:]  # without the install cell
    NotebookClient(notebook, timeout=60, kernel_name="python3").execute()
    written = [output["data"]["text/markdown"] for cell in notebook.cells
               if cell.cell_type == "code" for output in cell.outputs]
    assert written[0].strip() == (
        "The answer is 42.0 (42,000 thousandths,\n42%), written 42 with braces {like} these "
        "and\n$x_{i}$.")
    assert written[1].strip() == "- A list item that quotes 42.\n\n  Its second paragraph."


def test_text_cannot_quote_a_result_before_a_cell_records_it(tmp_path):
    with pytest.raises(lesson_notebooks.ConversionError, match="quotes answer before any cell"):
        convert(tmp_path, """\
            It is {glue:text}`answer`.

            ```{code-cell} ipython3
            :tags: [remove-cell]
            from myst_nb import glue
            glue("answer", 42, display=False)
            ```
            """)
    with pytest.raises(lesson_notebooks.ConversionError, match=r"the role \{glue:figure\}"):
        convert(tmp_path, "A figure: {glue:figure}`drawing`.\n")


EXERCISE_PAGE = """\
    ```{code-cell} ipython3
    :tags: [remove-cell]
    from myst_nb import glue
    ```

    ```{code-cell} ipython3
    lesson_only = 2
    ```

    ```{exercise} Double
    :label: ex-double
    Double 21.
    ```

    ````{solution-start} ex-double
    ````

    ```{code-cell} ipython3
    doubled = 21 * 2
    ```

    ```{code-cell} ipython3
    :tags: [remove-cell]
    glue("doubled", doubled, display=False)
    ```

    ```{code-cell} ipython3
    :tags: [remove-cell]
    glue("compared", doubled / lesson_only, display=False)
    ```

    Doubled: {glue:text}`doubled`.

    Against the lesson: {glue:text}`compared`.

    ````{solution-end}
    ````
    """


def test_exercise_notebooks_quote_only_results_they_compute(tmp_path):
    convert(tmp_path, EXERCISE_PAGE)
    page = tmp_path / "page.md"
    solutions = nbformat.reads(lesson_notebooks.convert(
        page, tmp_path, lesson_notebooks.SOLUTIONS, chapter=1), as_version=4)
    code = [cell.source for cell in solutions.cells if cell.cell_type == "code"]
    # The cell that needs the lesson's `lesson_only` is left out; the other one imports glue.
    assert not any("compared" in source for source in code)
    glue_cell = next(source for source in code if 'glue("doubled"' in source)
    assert "from dlcourse.results import glue" in glue_cell
    text = markdown(solutions)
    assert f"read it [in the lesson]({SETTINGS['site']}page.html)" in text
    NotebookClient(solutions, timeout=60, kernel_name="python3").execute()
    written = [output["data"].get("text/markdown", "") for cell in solutions.cells
               if cell.cell_type == "code" for output in cell.outputs]
    assert "Doubled: 42." in "".join(written)


def test_glue_from_another_page_stops_the_conversion(tmp_path):
    # A notebook cannot compute another page's result; a placeholder would stand in its text.
    with pytest.raises(myst_markdown.ConversionError,
                       match=r"page\.md, line 12: a notebook cannot quote a result of another "):
        convert(tmp_path, """\
            It said {glue:text}`other.md::digit`.
            """)


def test_a_box_inside_a_list_item_stays_in_it(tmp_path):
    text = markdown(convert(tmp_path, """\
        1. A step.

           ```{note}
           About this step.
           ```
        """))
    assert "1. A step.\n\n   > **Note**\n   >\n   > About this step." in text
    assert not MYST_LEFT.search(text)


def test_a_figure_made_by_code_keeps_its_caption(tmp_path):
    notebook = convert(tmp_path, """\
        ```{code-cell} ipython3
        ---
        mystnb:
          figure:
            caption: What to notice.
        ---
        print("a figure")
        ```
        """)
    sources = [cell.source for cell in notebook.cells]
    drawing = sources.index('print("a figure")')
    assert sources[drawing + 1] == "*Figure 1: What to notice.*"


def test_code_blocks_are_left_as_written(tmp_path):
    text = markdown(convert(tmp_path, """\
        ```bash
        echo {ref}`not-a-role`
        ```
        """))
    assert "```bash\necho {ref}`not-a-role`\n```" in text


def test_links_go_to_the_website_and_the_repository(tmp_path):
    (tmp_path / "data.csv").write_text("x\n1\n")
    text = markdown(convert(tmp_path, """\
        See [the setup](lessons/setup.md#check), {doc}`the index <index>` and
        [the data](data.csv).
        """))
    site, repository = SETTINGS["site"], SETTINGS["repository"]
    assert f"[the setup]({site}lessons/setup.html#check)" in text
    assert f"[the index]({site}index.html)" in text
    assert f"[the data]({repository}/blob/{SETTINGS['branch']}/data.csv)" in text


def test_local_images_are_embedded(tmp_path):
    (tmp_path / "dot.png").write_bytes(PNG)
    (tmp_path / "other.png").write_bytes(PNG)
    notebook = convert(tmp_path, """\
        ```{figure} dot.png
        :alt: A single dot.

        What to notice.
        ```

        And ![another dot](other.png) in the text.
        """)
    cell = next(cell for cell in notebook.cells if "attachment:" in cell.source)
    assert "![A single dot.](attachment:dot.png)\n\n*Figure 1: What to notice.*" in cell.source
    assert "![another dot](attachment:other.png)" in cell.source  # one cell, both images
    assert set(cell.attachments) == {"dot.png", "other.png"}
    assert "image/png" in cell.attachments["dot.png"]


def test_a_fork_changes_the_repository_in_config_only(tmp_path):
    fork = "https://github.com/someone/their-course"
    install = convert(tmp_path, "Text.\n", repository=fork).cells[2].source
    assert f'"dlcourse @ {fork}/archive/{SETTINGS["dlcourse_ref"]}.zip"' in install


# --- a mistake in a lesson names the lesson and the line --------------------------

LESSON_2 = ROOT / "lessons/02-neurons.md"

# A mistake, the line of it that the error must name, and what the error says.
MISTAKES = {
    "an unclosed box swallowing code cells": (
        "```{note}\nThis box is never closed.\n", 1,
        r"the \{note\} that opens here is not closed before the code cell at line \d+"),
    "an unknown directive": ("Text.\n\n```{tabs}\nA tab.\n```\n", 3,
                             r"the directive \{tabs\} has no notebook form"),
    "an unknown role on a paragraph's second line": (
        "A first line,\nthen press {kbd}`Ctrl`.\n", 2, r"the role \{kbd\} has no notebook form"),
    "a figure without alt text": ("```{figure} ../_static/dot.png\nA caption.\n```\n", 1,
                                  "the image ../_static/dot.png has no alt text"),
    "a reference without text": ("See {ref}`sec-nowhere`.\n", 1,
                                 r"give \{ref\}`sec-nowhere` its own text"),
    "an unknown directive in a list item in a box": (
        "````{admonition} A box\n- An item.\n\n  ```{tabs}\n  A tab.\n  ```\n````\n", 4,
        r"the directive \{tabs\}"),
    "a solution to no exercise": ("```{solution} ex-none\nBecause.\n```\n", 1,
                                  "refers to the exercise 'ex-none', which does not come"),
    "a result quoted before it is recorded": ("\nIt is {glue:text}`never_recorded`.\n", 2,
                                              "quotes never_recorded before any cell calls glue"),
}


@pytest.mark.parametrize("mistake, line, message", MISTAKES.values(), ids=MISTAKES)
def test_a_mistake_planted_in_a_lesson_names_the_lesson_and_its_line(
    tmp_path, mistake, line, message
):
    for name in ["_config.yml", "_toc.yml"]:
        shutil.copy(ROOT / name, tmp_path / name)
    lines = LESSON_2.read_text().split("\n")
    section = next(number for number, text in enumerate(lines) if text.startswith("## "))
    page = tmp_path / "lessons" / LESSON_2.name
    page.parent.mkdir()
    page.write_text("\n".join(lines[:section] + mistake.split("\n") + lines[section:]))
    with pytest.raises(lesson_notebooks.ConversionError, match=message) as error:
        lesson_notebooks.convert(page, tmp_path)
    # The mistake's first line is line `section + 1` of the file, counted from 1.
    assert str(error.value).startswith(f"lessons/02-neurons.md, line {section + line}: ")


def test_a_box_left_open_at_the_end_of_a_page_names_its_first_line(tmp_path):
    with pytest.raises(lesson_notebooks.ConversionError,
                       match=r"page\.md, line 14: the block opened by '```\{note\}' is never"):
        convert(tmp_path, "Text.\n\n```{note}\nNever closed.\n")


@pytest.mark.parametrize("body, line, message", [
    ("```{exercise} E\n:label: ex-e\nDo.\n```\n\n````{solution-start} ex-e\n````\n\nText.\n",
     17, "this solution-start has no solution-end after it"),
    ("```{code-cell} ipython3\n:tags: [remove-cell]\nimport myst_nb\nglue('x', 1)\n```\n",
     12, "a cell that calls glue uses myst_nb for more than"),
    ("```{code-cell} ipython3\n:tags: [remove-cell]\nfrom myst_nb import glue\nglue('x', 1)\n```"
     "\n\nText.\n\nIt is {glue:text}`x`,\n![a dot](dot.png).\n", 20,
     "an image is in a paragraph that quotes a result"),
])
def test_a_mistake_in_what_goes_where_names_its_line(tmp_path, body, line, message):
    (tmp_path / "dot.png").write_bytes(PNG)
    with pytest.raises(lesson_notebooks.ConversionError, match=message) as error:
        convert(tmp_path, body)
    assert str(error.value).startswith(f"page.md, line {line}: ")


def test_a_page_without_a_title_names_its_first_line(tmp_path):
    convert(tmp_path, "Text.\n")
    page = tmp_path / "page.md"
    page.write_text(page.read_text().replace("# A page\n\n", ""))
    with pytest.raises(lesson_notebooks.ConversionError,
                       match=r"page\.md, line 10: the page must start with its title"):
        lesson_notebooks.convert(page, tmp_path)


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_cell_is_placed_on_its_line_of_the_page(page):
    text = page.read_text()
    notebook = myst_to_notebook(text, add_source_map=True)
    lines = text.split("\n")
    for cell, line in zip(notebook.cells, lesson_notebooks.cell_lines(notebook, text),
                          strict=True):
        if cell.cell_type == "code":
            assert lines[line - 1].lstrip("`").startswith("{code-cell}"), line
        else:
            assert "\n".join(lines[line - 1:]).startswith(cell.source), line


# --- the translator, on small texts -----------------------------------------------

def translator(tmp_path, **options):
    return myst_markdown.Translator(tmp_path / "page.md", tmp_path, SETTINGS, **options)


@pytest.mark.parametrize("myst, expected", [
    ("{term}`Epochs <epoch>` and {term}`loss`", "Epochs and loss"),
    ("{abbr}`CNN (convolutional neural network)`", "CNN (convolutional neural network)"),
    ("{math}`x^2`, H{sub}`2`O and e{sup}`x`", "$x^2$, H<sub>2</sub>O and e<sup>x</sup>"),
    ("{ref}`the next lesson <lesson-3>`, {numref}`Figure %s <fig-loss>`",
     "the next lesson, Figure "),
    ("A role {term}`over\ntwo lines`.", "A role over two lines."),
    ("Code `{ref}`x`` and $x_{i}$ stay.", "Code `{ref}`x`` and $x_{i}$ stay."),
    ("(sec-data)=\n## The data\n\n% A comment for authors.\nText.", "## The data\n\nText."),
    ("| a | {term}`b` |\n| --- | --- |\n| {math}`x` | c \\| d |",
     "| a | b |\n| --- | --- |\n| $x$ | c \\| d |"),
])
def test_roles_become_text_and_targets_disappear(tmp_path, myst, expected):
    assert translator(tmp_path).markdown(myst) == expected


def test_doc_and_download_roles_and_links_go_to_the_website_or_the_repository(tmp_path):
    text = translator(tmp_path).markdown(
        "{doc}`lessons/setup`, {download}`the data <data/x.csv>`, [a page](index.md#top), "
        "[the root]( /index.md ), [the web](https://keras.io), [here](#here), "
        "<https://example.org> and [a reference][r].\n\n[r]: https://example.org/r")
    site, files = SETTINGS["site"], f"{SETTINGS['repository']}/blob/{SETTINGS['branch']}/"
    assert text == (f"[lessons/setup]({site}lessons/setup.html), [the data]({files}data/x.csv), "
                    f"[a page]({site}index.html#top), [the root]( {site}index.html ), "
                    "[the web](https://keras.io), [here](#here), <https://example.org> and "
                    "[a reference][r].\n\n[r]: https://example.org/r")


def test_a_reference_without_text_names_its_exercise_or_section(tmp_path):
    titles = myst_markdown.section_titles(["Intro.\n\n(sec-data)=\n## The data\n"])
    assert titles == {"sec-data": "The data"}
    words = translator(tmp_path, chapter=2, titles=titles)
    words.markdown("```{exercise} Count\n:label: ex-count\nCount.\n```")
    assert words.markdown("See {ref}`ex-count` and {ref}`sec-data`.") == (
        "See Exercise 2.1 and “The data”.")


def test_a_directive_in_a_list_item_or_a_quote_keeps_its_place(tmp_path):
    words = translator(tmp_path)
    assert words.markdown("1. A step.\n\n   ```{note}\n   About it.\n   ```\n2. Next.") == (
        "1. A step.\n\n   > **Note**\n   >\n   > About it.\n2. Next.")
    assert words.markdown("- ```{tip} Short\n  First.\n  ```") == (
        "- > **Short**\n  >\n  > First.")
    assert words.markdown("> :::{warning}\n> Careful.\n> :::") == (
        "> > **Warning**\n> >\n> > Careful.")


def test_directive_bodies_are_myst_too(tmp_path):
    text = translator(tmp_path).markdown(
        "````{admonition} Outer\n---\nclass: instructor dropdown\n---\n"
        "- An item with a {term}`term`.\n\n  ```{hint}\n  A hint.\n  ```\n````")
    assert text == ("<details>\n<summary><b>Outer</b></summary>\n\n- An item with a term.\n\n"
                    "  > **Hint**\n  >\n  > A hint.\n\n</details>")


def test_a_solution_is_left_bare_or_titled_for_instructors(tmp_path):
    # Bare for the lesson notebook, which folds it under its title (fold_solutions).
    box = "```{exercise} E\n:label: ex-e\nDo.\n```"
    solution = "```{solution} ex-e\nBecause.\n```"
    for open_solutions, expected in [
        (False, "Because."),
        (True, "**Solution to exercise 1**\n\nBecause."),
    ]:
        words = translator(tmp_path, open_solutions=open_solutions)
        words.markdown(box)
        assert words.markdown(solution) == expected
    assert words.markdown("Before.\n\n````{solution-end}\n````\n\nAfter.") == "Before.\n\nAfter."


def test_math_and_code_directives_keep_their_body_as_written(tmp_path):
    words = translator(tmp_path)
    assert words.markdown("```{math}\n:label: eq-sum\na = {b}\n```") == "$$\na = {b}\n$$"
    assert words.markdown("```{code-block} python\n:caption: An example\nprint({ref}`kept`)\n```"
                          ) == "```python\nprint({ref}`kept`)\n```"


def test_images_are_embedded_and_figures_numbered(tmp_path):
    (tmp_path / "dot.png").write_bytes(PNG)
    words = translator(tmp_path, chapter=3)
    figure = words.markdown("```{figure} dot.png\n:alt: A single dot.\n\nWhat to\nnotice.\n```")
    assert figure == "![A single dot.](attachment:dot.png)\n\n*Figure 3.1: What to notice.*"
    assert list(words.attachments(figure)["dot.png"]) == ["image/png"]
    inline = words.markdown("An ![inline dot](dot.png), a ![web image](https://x.org/a.png).")
    assert inline == "An ![inline dot](attachment:dot.png), a ![web image](https://x.org/a.png)."
    assert words.attachments("No image.") == {}


def test_a_cell_is_split_into_boxes_and_paragraphs_with_their_lines(tmp_path):
    cell = ("One.\n\n\nTwo,\n- a list\n\n  continued.\n\n```python\na = 1\n\nb = 2\n```\n"
            "```{note}\nA box.\n```\nAfter.")
    assert list(translator(tmp_path).blocks(cell, 20)) == [
        (None, 20, [(20, "One."), (23, "Two,\n- a list\n\n  continued."),
                    (28, "```python\na = 1\n\nb = 2\n```")]),
        ("note", 33, [(33, "> **Note**\n>\n> A box.")]),
        (None, 36, [(36, "After.")]),
    ]


@pytest.mark.parametrize("myst, line, message", [
    ("Text.\n\n```{note}\nNever closed.", 3, r"the block opened by '```\{note\}' is never"),
    ("```{note}\n---\nclass: dropdown\n```", 2, "start with --- and have no --- after them"),
    ("```{image} dot.png\n```", 1, "the image dot.png has no alt text"),
    ("Text.\n\nAn ![](dot.png).", 3, "the image dot.png has no alt text"),
    ("```{figure} missing.png\n:alt: Nothing here.\n```", 1, "the image missing.png does not"),
    ("> A quote\n> with {glue:figure}`plot`.", 2, r"the role \{glue:figure\} has no notebook"),
    ("```{note}\nA box.\n\n- ```{code-cell} ipython3\n  x = 1\n  ```\n```", 1,
     r"the \{note\} that opens here is not closed before the code cell at line 44"),
    ("- An item.\n\n  ```{code-cell} ipython3\n  x = 1\n  ```", 3,
     "a code cell must be at the top level of the page"),
    ("```{lesson-overview}\n```", 1, "a lesson-overview needs the lesson's minutes"),
    ("```{note}\n---\nclass: [dropdown\n---\nText.\n```", 2, "the directive's options are not"),
    ("```{figure} notes.txt\n:alt: Not a picture at all.\n```", 1, "notes.txt is not an image"),
    ("- An item\n  goes on\n\twith {term}`a tab`.", 3, "indent it with spaces, not tabs"),
])
def test_errors_name_the_line_of_the_mistake(tmp_path, myst, line, message):
    (tmp_path / "notes.txt").write_text("Not an image.\n")
    with pytest.raises(myst_markdown.ConversionError, match=message) as error:
        translator(tmp_path).markdown(myst, 41)
    assert error.value.line == 40 + line
    assert str(error.value).startswith(f"page.md, line {40 + line}: ")


def normalized(name):
    return re.sub(r"[-_.]+", "-", name).lower()


# --- Binder ---------------------------------------------------------------------


def test_binder_installs_what_learners_install():
    runtime = (ROOT / ".binder/runtime.txt").read_text().strip()
    assert runtime in {"python-3.12", "python-3.13"}  # tested by tests/test_install.py
    # Binder runs pip from the repository root; resolve exactly what it would install.
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--no-deps", "--ignore-installed",
         "--quiet", "--report", "-", "-r", ".binder/requirements.txt"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    installs = {normalized(item["metadata"]["name"]): item["metadata"]["version"]
                for item in yaml.safe_load(result.stdout)["install"]}
    assert installs["dlcourse"] and installs["jupyterlab"]
    pinned = [Requirement(line) for line in
              (ROOT / "requirements-learners.txt").read_text().splitlines() if "==" in line]
    assert "tensorflow-cpu" in installs
    for requirement in pinned:
        if requirement.marker is None or requirement.marker.evaluate():  # Linux, as Binder
            (pin,) = requirement.specifier
            assert installs[normalized(requirement.name)] == pin.version
    for tool in ["jupyter-book", "pytest", "playwright", "zizmor"]:  # the maintainers' only
        assert tool not in installs


# --- the built site (slow) ------------------------------------------------------


class Links(HTMLParser):
    def __init__(self, path):
        super().__init__()
        self.hrefs = []
        self.feed(path.read_text())

    def handle_starttag(self, tag, attrs):
        if tag == "a" and dict(attrs).get("href"):
            self.hrefs.append(dict(attrs)["href"])


def launch_links(html, page):
    """The Colab, Binder and download links of a page's header."""
    built = html / page.relative_to(ROOT).with_suffix(".html")
    hrefs = Links(built).hrefs
    found = {
        "colab": [h for h in hrefs if h.startswith("https://colab.research.google.com/")],
        "binder": [h for h in hrefs if h.startswith("https://mybinder.org/")],
        "download": [h for h in hrefs if "/_sources/" in h and h.endswith(".ipynb")],
    }
    for kind, links in found.items():
        assert len(links) == 1, f"{page_id(page)}: {kind} links {links}"
    return {kind: links[0] for kind, links in found.items()}, built


def tracked_notebook(path):
    """A notebook committed at ``path`` in the repository, read as nbformat 4."""
    tracked = subprocess.run(["git", "ls-files", "--error-unmatch", path], cwd=ROOT,
                             capture_output=True)
    assert tracked.returncode == 0, f"{path} is not committed"
    notebook = nbformat.read(ROOT / path, as_version=nbformat.NO_CONVERT)
    assert notebook.nbformat == 4
    nbformat.validate(notebook)
    return notebook


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_launch_buttons_open_the_committed_notebook(html, page):
    links, built = launch_links(html, page)
    repository = urlsplit(SETTINGS["repository"]).path.strip("/")  # ORG/REPO
    expected = page_id(page).replace(".md", ".ipynb")

    colab = re.fullmatch(rf"https://colab\.research\.google\.com/github/{repository}/blob/"
                         rf"{SETTINGS['branch']}/(.+)", links["colab"])
    assert colab and colab[1] == expected
    tracked_notebook(colab[1])

    binder = urlsplit(links["binder"])
    assert binder.path == f"/v2/gh/{repository}/{SETTINGS['branch']}"
    assert parse_qs(binder.query)["urlpath"] == [f"lab/tree/{expected}"]

    download = (built.parent / links["download"]).resolve()
    assert download.read_bytes() == (ROOT / expected).read_bytes()


# --- every notebook runs where Colab would run it (slow) ------------------------

# Colab's own versions, from one of its published snapshots: the Colab-like
# environment always gets these, whatever this build installs (the pins, or in
# the weekly run with COURSE_PACKAGES=newest the newest releases).
COLAB_REQUIREMENTS = ROOT / "tests" / "colab-requirements.txt"


def colab_versions(path=COLAB_REQUIREMENTS):
    """The header fields (source, snapshot, python) and the pins of Colab's versions file."""
    header, pins = {}, {}
    for line in path.read_text().splitlines():
        field = re.fullmatch(r"#\s*(Source|Snapshot|Python):\s*(.*)", line.strip())
        if field:
            header[field[1].lower()] = field[2]
        elif line.strip() and not line.startswith("#"):
            requirement = Requirement(line)
            (pin,) = requirement.specifier  # exactly one `==`
            assert pin.operator == "==", line
            pins[canonicalize_name(requirement.name)] = pin.version
    return header, pins


def python_version(interpreter):
    """The X.Y version of ``interpreter``, or None when it does not run (a pyenv shim may not)."""
    result = subprocess.run(
        [interpreter, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
        capture_output=True, text=True,
    )
    return result.stdout.strip() if result.returncode == 0 else None


def colab_python(version, environ=os.environ):
    """An interpreter of Colab's Python ``version`` (X.Y).

    ``$COLAB_PYTHON`` if set (and then only it); else ``pythonX.Y`` on the
    PATH (as actions/setup-python provides it); else the newest X.Y that
    pyenv installed. None found fails the test: a skip would hide, in CI,
    that the notebooks were never run on Colab's Python.
    """
    if environ.get("COLAB_PYTHON"):
        candidates = [environ["COLAB_PYTHON"]]
    else:
        pyenv = Path(environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
        releases = [path for path in pyenv.glob(f"{version}.*/bin/python{version}")
                    if re.fullmatch(rf"{re.escape(version)}\.\d+", path.parts[-3])]
        installed = sorted(releases, key=lambda path: Version(path.parts[-3]), reverse=True)
        candidates = [shutil.which(f"python{version}", path=environ.get("PATH")), *installed]
    for candidate in filter(None, candidates):
        if python_version(candidate) == version:
            return Path(candidate)
    pytest.fail(f"No Python {version} (Colab's, see {COLAB_REQUIREMENTS.name}) found: set "
                f"COLAB_PYTHON to one, or put python{version} on the PATH, or install it "
                f"with pyenv; tried {[str(c) for c in candidates if c] or 'nothing'}.",
                pytrace=False)


def build_colab_like(where, interpreter, run=subprocess.run):
    """Build in ``where`` a Colab-like virtual environment of ``interpreter`` and its kernel."""
    venv = where / "venv"
    run([interpreter, "-m", "venv", venv], check=True)
    python = venv / "bin" / "python"
    start = time.perf_counter()
    run([python, "-m", "pip", "install", "--quiet", "-r", COLAB_REQUIREMENTS],
        check=True, timeout=1800)
    seconds = time.perf_counter() - start
    # dlcourse as `pip install git+...` would build it: from the committed
    # package files only, away from the checkout (a build writes next to them).
    package = where / "dlcourse-source"
    package.mkdir()
    for name in ["pyproject.toml", "README.md", "LICENSE", "dlcourse"]:
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy
        copy(ROOT / name, package / name, **({"ignore": shutil.ignore_patterns("__pycache__")}
                                            if (ROOT / name).is_dir() else {}))
    fake = where / "fake" / "google" / "colab"  # a namespace portion, beside protobuf's
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text('"""Stands in for Colab: the notebooks check for it."""\n')

    kernel = where / "jupyter" / "kernels" / "colab-like"
    kernel.mkdir(parents=True)
    (kernel / "kernel.json").write_text(json.dumps({
        # Colab's kernel imports google.colab as it starts; so does this one.
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}",
                 "--IPKernelApp.exec_lines=import google.colab"],
        "display_name": "Colab-like",
        "language": "python",
        "env": {"PYTHONPATH": str(where / "fake"), "KERAS_HOME": str(where / "keras")},
    }))
    return {"python": python, "jupyter": where / "jupyter", "package": package,
            "install_seconds": seconds}


def test_colab_versions_file_names_its_source_date_and_python():
    header, pins = colab_versions()
    assert "github.com/googlecolab/backend-info" in header["source"]
    assert "pip-freeze.txt" in header["source"]
    assert date.fromisoformat(header["snapshot"]) <= date.today()
    assert re.fullmatch(r"3\.\d+", header["python"])
    assert pins


def lesson_imports():
    """The distributions whose modules the lessons' notebooks import, and dlcourse's dependencies."""
    modules = set()
    for page in PAGES:
        for cell in read(page).cells:
            if cell.cell_type == "code":
                # IPython turns magics (`%pip`) into Python, as the kernel does.
                source = TransformerManager().transform_cell(cell.source)
                for node in ast.walk(ast.parse(source)):
                    if isinstance(node, ast.Import):
                        modules.update(alias.name.split(".")[0] for alias in node.names)
                    elif isinstance(node, ast.ImportFrom) and node.level == 0:
                        modules.add(node.module.split(".")[0])
    modules -= {*sys.stdlib_module_names, "google", "dlcourse"}
    provided = importlib.metadata.packages_distributions()
    # This build has TensorFlow's CPU-only distribution; Colab the full one.
    names = {canonicalize_name(provided[module][0]).removesuffix("-cpu") for module in modules}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names |= {canonicalize_name(Requirement(dependency).name)
              for dependency in project["dependencies"]}
    return names


def test_colab_versions_pin_every_library_the_lessons_use():
    names = lesson_imports()
    assert {"tensorflow", "keras", "numpy", "scikit-learn", "ipython"} <= names
    header, pins = colab_versions()
    missing = sorted(names - set(pins))
    assert not missing, f"{COLAB_REQUIREMENTS.name} lacks Colab's version of {missing}"
    assert {"ipykernel", "ipython"} <= set(pins)  # the kernel the notebooks run in


def test_colab_python_is_found_by_variable_path_or_pyenv(tmp_path):
    def interpreter(path, version):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"#!/bin/sh\necho {version}\n")
        path.chmod(0o755)
        return path

    old = interpreter(tmp_path / "bin" / "python3.13", "3.11")  # a shim for another version
    pyenv = tmp_path / "pyenv"
    newest = interpreter(pyenv / "versions/3.13.10/bin/python3.13", "3.13")
    interpreter(pyenv / "versions/3.13.9/bin/python3.13", "3.13")
    interpreter(pyenv / "versions/3.13.11t/bin/python3.13", "3.13")  # free-threaded: not Colab's
    environ = {"PATH": str(old.parent), "PYENV_ROOT": str(pyenv)}
    assert colab_python("3.13", environ) == newest

    on_path = interpreter(tmp_path / "path" / "python3.13", "3.13")
    assert colab_python("3.13", {**environ, "PATH": str(on_path.parent)}) == on_path

    named = interpreter(tmp_path / "named", "3.13")
    assert colab_python("3.13", {**environ, "COLAB_PYTHON": str(named)}) == named
    with pytest.raises(pytest.fail.Exception, match=r"No Python 3\.13 .* COLAB_PYTHON"):
        colab_python("3.13", {**environ, "COLAB_PYTHON": str(old)})
    with pytest.raises(pytest.fail.Exception, match=r"No Python 3\.13 "):
        colab_python("3.13", {"PATH": str(old.parent), "PYENV_ROOT": str(tmp_path / "none")})


def test_colab_like_environment_installs_colab_versions_file(tmp_path):
    commands = []
    interpreter = tmp_path / "python3.13"
    built = build_colab_like(tmp_path, interpreter,
                             run=lambda command, **options: commands.append(command))
    assert commands[0] == [interpreter, "-m", "venv", tmp_path / "venv"]
    assert commands[1][:2] == [built["python"], "-m"]
    assert commands[1][-2:] == ["-r", COLAB_REQUIREMENTS]  # and no version of this build
    assert not any("==" in str(part) for command in commands for part in command)
    kernel = json.loads((built["jupyter"] / "kernels/colab-like/kernel.json").read_text())
    assert kernel["argv"][0] == str(built["python"])


@pytest.fixture(scope="session")
def colab_like(tmp_path_factory):
    """A kernel in a clean virtual environment with Colab's Python, libraries and no dlcourse.

    ``google.colab`` exists in it, as in Colab, and dlcourse does not, so the install cell
    runs; it installs dlcourse from a copy of this checkout instead of GitHub (offline).
    """
    header, pins = colab_versions()
    built = build_colab_like(tmp_path_factory.mktemp("colab"), colab_python(header["python"]))
    print(f"\nColab-like environment (Python {header['python']}, versions of "
          f"{header['snapshot']}) installed in {built['install_seconds']:.0f} s")
    return {**built, "pins": pins}


def installed_versions(python):
    """The version of every distribution installed for ``python``."""
    listing = subprocess.run(
        [python, "-c", "import importlib.metadata as m, json; "
                       "print(json.dumps({d.name: d.version for d in m.distributions()}))"],
        capture_output=True, text=True, check=True,
    ).stdout
    return {canonicalize_name(name): version for name, version in json.loads(listing).items()}


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_notebook_runs_top_to_bottom_in_a_colab_like_environment(
    page, colab_like, monkeypatch, capsys
):
    notebook = read(page)
    install = notebook.cells[[c.cell_type for c in notebook.cells].index("code")]
    url = f"{SETTINGS['repository']}/archive/{SETTINGS['dlcourse_ref']}.zip"
    assert url in install.source
    install.source = install.source.replace(url, colab_like["package"].as_uri())

    # Afterwards, ask the same kernel where dlcourse came from.
    notebook.cells.append(nbformat.v4.new_code_cell("import dlcourse\nprint(dlcourse.__file__)"))

    monkeypatch.setenv("JUPYTER_PATH", str(colab_like["jupyter"]))
    monkeypatch.delenv("DLCOURSE_DATA", raising=False)  # Colab has the default, auto
    client = NotebookClient(notebook, kernel_name="colab-like", timeout=600,
                            resources={"metadata": {"path": str(page.parent)}})
    start = time.perf_counter()
    client.execute()  # raises CellExecutionError, with the cell, if any cell fails
    seconds = time.perf_counter() - start

    imported_from = notebook.cells[-1].outputs[0]["text"].strip()
    assert imported_from.startswith(str(colab_like["python"].parent.parent)), imported_from
    # Installing dlcourse left Colab's libraries, TensorFlow first, as they were.
    installed = installed_versions(colab_like["python"])
    changed = {name: installed.get(name) for name, version in colab_like["pins"].items()
               if installed.get(name) != version}
    assert not changed, f"the notebook replaced Colab's versions: {changed}"
    with capsys.disabled():  # the time goes into the CI log
        print(f"\n{page_id(page)}: ran in the Colab-like environment in {seconds:.1f} s")


# --- the assignable exercise notebooks --------------------------------------------

LESSONS_WITH_EXERCISES = [
    page for page, chapter in lesson_notebooks.notebook_pages(ROOT).items()
    if chapter is not None and lesson_notebooks.has_exercises(page)
]
VERSIONS = [(page, version) for page in LESSONS_WITH_EXERCISES
            for version in (lesson_notebooks.STUDENT, lesson_notebooks.SOLUTIONS)]


def exercise_notebook(page, version):
    path = lesson_notebooks.exercise_path(ROOT, page, version)
    return nbformat.read(path, as_version=nbformat.NO_CONVERT)


def checker_cells(notebook):
    return [cell for cell in notebook.cells
            if cell.cell_type == "code" and "check." in cell.source]


def test_lesson_2_has_its_exercise_notebooks_with_checkers():
    lesson_2 = ROOT / "lessons/02-neurons.md"
    assert lesson_2 in LESSONS_WITH_EXERCISES
    student = exercise_notebook(lesson_2, lesson_notebooks.STUDENT)
    assert len(checker_cells(student)) >= 8


@pytest.mark.parametrize("page", LESSONS_WITH_EXERCISES, ids=page_id)
def test_student_version_has_the_exercises_and_blanks_but_no_solutions(page):
    notebook = exercise_notebook(page, lesson_notebooks.STUDENT)
    text = "\n".join(cell.source for cell in notebook.cells)
    exercises = re.findall(r"\*\*Exercise (\d+\.\d+):", text)
    assert exercises == [f"{lesson_notebooks.notebook_pages(ROOT)[page]}.{n}"
                         for n in range(1, len(exercises) + 1)]
    assert exercises and len(exercises) == page.read_text().count("```{exercise}")
    assert "Solution to exercise" not in text
    for cell in checker_cells(notebook):
        assert "= ..." in cell.source, cell.source


@pytest.mark.parametrize("page", LESSONS_WITH_EXERCISES, ids=page_id)
def test_solution_version_has_a_solution_for_every_exercise_and_no_blanks(page):
    notebook = exercise_notebook(page, lesson_notebooks.SOLUTIONS)
    text = "\n".join(cell.source for cell in notebook.cells)
    assert text.count("**Solution to exercise") == text.count("**Exercise ")
    assert "<details>" not in text  # solutions for instructors are open
    # Every blank of the student version has its checker, answered, in the solutions.
    student = exercise_notebook(page, lesson_notebooks.STUDENT)
    assert (sum(cell.source.count("check.") for cell in checker_cells(notebook))
            == sum(cell.source.count("check.") for cell in checker_cells(student)))
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert "= ..." not in cell.source, cell.source


def test_exercises_readme_links_both_versions_of_every_lesson():
    readme = (ROOT / "exercises/README.md").read_text()
    repository = urlsplit(SETTINGS["repository"]).path.strip("/")
    for page, version in VERSIONS:
        path = lesson_notebooks.exercise_path(ROOT, page, version).relative_to(ROOT).as_posix()
        colab = (f"https://colab.research.google.com/github/{repository}/blob/"
                 f"{SETTINGS['branch']}/{path}")
        assert f"]({colab})" in readme
        tracked_notebook(path)


@pytest.mark.slow
@pytest.mark.parametrize("page, version", VERSIONS,
                         ids=lambda value: getattr(value, "name", value))
def test_exercise_notebook_runs_and_its_checkers_say_what_they_should(page, version):
    # Graded as an instructor would grade a learner's copy: every checker call
    # of the solutions says Correct!, every one of the student version Not yet.
    path = lesson_notebooks.exercise_path(ROOT, page, version)
    report = grade.grade(path)
    assert report.stopped is None and report.first_error is None, grade.format_report(report)
    checks = [check for exercise in report.exercises for check in exercise.checks]
    calls = sum(cell.source.count("check.")
                for cell in checker_cells(exercise_notebook(page, version)))
    assert len(checks) == calls
    expected = "correct" if version == lesson_notebooks.SOLUTIONS else "not yet"
    assert {check.status for check in checks} == {expected}, grade.format_report(report)
    assert len(report.exercises) == page.read_text().count("```{exercise}")


# --- every result the website quotes, from the learner's run ------------------------

GENERATED = [lesson_notebooks.notebook_path(page) for page in PAGES] + [
    lesson_notebooks.exercise_path(ROOT, page, version) for page, version in VERSIONS]
RECORDS_OR_WRITES = re.compile(r"(?<![.\w])(glue|show)\(")  # not plt.show()


def generated_id(path):
    return path.relative_to(ROOT).as_posix()


def quoted_names(cell):
    """The names of the results a result cell writes into its paragraph, in order."""
    call = ast.parse(cell.source).body[-1].value
    template = call.args[0].value
    return [field for _, field, _, _ in string.Formatter().parse(template) if field]


@pytest.mark.parametrize("path", GENERATED, ids=generated_id)
def test_no_notebook_has_a_placeholder_and_result_cells_are_hidden(path):
    # A learner reads every quoted result in the notebook, written from their own run by
    # cells whose code Jupyter folds away and Colab shows as a titled form.
    text = path.read_text()
    assert "[your result]" not in text and "\\u0000" not in text
    assert "the result on that page" not in text
    notebook = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
    for cell in notebook.cells:
        if cell.cell_type == "code" and RECORDS_OR_WRITES.search(cell.source):
            assert hidden(cell), cell.source


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_result_the_page_quotes_is_in_its_notebook(page):
    quoted = [content.split(":")[0] for content in
              re.findall(r"\{glue(?::text|:md)?\}`([^`]+)`", page.read_text())
              if "::" not in content]  # another page's result is a link
    written = [name for cell in read(page).cells
               if cell.cell_type == "code" and "import show" in cell.source
               for name in quoted_names(cell)]
    assert written == quoted


# --- a student notebook loads only what its exercises use -----------------------------


def loaded_but_unused(notebook):
    """The data-loading calls (``load_...(...)``) of a notebook whose results no exercise
    after them uses, directly or through the cells that derive from them."""
    unused = []
    for position, cell in enumerate(notebook.cells):
        if cell.cell_type != "code" or not re.search(r"\bload_\w+\(", cell.source):
            continue
        derived = lesson_notebooks.cell_names(cell.source)[1]
        used = False
        for later in notebook.cells[position + 1:]:
            if later.cell_type == "code":
                reads, binds = lesson_notebooks.cell_names(later.source)
                if "= ..." in later.source or re.match(r"\s*#", later.source):  # an answer
                    words = set(re.findall(r"\w+", later.source))
                    used = used or bool(words & derived)
                elif reads & derived:
                    derived |= binds
            elif "**Exercise" in later.source:  # names in `code` in its text
                words = set(re.findall(r"`(\w+)", later.source))
                used = used or bool(words & derived)
        if not used:
            unused.append(cell.source.splitlines()[0])
    return unused


@pytest.mark.parametrize("page", LESSONS_WITH_EXERCISES, ids=page_id)
def test_student_notebook_downloads_only_what_its_exercises_use(page):
    # A learner in Colab waits for every download the notebook starts: lesson 5's flower
    # photos are 218 MiB, for questions that need none of them.
    notebook = exercise_notebook(page, lesson_notebooks.STUDENT)
    assert loaded_but_unused(notebook) == []


def test_the_download_check_finds_data_no_exercise_uses():
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("photos = load_flower_photos()\nx_train = photos.x_train"),
        nbformat.v4.new_code_cell("mnist = load_mnist()"),
        nbformat.v4.new_code_cell("pipeline = scale(mnist.x_train)"),
        nbformat.v4.new_markdown_cell("> **Exercise 1.1: Weights**\n>\n> How many weights?"),
        nbformat.v4.new_code_cell("# Train a network on `pipeline`."),
    ])
    assert loaded_but_unused(notebook) == ["photos = load_flower_photos()"]


def test_glue_calls_are_read_from_the_code_and_f_strings_stand_for_names_of_their_form():
    source = ('%pip install x\nfrom myst_nb import glue\nglue("accuracy", 0.9)\n'
              'for key in ["loss"]:\n    glue(f"large_{key}_last", 1.0, display=False)\n'
              'glue(name, 2)  # a name in a variable says nothing of itself\n'
              'print("glue(\'in_a_string\', 3)")\n')
    patterns = {lesson_notebooks.name_pattern(call.args[0])
                for call in lesson_notebooks.glue_calls(source)}
    assert patterns == {"accuracy", "large_.+_last", None}
    assert lesson_notebooks.glue_calls("print('glue(x)')") == []


# --- a notebook is for a learner ------------------------------------------------------


def code_of(cell):
    """A code cell's Python, its IPython magics turned into calls as the kernel does."""
    return ast.parse(TransformerManager().transform_cell(cell.source))


@pytest.mark.parametrize("path", GENERATED, ids=generated_id)
def test_no_notebook_has_an_assert(path):
    # The build checks the website's wording; a learner's experiment gets a note instead.
    notebook = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert not any(isinstance(node, ast.Assert) for node in ast.walk(code_of(cell))), (
                cell.source)


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_solution_of_a_lesson_notebook_is_folded(page):
    notebook = read(page)
    solutions = [cell for cell in notebook.cells
                 if cell.metadata.get("dlcourse", {}).get("role") == "solution"]
    if lesson_notebooks.has_exercises(page) and "solution" in page.read_text():
        assert solutions
    for cell in solutions:
        number = cell.metadata["dlcourse"]["exercise"]
        if cell.cell_type == "markdown":
            assert cell.source.startswith("<details>\n<summary><b>Solution to exercise "
                                          f"{number}"), cell.source
            assert cell.source.endswith("\n</details>"), cell.source
        else:
            assert hidden(cell), cell.source
            assert cell.metadata["jupyter"]["outputs_hidden"] is True, cell.source


def test_solution_code_is_hidden_with_its_outputs_and_text_folded(tmp_path):
    convert(tmp_path, MARKED_PAGE)
    notebook = nbformat.reads(lesson_notebooks.convert(tmp_path / "page.md", tmp_path,
                                                       chapter=3), as_version=4)
    solutions = [cell for cell in notebook.cells
                 if cell.metadata.get("dlcourse", {}).get("role") == "solution"]
    assert [cell.cell_type for cell in solutions] == ["markdown", "code", "markdown"]
    text, code, discussion = solutions
    assert text.source == ("<details>\n<summary><b>Solution to exercise 3.1</b></summary>"
                           "\n\nTwo.\n\n*The solution's code is in the hidden cell below: "
                           "open it to read it.*\n\n</details>")
    assert code.source == "# @title Solution to exercise 3.1\ntotal = 2"
    assert code.metadata["cellView"] == "form"
    assert code.metadata["jupyter"] == {"source_hidden": True, "outputs_hidden": True}
    assert discussion.source == ("<details>\n<summary><b>Solution to exercise 3.2</b></summary>"
                                 "\n\nBecause.\n\n</details>")
    assert "Solutions are folded" in notebook.cells[1].source  # the preface says so


CHECKED_PAGE = """\
    ```{code-cell} ipython3
    loss = float(input_loss)
    ```

    ```{code-cell} ipython3
    :tags: [remove-cell]
    from myst_nb import glue
    glue("loss", loss, display=False)
    # The text below relies on these.
    assert loss < 1, "the loss is below 1"
    for bound in [2, 3]:
        assert (loss
                < bound), f"the loss is below {bound}"  # a comment after it
    ```

    The loss is {glue:text}`loss:.2f`.
    """


def run_with(notebook, code):
    """Run a notebook after a first cell of ``code``; return the Markdown it shows."""
    notebook.cells.insert(0, nbformat.v4.new_code_cell(code))
    NotebookClient(notebook, timeout=60, kernel_name="python3").execute()
    return [output["data"]["text/markdown"].strip() for cell in notebook.cells
            if cell.cell_type == "code" for output in cell.outputs
            if "text/markdown" in output.get("data", {})]


def test_an_assert_of_the_build_becomes_a_note_in_the_notebook(tmp_path):
    notebook = convert(tmp_path, CHECKED_PAGE)
    checks = next(cell for cell in notebook.cells if "glue(" in cell.source)
    assert checks.source.split("\n")[1:4] == [
        "from dlcourse.results import expect", "", "from dlcourse.results import glue"]
    assert 'expect(loss < 1, "the loss is below 1")' in checks.source
    assert '    expect(loss\n            < bound, f"the loss is below {bound}")' in checks.source
    assert not any(isinstance(node, ast.Assert) for node in ast.walk(code_of(checks)))

    # As on the website: the text holds, nothing is noted.
    assert run_with(copy_of(notebook), "input_loss = 0.5") == ["The loss is 0.50."]
    # A learner's experiment that the website's build would stop at: a note for each claim.
    shown = run_with(copy_of(notebook), "input_loss = 2.5")
    note = ("**Your run differs from the website's here.** The text next to this cell says "
            "that {}; in your run that is not so. That is normal (training is random, and "
            "versions differ): read the text with your own numbers.")
    assert shown == [note.format("the loss is below 1"), note.format("the loss is below 2"),
                     "The loss is 2.50."]


def copy_of(notebook):
    return nbformat.reads(nbformat.writes(notebook), as_version=4)


@pytest.mark.parametrize("body, line, message", [
    ("```{code-cell} ipython3\nx = 1\nassert x == 1\n```\n", 12,
     "an assert in a cell the notebook shows"),
    ("```{code-cell} ipython3\n:tags: [remove-cell]\nfrom myst_nb import glue\n"
     "x = 1; assert x == 1, 'x is 1'\nglue('x', x)\n```\n", 12, "an assert in this cell "
     "shares its lines"),
    ("```{code-cell} ipython3\n:tags: [remove-cell]\nfrom myst_nb import glue\n"
     "x = 1\nassert x == 1\nglue('x', x)\n```\n", 12, "give this cell's assert a message "
     "that says, in words, what the text says"),
])
def test_an_assert_a_learner_could_trip_stops_the_conversion(tmp_path, body, line, message):
    with pytest.raises(myst_markdown.ConversionError, match=rf"page\.md, line {line}: {message}"):
        convert(tmp_path, body)


# Calls that use a model's weights, and calls that give it trained ones (a model given to a
# function of the notebook that trains is trained too).
USES = {"predict", "evaluate", "predict_on_batch", "test_on_batch"}
TRAINS = {"fit", "train_on_batch", "set_weights", "load_weights"}
CONSTRUCTORS = {"Sequential", "Model"}


def makes_a_model(call, factories):
    """Whether a call makes a new, untrained Keras model: keras.Sequential(...),
    keras.Model(...), keras.applications.X(weights=None), or a function of the notebook
    that builds a model without training it."""
    function = call.func
    if isinstance(function, ast.Name):
        return function.id in factories or function.id in CONSTRUCTORS
    if not isinstance(function, ast.Attribute):
        return False
    if function.attr in CONSTRUCTORS:
        return True
    weights = next((keyword.value for keyword in call.keywords if keyword.arg == "weights"),
                   None)
    return ("applications" in ast.unparse(function) and isinstance(weights, ast.Constant)
            and weights.value is None)


def untrained_uses(notebook):
    """Where a notebook predicts with, evaluates or calls a model that no earlier cell of it
    trained: [(cell number, the code of the call)]."""
    factories, trainers, untrained, found = set(), set(), set(), []
    for number, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        for statement in code_of(cell).body:
            if isinstance(statement, ast.FunctionDef):
                calls = {node.func.attr for node in ast.walk(statement)
                         if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)}
                if makes_a_model_inside(statement, factories) and not calls & TRAINS:
                    factories.add(statement.name)
                if calls & TRAINS:
                    trainers.add(statement.name)
                continue  # what a function does counts where it is called
            for node in ast.walk(statement):
                if not isinstance(node, ast.Call):
                    continue
                function = node.func
                if isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name):
                    name = function.value.id
                    if function.attr in USES and name in untrained:
                        found.append((number, ast.unparse(node)))
                elif isinstance(function, ast.Name) and function.id in untrained:
                    found.append((number, ast.unparse(node)))
            for node in ast.walk(statement):
                if not isinstance(node, ast.Call):
                    continue
                if (isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name)
                        and node.func.attr in TRAINS):
                    untrained.discard(node.func.value.id)
                elif isinstance(node.func, ast.Name) and node.func.id in trainers:
                    untrained.difference_update(argument.id for argument in node.args
                                                if isinstance(argument, ast.Name))
            if isinstance(statement, ast.Assign):
                for target in statement.targets:
                    for node in ast.walk(target):
                        if isinstance(node, ast.Name):
                            untrained.discard(node.id)
                            if (isinstance(target, ast.Name) and isinstance(statement.value,
                                                                           ast.Call)
                                    and makes_a_model(statement.value, factories)):
                                untrained.add(node.id)
    return found


def makes_a_model_inside(function, factories):
    return any(isinstance(node, ast.Call) and makes_a_model(node, factories)
               for node in ast.walk(function))


@pytest.mark.parametrize("page, version", VERSIONS,
                         ids=lambda value: getattr(value, "name", value))
def test_exercise_notebooks_train_every_model_they_use(page, version):
    notebook = exercise_notebook(page, version)
    assert not untrained_uses(notebook)


def test_a_model_used_before_any_cell_trains_it_is_found():
    cells = [nbformat.v4.new_code_cell(source) for source in [
        "def make_cnn():\n    return keras.Sequential([keras.layers.Dense(2)])",
        "model = make_cnn()\nother = keras.applications.MobileNetV2(weights=None)",
        "probabilities = model.predict(x)",  # exercise 3.6 as it was: never trained
        "model.fit(x, y)\nmodel.evaluate(x, y)",
        "scores = other(x)",
        "pretrained = keras.applications.MobileNetV2(weights='imagenet')\npretrained(x)",
        "model = make_cnn()\nmodel.compile(loss='mse')\n_, accuracy = model.evaluate(x, y)",
        "def train(model):\n    return model.fit(x, y)",
        "model = make_cnn()\nhistory = train(model)\nmodel.predict(x)",
        "model = make_cnn()\nshow(model)\nmodel.predict(x)",
    ]]
    found = untrained_uses(nbformat.v4.new_notebook(cells=cells))
    assert found == [(2, "model.predict(x)"), (4, "other(x)"), (6, "model.evaluate(x, y)"),
                     (9, "model.predict(x)")]

"""Runnable Jupyter notebooks made from the lesson pages: for Colab, Binder, download, and
assignable exercises.

Every page of the table of contents that is a MyST Markdown notebook (it has a
``kernelspec``) gets a plain ``.ipynb`` beside it, for example
``lessons/01-introduction.ipynb``. The theme's launch buttons open that file
when it exists, and the build copies it behind the download button. In it:

- a first code cell installs ``dlcourse`` from the repository, in Colab only;
- the page's Markdown, translated by :mod:`myst_markdown` into plain Markdown that
  Jupyter and Colab render: boxes become quotes, solutions fold away in
  ``<details>``, cross-references become text or links, images are embedded;
- results quoted with ``glue`` come from the learner's own run: the cells
  tagged ``remove-cell`` that call ``glue`` stay, with ``dlcourse.results``'
  ``glue`` in place of myst-nb's, and each paragraph that quotes a result
  becomes a code cell that writes it with the values of the run (see
  :meth:`Converter.result_cell`); both kinds of cells show only their output, in
  Jupyter (``source_hidden``) and in Colab (form view); other ``remove-cell``
  cells are left out.

Each numbered lesson with exercises also gets two assignable notebooks, made
from the same page so that they cannot drift apart:

- ``exercises/student/NAME.ipynb``: the exercises, the cells tagged
  ``exercise-setup`` that they need, and the cells tagged ``answer`` (blanks,
  ``...``, followed by a checker call);
- ``exercises/solutions/NAME.ipynb``: the same exercises with their solutions
  (``{solution}`` blocks, and everything between ``solution-start`` and
  ``solution-end``, code included) instead of the blanks.

This module routes the cells: jupytext splits the page into cells, the translator
turns each Markdown cell into blocks and paragraphs, and :class:`Converter` decides
which notebook gets which of them and marks the exercises' cells in their metadata
for ``dlcourse.grade``. The table of the exercise notebooks in
``exercises/README.md`` is written here too.

Syntax that the translator does not know stops the conversion with an error that
names the file and the line, rather than leaking raw directives into a notebook.

Usage, from the repository root (the book build only checks, and warns of stale files)::

    python _ext/lesson_notebooks.py          # write the notebooks that changed
    python _ext/lesson_notebooks.py --check  # list those that are out of date
"""

import ast
import builtins
import itertools
import re
import sys
from pathlib import Path

import nbformat
import yaml
from jupytext.myst import myst_to_notebook

from dlcourse.grade import WRITTEN_ANSWER
from myst_markdown import FIELDS, ConversionError, Translator, folded, section_titles

ROOT = Path(__file__).resolve().parent.parent

MYST_GLUE = "from myst_nb import glue"
NOTEBOOK_GLUE = "from dlcourse.results import glue"
GLUE_TITLE = "Keep this run's results for the text"
RESULT_TITLE = "Text with the results of your run"

INSTALL_CELL = """\
# The course's helper package, dlcourse. Binder and the course's own installation
# have it; where it is missing (Colab, Kaggle, your own Jupyter), install it from
# the course's repository, at {dlcourse_ref}, beside the libraries already there.
import importlib.util

if importlib.util.find_spec("keras") is None:
    raise ModuleNotFoundError("This Jupyter has no Keras: start Jupyter from the course's "
                              "environment (see the setup page), or use Colab.")
if importlib.util.find_spec("dlcourse") is None:
    %pip install --quiet "dlcourse @ {archive}"
    importlib.invalidate_caches()
    if importlib.util.find_spec("dlcourse") is None:
        raise ModuleNotFoundError("dlcourse could not be installed: see pip's message above "
                                  "(on Kaggle, turn on Internet in the notebook's settings).")
"""


def course_settings(root=ROOT):
    """Repository, branch, site address, and the ref that notebooks install dlcourse from,
    from the one place that sets them: ``_config.yml``."""
    config = yaml.safe_load((root / "_config.yml").read_text())
    repository = config["repository"]["url"].rstrip("/")
    branch = config["repository"].get("branch", "main")
    ref = config["repository"].get("dlcourse_ref", branch)
    return {
        "repository": repository,
        "branch": branch,
        "site": config["html"]["baseurl"].rstrip("/") + "/",
        "dlcourse_ref": ref,
        # GitHub's archive of the ref: pip installs it without git, which many laptops lack.
        "archive": f"{repository}/archive/{ref}.zip",
    }


def toc_documents(root=ROOT):
    """The document names in ``_toc.yml`` in order (globs left out), each with its lesson
    number if it is in a numbered part, else None."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    found = [(toc["root"], None)]

    def walk(entries, numbered):
        for entry in entries:
            if "file" in entry:
                count = sum(1 for _, number in found if number is not None)
                found.append((entry["file"], count + 1 if numbered else None))
            walk(entry.get("sections", []), False)  # only lessons are numbered

    for part in toc.get("parts", [{"chapters": toc.get("chapters", [])}]):
        walk(part.get("chapters", []), bool(part.get("numbered")))
    return found


def notebook_pages(root=ROOT):
    """The MyST notebooks among the table of contents' pages: {path of the .md: lesson number}."""
    pages = {}
    for name, number in toc_documents(root):
        path = root / f"{name}.md"
        if path.exists() and "kernelspec:" in path.read_text().split("\n---", 1)[0]:
            pages[path] = number
    return pages


def notebook_path(page):
    return page.with_suffix(".ipynb")


LESSON, STUDENT, SOLUTIONS = "lesson", "student", "solutions"
# Tags that only say which notebook a cell goes to.
ROUTING_TAGS = {"answer", "exercise-setup"}
# What a cell of an exercise is, in its metadata: see Converter.mark.
EXERCISE_ROLES = ("exercise", "answer", "solution")


class Converter:
    """Routes the cells of one MyST page into one version of its notebook (lesson, student or
    solutions); :class:`myst_markdown.Translator` translates their Markdown."""

    def __init__(self, page, root, settings, chapter=None, version=LESSON):
        self.page, self.root, self.settings = page, root, settings
        self.chapter, self.version = chapter, version
        self.docname = page.relative_to(root).with_suffix("").as_posix()
        text = page.read_text(encoding="utf-8")
        self.source = myst_to_notebook(text, add_source_map=True)
        self.lines = cell_lines(self.source, text)
        self.translator = Translator(
            page, root, settings, chapter, open_solutions=version == SOLUTIONS,
            metadata=self.source.metadata,
            titles=section_titles(cell.source for cell in self.source.cells
                                  if cell.cell_type == "markdown"))
        # What the version-independent cells need to be checked per version:
        self.records = {}  # glue cell -> patterns of the names it records
        self.quotes = {}  # result cell -> (the names of the results it quotes, its line)
        self.expects = set()  # glue cells whose asserts became notes (dlcourse.results.expect)

    def fail(self, line, message):
        raise ConversionError(self.translator.path, line, message)

    # --- the page as cells --------------------------------------------------

    def items(self):
        """The page's cells in order, as (kind, source cell number, cell).

        The kind says which notebooks keep a cell: "lesson" (the lesson notebook
        only), "setup" and "exercise" (all), "answer" (student), "solution"
        (lesson and solutions).
        """
        items, in_solution, solution_line = [], False, None
        for index, (cell, line) in enumerate(zip(self.source.cells, self.lines)):
            tags = cell.metadata.get("tags", [])
            kind = ("solution" if in_solution else "answer" if "answer" in tags
                    else "setup" if "exercise-setup" in tags else "lesson")
            if "remove-cell" in tags:
                if cell.cell_type == "code" and (glue_calls(cell.source)
                                                 or "glue" in cell_names(cell.source)[1]):
                    items.append((kind, index, self.mark(self.glue_cell(cell.source, line), kind)))
                continue
            if cell.cell_type == "code":
                if assertions(cell.source):
                    self.fail(line, "an assert in a cell the notebook shows: a learner's own "
                                    "experiment could trip it; put the build's check in a "
                                    "cell tagged remove-cell that calls glue, where the "
                                    "notebook turns it into a note")
                kept = [tag for tag in tags if tag not in ROUTING_TAGS]
                items.append((kind, index, self.mark(nbformat.v4.new_code_cell(
                    cell.source, metadata={"tags": kept} if kept else {}), kind)))
                # The caption that the website shows under the cell's figure.
                caption = cell.metadata.get("mystnb", {}).get("figure", {}).get("caption")
                if caption:
                    items.append((kind, index, self.mark(nbformat.v4.new_markdown_cell(
                        self.translator.caption(caption)), kind)))
                continue
            if cell.cell_type != "markdown":
                continue
            for name, where, paragraphs in self.translator.blocks(cell.source, line):
                if name == "solution-start":
                    in_solution, solution_line = True, where
                kind = ("exercise" if name == "exercise"
                        else "solution" if in_solution or name == "solution" else "lesson")
                in_solution = in_solution and name != "solution-end"
                # A box stays whole; plain text is split so that only the paragraphs
                # that quote results become result cells. Paragraphs without results
                # in a row stay one Markdown cell.
                for quotes, group in itertools.groupby(
                        paragraphs, key=lambda paragraph: bool(FIELDS.search(paragraph[1]))):
                    if quotes:
                        items.extend((kind, index, self.mark(self.result_cell(text, at), kind))
                                     for at, text in group)
                        continue
                    markdown = nbformat.v4.new_markdown_cell(
                        "\n\n".join(text for _, text in group))
                    attachments = self.translator.attachments(markdown.source)
                    if attachments:
                        markdown.attachments = attachments
                    if markdown.source.strip():
                        items.append((kind, index, self.mark(markdown, kind)))
        if in_solution:
            self.fail(solution_line, "this solution-start has no solution-end after it")
        return items

    def mark(self, cell, kind):
        """Say in the cell's metadata what it is to the exercises, for ``dlcourse.grade``:
        ``{"exercise": "2.4", "role": "answer"}``, the exercise's statement with its
        title, or ``{"role": "setup"}`` for the lesson code that the exercises need."""
        if kind == "setup":
            cell.metadata["dlcourse"] = {"role": "setup"}
        elif kind in EXERCISE_ROLES:
            number = self.translator.current
            cell.metadata["dlcourse"] = {"exercise": number, "role": kind}
            if kind == "exercise":
                cell.metadata["dlcourse"]["title"] = self.translator.exercise_titles[number]
        return cell

    # --- results of the run -------------------------------------------------

    def glue_cell(self, source, line):
        """A cell that records results with ``glue``: the same code, with a ``glue`` that
        needs no myst-nb (Colab has none)."""
        source = source.replace(MYST_GLUE, NOTEBOOK_GLUE)
        if "myst_nb" in source:
            self.fail(line, f"a cell that calls glue uses myst_nb for more than `{MYST_GLUE}`")
        try:
            notes = notes_for_assertions(source)
        except ValueError as error:
            self.fail(line, str(error))
        cell = hidden_cell(GLUE_TITLE, notes)
        self.records[id(cell)] = [pattern for call in glue_calls(source)
                                  if (pattern := name_pattern(call.args[0]))]
        if notes != source:
            self.expects.add(id(cell))
        return cell

    def result_cell(self, paragraph, line):
        """A paragraph that quotes results, as a cell that writes it with the values of the
        run, each formatted as the page formats it (``{accuracy:.1%}``)."""
        if self.translator.attachments(paragraph):
            self.fail(line, "an image is in a paragraph that quotes a result; give it a "
                            "paragraph of its own")
        pieces = FIELDS.split(paragraph)  # text, field, text, field, ..., text
        template = "".join(piece.replace("{", "{{").replace("}", "}}") if even % 2 == 0
                           else "{" + piece + "}" for even, piece in enumerate(pieces))
        simple = '"""' not in template and not template.endswith(('"', "\\"))
        literal = f'r"""\n{template}\n"""' if simple else repr(template)
        cell = hidden_cell(RESULT_TITLE,
                           f"from dlcourse.results import show\n\nshow({literal})")
        self.quotes[id(cell)] = ({field.split(":", 1)[0] for field in pieces[1::2]}, line)
        return cell

    def results_available(self, cells):
        """The cells with every quoted result computed before it is quoted.

        An exercise notebook has only part of the lesson: a cell that records results
        with names that no earlier cell of it defines is left out, and a paragraph that
        quotes a result no cell of it records points to the lesson instead. In the lesson
        itself, such a paragraph is a mistake in the lesson.
        """
        kept, defined, recorded = [], set(dir(builtins)), []
        for cell in cells:
            if id(cell) in self.records:
                reads, binds = cell_names(cell.source)
                if self.version != LESSON and reads - binds - defined - {"glue", "expect"}:
                    continue
                # The lesson imports glue in a cell of its own; expect is the notebook's.
                imports = (["expect"] if id(cell) in self.expects else []) + (
                    ["glue"] if "glue" not in defined | binds else [])
                if imports:
                    title, _, code = cell.source.partition("\n")
                    cell.source = (f"{title}\nfrom dlcourse.results import "
                                   f"{', '.join(imports)}\n\n{code}")
                recorded += self.records[id(cell)]
            quoted, line = self.quotes.get(id(cell), (set(), None))
            missing = sorted(name for name in quoted
                             if not any(re.fullmatch(pattern, name) for pattern in recorded))
            if missing and self.version == LESSON:
                self.fail(line, f"the text quotes {', '.join(missing)} before any cell calls "
                                "glue for it")
            if missing:
                cell = nbformat.v4.new_markdown_cell(
                    "*Here the lesson quotes results of cells that this notebook leaves out: "
                    f"read it [in the lesson]({self.settings['site']}{self.docname}.html).*")
            if cell.cell_type == "code":
                defined |= cell_names(cell.source)[1]
            kept.append(cell)
        return kept

    # --- the notebooks ------------------------------------------------------

    def notebook(self):
        items = self.items()
        title = self._title(items)
        if self.version == LESSON:
            cells = merge_markdown(items)
        else:
            cells = self._exercise_cells(items)
        cells = self.results_available(cells)
        if self.version == LESSON:
            fold_solutions(cells)
        install = INSTALL_CELL.format(**self.settings).rstrip("\n")
        cells = [nbformat.v4.new_markdown_cell(title),
                 nbformat.v4.new_markdown_cell(self.preface()),
                 nbformat.v4.new_code_cell(install)] + cells
        for number, cell in enumerate(cells):
            cell.id = f"cell-{number}"  # stable ids: regeneration changes nothing
        notebook = nbformat.v4.new_notebook(
            cells=cells,
            metadata={
                "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                "language_info": {"name": "python"},
            },
        )
        nbformat.validate(notebook)
        return notebook

    def _title(self, items):
        """Take the page's title out of its first cell and number it as the website does."""
        first = items[0][2] if items else None
        if first is None or first.cell_type != "markdown" or not first.source.startswith("# "):
            self.fail(self.lines[0] if self.lines else 1,
                      "the page must start with its title, a line beginning with '# '")
        heading, _, rest = first.source.partition("\n")
        first.source = rest.strip("\n")
        if not first.source:
            items.pop(0)
        title = heading[2:].strip()
        self.title = f"{self.chapter}. {title}" if self.chapter else title
        prefix = {LESSON: "", STUDENT: "Exercises: ", SOLUTIONS: "Solutions: "}[self.version]
        return f"# {prefix}{self.title}"

    def _exercise_cells(self, items):
        keep = {"setup", "exercise", "answer" if self.version == STUDENT else "solution"}
        cells, previous_kind = [], None
        for position, (kind, _, cell) in enumerate(items):
            if kind not in keep:
                continue
            if (kind == previous_kind == "solution" and cell.cell_type == "markdown"
                    and cells[-1].cell_type == "markdown"
                    and cells[-1].metadata == cell.metadata):
                cells[-1].source += "\n\n" + cell.source  # a solution's heading and its text
            else:
                cells.append(cell)
            previous_kind = kind
            following = next((later for later, _, _ in items[position + 1:]
                              if later in {"answer", "exercise", "setup"}), None)
            if self.version == STUDENT and kind == "exercise" and following != "answer":
                number = cell.metadata["dlcourse"]["exercise"]
                cells.append(nbformat.v4.new_markdown_cell(WRITTEN_ANSWER, metadata={
                    "dlcourse": {"exercise": number, "role": "answer"}}))
        return cells

    def preface(self):
        source = self.page.relative_to(self.root).as_posix()
        page = f"{self.settings['site']}{self.docname}.html"
        if self.version == LESSON:
            lines = [f"*Introduction to Deep Learning*: this notebook is the lesson "
                     f"[on the course website]({page}), ready to run. Run the cells from top "
                     "to bottom, starting with the one below."]
            if self.translator.uses_glue:
                lines.append("Where the website quotes a result of its own run, a hidden cell "
                             "writes the text with the result of yours: run the cells in order.")
            if self.translator.has_solutions:
                lines.append("Solutions are folded: try each exercise first, then click "
                             "**Solution to exercise …** to read one; its code is in the "
                             "hidden cell below it. *Run all* runs the solutions too: run the "
                             "cells one by one as you go instead.")
        elif self.version == STUDENT:
            lines = [f"*Introduction to Deep Learning*: the exercises of the lesson "
                     f"[{self.title}]({page}). Run the cells from top to bottom, starting with "
                     "the one below.",
                     "Where a cell has `...`, replace it with your answer and run the cell: the "
                     "checker in it says *Correct!* or gives you a hint. Write the answers to the "
                     "other exercises in the cells below them."]
        else:
            lines = [f"*Introduction to Deep Learning*: the exercises of the lesson "
                     f"[{self.title}]({page}) with their solutions, for instructors. Every "
                     "checker in this notebook says *Correct!*."]
        lines.append(f"<small>Generated from `{source}` by `python _ext/lesson_notebooks.py`; "
                     "edit that file, not this notebook.</small>")
        return "\n\n".join(lines)


def merge_markdown(items):
    """Join Markdown that came from the same source cell back into one cell, keeping exercises
    and solutions apart from the text around them."""
    cells, last = [], None
    for kind, index, cell in items:
        previous = cells[-1] if cells else None
        if (previous is not None and (kind, index) == last and cell.cell_type == "markdown"
                and previous.cell_type == "markdown" and previous.metadata == cell.metadata):
            previous.source += "\n\n" + cell.source
            if "attachments" in cell:
                previous.setdefault("attachments", {}).update(cell.attachments)
        else:
            cells.append(cell)
        last = (kind, index)
    return cells


def cell_lines(notebook, text):
    """The line of the page, counted from 1, on which each cell of ``notebook`` starts; the
    notebook is ``myst_to_notebook(text, add_source_map=True)``, and this takes the source
    map out of its metadata.

    jupytext's source map gives a code cell the line of its opening fence, counted from 1,
    and a Markdown cell the line, counted from 0, that follows the cell before it.
    """
    lines, starts = text.split("\n"), []
    for cell, start in zip(notebook.cells, notebook.metadata.pop("source_map")):
        if cell.cell_type == "markdown":
            while lines[start] == "":  # jupytext drops the empty lines that start a cell
                start += 1
            start += 1
        starts.append(start)
    return starts


def code_tree(source):
    """A code cell's syntax tree, its IPython magics (``%pip``, ``!ls``) read as ``pass``."""
    return ast.parse(re.sub(r"^([ \t]*)[%!].*$", r"\1pass", source, flags=re.MULTILINE))


def glue_calls(source):
    """The calls ``glue(name, ...)`` in a code cell."""
    return [node for node in ast.walk(code_tree(source))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id == "glue" and node.args]


def name_pattern(name):
    """The result name that a glue call's first argument gives, as a regular expression: a
    name made by an f-string stands for any name of its form; None for other expressions."""
    if isinstance(name, ast.Constant) and isinstance(name.value, str):
        return re.escape(name.value)
    if isinstance(name, ast.JoinedStr):
        return "".join(re.escape(part.value) if isinstance(part, ast.Constant) else ".+"
                       for part in name.values)
    return None


def cell_names(source):
    """The names a code cell reads and the names it defines, as two sets."""
    reads, binds = set(), set()
    for node in ast.walk(code_tree(source)):
        if isinstance(node, ast.Name):
            (reads if isinstance(node.ctx, ast.Load) else binds).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            binds.add(node.name)
        elif isinstance(node, ast.arg):
            binds.add(node.arg)
        elif isinstance(node, ast.alias):
            binds.add((node.asname or node.name).split(".")[0])
    return reads, binds


def assertions(source):
    """The ``assert`` statements of a code cell."""
    return [node for node in ast.walk(code_tree(source)) if isinstance(node, ast.Assert)]


def notes_for_assertions(source):
    """A cell's code with each ``assert`` replaced by a call of ``dlcourse.results.expect``:
    where the build stops, a learner's run that differs from the website's gets a note,
    which says the assert's message. A ValueError says why not, when an assert has no
    message in words or shares a line with other code."""
    lines = source.split("\n")
    for node in sorted(assertions(source), key=lambda node: node.lineno, reverse=True):
        first, last = lines[node.lineno - 1], lines[node.end_lineno - 1]
        rest = last[node.end_col_offset:].strip()
        if first[:node.col_offset].strip() or (rest and not rest.startswith("#")):
            raise ValueError("an assert in this cell shares its lines with other code; give it "
                             "lines of its own")
        if not (isinstance(node.msg, ast.JoinedStr) or isinstance(node.msg, ast.Constant)
                and isinstance(node.msg.value, str)):
            raise ValueError("give this cell's assert a message that says, in words, what the "
                             "text says (`assert loss < 1, \"the loss is below 1\"`): the "
                             "notebook shows it to a learner whose run differs")
        test, claim = (ast.get_source_segment(source, part) for part in (node.test, node.msg))
        call = f"{first[:node.col_offset]}expect({test}, {claim})"
        lines[node.lineno - 1:node.end_lineno] = call.split("\n")
    return "\n".join(lines)


def fold_solutions(cells):
    """Fold each solution of a lesson notebook under its title: its text in ``<details>``,
    its code cells hidden with their outputs (in Jupyter, and as a titled form in Colab)."""
    started = set()
    for cell, following in zip(cells, cells[1:] + [None]):
        mark = cell.metadata.get("dlcourse", {})
        if mark.get("role") != "solution":
            continue
        title = f"Solution to exercise {mark['exercise']}"
        if cell.cell_type == "markdown":
            summary = f"{title} (continued)" if mark["exercise"] in started else title
            text = cell.source
            if following is not None and following.cell_type == "code" and (
                    following.metadata.get("dlcourse") == mark):
                text += "\n\n*The solution's code is in the hidden cell below: open it to read it.*"
            cell.source = folded(summary, text)
        else:
            if not cell.source.startswith("# @title"):
                cell.source = f"# @title {title}\n{cell.source}"
            cell.metadata["cellView"] = "form"
            cell.metadata["jupyter"] = {"source_hidden": True, "outputs_hidden": True}
        started.add(mark["exercise"])


def hidden_cell(title, source):
    """A code cell that shows only its output: folded in Jupyter, a titled form in Colab."""
    return nbformat.v4.new_code_cell(
        f"# @title {title}\n{source}",
        metadata={"cellView": "form", "jupyter": {"source_hidden": True}},
    )


def convert(page, root=ROOT, version=LESSON, chapter=None):
    """One version of a MyST page's notebook, as ``nbformat`` text."""
    page, root = Path(page).resolve(), Path(root).resolve()
    if chapter is None:
        chapter = notebook_pages(root).get(page)
    converter = Converter(page, root, course_settings(root), chapter, version)
    return nbformat.writes(converter.notebook(), version=4) + "\n"


def has_exercises(page):
    return "{exercise}" in page.read_text()


def exercise_path(root, page, version):
    return root / "exercises" / version / page.with_suffix(".ipynb").name


TABLE_START = ("<!-- Written by `python _ext/lesson_notebooks.py`: "
               "edit the lessons, not this table. -->")
TABLE_END = "<!-- End of the written table. -->"


def exercise_table(root, lessons):
    """The table of assignable notebooks in exercises/README.md: Colab and GitHub links."""
    settings = course_settings(root)
    repository, branch = settings["repository"], settings["branch"]
    colab = "https://colab.research.google.com/github/" + repository.split("github.com/", 1)[-1]
    rows = ["| Lesson | Student version | Solutions |", "| --- | --- | --- |"]
    for page, chapter in lessons.items():
        title = page.read_text().split("\n# ", 1)[1].split("\n", 1)[0].strip()
        links = []
        for version in (STUDENT, SOLUTIONS):
            path = exercise_path(root, page, version).relative_to(root).as_posix()
            links.append(f"[Colab]({colab}/blob/{branch}/{path}) · "
                         f"[file]({repository}/blob/{branch}/{path})")
        rows.append(f"| {chapter}. {title} | {links[0]} | {links[1]} |")
    return "\n".join([TABLE_START, "", *rows, "", TABLE_END])


def generated_files(root=ROOT):
    """Every file this module writes, with the text it should have now: {path: text}."""
    root = Path(root).resolve()
    pages = notebook_pages(root)
    files = {notebook_path(page): convert(page, root, LESSON, chapter)
             for page, chapter in pages.items()}
    lessons = {page: chapter for page, chapter in pages.items()
               if chapter is not None and has_exercises(page)}
    for page, chapter in lessons.items():
        for version in (STUDENT, SOLUTIONS):
            files[exercise_path(root, page, version)] = convert(page, root, version, chapter)
    readme = root / "exercises" / "README.md"
    if readme.exists():
        text = readme.read_text()
        if TABLE_START in text and TABLE_END in text:
            before, rest = text.split(TABLE_START, 1)
            after = rest.split(TABLE_END, 1)[1]
            files[readme] = before + exercise_table(root, lessons) + after
    return files


def stale_files(root=ROOT):
    """The generated files that are missing or differ from what the lessons give now."""
    return {path: text for path, text in generated_files(root).items()
            if not path.exists() or path.read_text() != text}


def write_notebooks(root=ROOT):
    """Write every generated file that changed; return the paths written."""
    written = []
    for path, text in stale_files(root).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        written.append(path)
    return written


def main(arguments):
    root = Path.cwd()
    if not (root / "_toc.yml").exists():
        sys.exit("Run this from the repository root, where _toc.yml is.")
    try:
        if arguments == ["--check"]:
            stale = stale_files(root)
            for path in stale:
                print(f"{path.relative_to(root.resolve())} is out of date")
            if stale:
                sys.exit("Regenerate them with: python _ext/lesson_notebooks.py")
            print("Every notebook made from the lessons is up to date.")
        elif not arguments:
            for path in write_notebooks(root):
                print(f"wrote {path.relative_to(root.resolve())}")
        else:
            sys.exit("usage: python _ext/lesson_notebooks.py [--check]")
    except ConversionError as error:
        sys.exit(str(error))


if __name__ == "__main__":
    main(sys.argv[1:])

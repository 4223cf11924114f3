"""Runnable Jupyter notebooks of the lesson pages, for Colab, Binder and download.

Every page of the table of contents that is a MyST Markdown notebook (it has a
``kernelspec``) gets a plain ``.ipynb`` beside it, for example
``lessons/01-introduction.ipynb``. The theme's launch buttons open that file
when it exists, and the build copies it behind the download button. In it:

- a first code cell installs ``dlcourse`` from the repository, in Colab only;
- MyST-only syntax becomes plain Markdown that Jupyter and Colab render:
  boxes become quotes, solutions fold away in ``<details>``, glued numbers
  point at the learner's own output, cross-references become text or links;
- cells tagged ``remove-cell`` (book machinery such as ``glue``) are left out;
- local images are embedded, so the notebook needs nothing else.

Syntax this module does not know stops the conversion with an error that names
the file and the line, rather than leaking raw directives into a notebook.

Usage, from the repository root (the book build runs it too)::

    python _ext/lesson_notebooks.py          # write the notebooks
    python _ext/lesson_notebooks.py --check  # list those that are out of date
"""

import base64
import mimetypes
import re
import sys
from pathlib import Path

import jupytext
import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent

DIRECTIVE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|:{3,})\{(?P<name>[a-z][\w:-]*)\}[ \t]*(?P<argument>.*)$"
)
CODE_FENCE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})(?!.*\{)")
OPTION = re.compile(r"^:(?P<key>[\w-]+):[ \t]*(?P<value>.*)$")
TARGET = re.compile(r"^\((?P<label>[\w.:-]+)\)=[ \t]*$")
ROLE = re.compile(r"\{(?P<name>[a-z][\w:-]*)\}`(?P<content>[^`]+)`")
IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<path>[^)\s]+)\)")
LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)\)")
EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$")

# The admonitions Sphinx knows; each becomes a quote with its title in bold.
ADMONITIONS = {
    "admonition", "attention", "caution", "danger", "error", "hint", "important",
    "note", "seealso", "tip", "warning",
}
GLUED = "*[your result]*"

INSTALL_CELL = """\
# Colab has TensorFlow, Keras and the other libraries this course uses, but not
# its helper package, dlcourse: install it there, and only there. Binder and a
# local installation already have it; the course website does not run this cell.
import sys

if "google.colab" in sys.modules:
    %pip install --quiet "dlcourse @ git+{repository}@{branch}"
"""


class ConversionError(ValueError):
    """A lesson uses syntax that has no plain-Markdown form here yet."""


def course_settings(root=ROOT):
    """Repository, branch and site address, from the one place that sets them: ``_config.yml``."""
    config = yaml.safe_load((root / "_config.yml").read_text())
    return {
        "repository": config["repository"]["url"].rstrip("/"),
        "branch": config["repository"].get("branch", "main"),
        "site": config["html"]["baseurl"].rstrip("/") + "/",
    }


def toc_documents(root=ROOT):
    """The document names in ``_toc.yml``, in order (globs left out)."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    found = [toc["root"]]

    def walk(entries):
        for entry in entries:
            if "file" in entry:
                found.append(entry["file"])
            walk(entry.get("sections", []))
            walk(entry.get("chapters", []))

    walk(toc.get("parts", []) + toc.get("chapters", []))
    return found


def notebook_pages(root=ROOT):
    """The MyST notebooks among the table of contents' pages, as paths to their ``.md``."""
    pages = []
    for name in toc_documents(root):
        path = root / f"{name}.md"
        if path.exists() and "kernelspec:" in path.read_text().split("\n---", 1)[0]:
            pages.append(path)
    return pages


def notebook_path(page):
    return page.with_suffix(".ipynb")


class Converter:
    """Turns one MyST page into a notebook; keeps what later cells refer back to."""

    def __init__(self, page, root, settings):
        self.page, self.root, self.settings = page, root, settings
        self.docname = page.relative_to(root).with_suffix("").as_posix()
        self.exercises = {}  # label -> number
        self.titles = self._titles()
        self.attachments = {}
        self.uses_glue = False
        self.has_solutions = False

    def _titles(self):
        """Section titles by their ``(label)=`` targets, for bare ``{ref}`` roles."""
        titles, lines = {}, self.page.read_text().splitlines()
        for line, following in zip(lines, lines[1:]):
            target = TARGET.match(line)
            if target and following.startswith("#"):
                titles[target["label"]] = following.lstrip("#").strip()
        return titles

    def fail(self, message, text=""):
        where = self.page.relative_to(self.root).as_posix()
        if text:
            lines = self.page.read_text().splitlines()
            first = text.strip().splitlines()[0] if text.strip() else ""
            number = next((i + 1 for i, line in enumerate(lines) if first and first in line), None)
            where += f", line {number}" if number else ""
        raise ConversionError(f"{where}: {message}")

    # --- blocks -------------------------------------------------------------

    def markdown(self, text):
        lines, out, i = text.split("\n"), [], 0
        while i < len(lines):
            line = lines[i]
            directive, code = DIRECTIVE.match(line), CODE_FENCE.match(line)
            if directive:
                end = self._closing(lines, i, directive["fence"])
                indent = directive["indent"]  # a directive inside a list item stays there
                body = [line.removeprefix(indent) for line in lines[i + 1:end]]
                block = self.directive(directive["name"], directive["argument"].strip(), body)
                out.extend(indent + line if line else line for line in block.split("\n"))
                i = end + 1
            elif code:
                end = self._closing(lines, i, code["fence"])
                out.extend(lines[i:end + 1])  # code is shown as written
                i = end + 1
            elif TARGET.match(line):
                i += 1  # a label for cross-references; nothing to show
            else:
                out.append(self.inline(line))
                i += 1
        return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n")

    def _closing(self, lines, start, fence):
        for end in range(start + 1, len(lines)):
            stripped = lines[end].strip()
            if stripped and set(stripped) == {fence[0]} and len(stripped) >= len(fence):
                return end
        self.fail(f"the block opened by {lines[start]!r} is never closed", lines[start])

    def directive(self, name, argument, body):
        options, body = self._options(body)
        classes = options.get("class", "").split()
        content = self.markdown("\n".join(body))
        if name in ADMONITIONS:
            title = argument or name.capitalize()
            if "dropdown" in classes:
                return folded(title, content)
            return quoted(title, content)
        if name == "exercise":
            number = len(self.exercises) + 1
            self.exercises[options.get("label", f"exercise-{number}")] = number
            return quoted(f"Exercise {number}: {argument}" if argument else f"Exercise {number}",
                          content)
        if name == "solution":
            self.has_solutions = True
            return folded(f"Solution to exercise {self._exercise(argument)}", content)
        if name == "solution-start":
            self.has_solutions = True
            return (f"**Solution to exercise {self._exercise(argument)}**: try the exercise "
                    "yourself before you read on.")
        if name == "solution-end":
            return "*End of the solution.*"
        if name in {"figure", "image"}:
            return self.figure(argument, options, content)
        if name == "math":
            return f"$$\n{chr(10).join(body).strip()}\n$$"
        if name in {"code-block", "code", "sourcecode"}:
            return f"```{argument}\n" + "\n".join(body) + "\n```"
        self.fail(f"the directive {{{name}}} has no notebook form; add one to "
                  "_ext/lesson_notebooks.py", f"{{{name}}}")

    def _options(self, body):
        options = {}
        if body and body[0].strip() == "---":
            end = body.index("---", 1)
            return yaml.safe_load("\n".join(body[1:end])) or {}, body[end + 1:]
        while body and OPTION.match(body[0]):
            option = OPTION.match(body[0])
            options[option["key"]] = option["value"].strip()
            body = body[1:]
        return options, body

    def _exercise(self, label):
        if label not in self.exercises:
            self.fail(f"a solution refers to the exercise {label!r}, which does not come "
                      "before it", label)
        return self.exercises[label]

    def figure(self, path, options, caption):
        alt = options.get("alt", "").strip()
        if not alt:
            self.fail(f"the image {path} has no alt text", path)
        image = f"![{alt}]({self.image_source(path)})"
        return f"{image}\n\n*{caption}*" if caption else image

    def image_source(self, path):
        """An image's address in the notebook: web images as they are, local ones embedded."""
        if re.match(r"^[a-z]+://", path):
            return path
        file = (self.page.parent / path).resolve()
        if not file.is_file():
            self.fail(f"the image {path} does not exist", path)
        mime = mimetypes.guess_type(file.name)[0]
        if not mime or not mime.startswith("image/"):
            self.fail(f"{path} is not an image file", path)
        self.attachments[file.name] = {mime: base64.b64encode(file.read_bytes()).decode()}
        return f"attachment:{file.name}"

    # --- inline -------------------------------------------------------------

    def inline(self, line):
        line = ROLE.sub(self.role, line)
        line = IMAGE.sub(lambda m: f"![{m['alt']}]({self.image_source(m['path'])})", line)
        return LINK.sub(lambda m: f"[{m['text']}]({self.link(m['target'])})", line)

    def role(self, match):
        name, content = match["name"], match["content"]
        explicit = EXPLICIT.match(content)
        text, target = (explicit["text"], explicit["target"]) if explicit else (None, content)
        if name.startswith("glue"):
            self.uses_glue = True
            return GLUED
        if name == "math":
            return f"${content}$"
        if name in {"sub", "sup"}:
            return f"<{name}>{content}</{name}>"
        if name in {"term", "abbr"}:
            return text or target
        if name in {"ref", "numref"}:
            if text:
                return text.replace("%s", "")
            if target in self.exercises:
                return f"Exercise {self.exercises[target]}"
            if target in self.titles:
                return f"“{self.titles[target]}”"
            self.fail(f"give {{{name}}}`{content}` its own text: {{{name}}}`text <{content}>`",
                      content)
        if name == "doc":
            return f"[{text or target}]({self.page_url(target)})"
        if name == "download":
            return f"[{text or target}]({self.file_url(target)})"
        self.fail(f"the role {{{name}}} has no notebook form; add one to "
                  "_ext/lesson_notebooks.py", f"{{{name}}}")

    def link(self, target):
        """Links between pages go to the website; links to files go to the repository."""
        if re.match(r"^([a-z]+:|#)", target):
            return target
        path, _, anchor = target.partition("#")
        if path.endswith((".md", ".ipynb")):
            url = self.page_url(str(Path(path).with_suffix("")))
        else:
            url = self.file_url(path)
        return url + (f"#{anchor}" if anchor else "")

    def _resolve(self, path):
        """A path written in the page, relative to the repository root."""
        if path.startswith("/"):
            return path.lstrip("/")
        resolved = (self.page.parent / path).resolve()
        return resolved.relative_to(self.root.resolve()).as_posix()

    def page_url(self, path):
        return self.settings["site"] + self._resolve(path) + ".html"

    def file_url(self, path):
        settings = self.settings
        return f"{settings['repository']}/blob/{settings['branch']}/{self._resolve(path)}"

    # --- the notebook -------------------------------------------------------

    def notebook(self):
        lesson = jupytext.read(self.page, fmt="md:myst")
        cells = []
        for cell in lesson.cells:
            tags = cell.metadata.get("tags", [])
            if "remove-cell" in tags:
                continue
            if cell.cell_type == "markdown":
                cell = nbformat.v4.new_markdown_cell(self.markdown(cell.source))
                if self.attachments:
                    cell.attachments, self.attachments = self.attachments, {}
            elif cell.cell_type == "code":
                kept = {"tags": tags} if tags else {}
                cell = nbformat.v4.new_code_cell(cell.source, metadata=kept)
            else:
                continue
            if cell.source.strip():
                cells.append(cell)
        # The title, then how to use the notebook and the install cell, then the lesson.
        title = []
        if cells and cells[0].cell_type == "markdown" and cells[0].source.startswith("# "):
            heading, _, rest = cells[0].source.partition("\n")
            title = [nbformat.v4.new_markdown_cell(heading)]
            cells[0].source = rest.strip("\n")
            cells = cells if cells[0].source else cells[1:]
        install = INSTALL_CELL.format(**self.settings).rstrip("\n")
        cells = title + [nbformat.v4.new_markdown_cell(self.preface()),
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

    def preface(self):
        source = self.page.relative_to(self.root).as_posix()
        lines = [
            f"*Introduction to Deep Learning*: this notebook is the lesson "
            f"[on the course website]({self.settings['site']}{self.docname}.html), ready to run. "
            "Run the cells from top to bottom, starting with the one below.",
        ]
        if self.uses_glue:
            lines.append(f"Where the website quotes a result of its own run, this notebook writes "
                         f"{GLUED}: read it from the output of your run, just above.")
        if self.has_solutions:
            lines.append("Solutions are folded away: try each exercise first, then click to open.")
        lines.append(f"<small>Generated from `{source}` by `python _ext/lesson_notebooks.py`; "
                     "edit that file, not this notebook.</small>")
        return "\n\n".join(lines)


def quoted(title, content):
    """A box as a Markdown quote with a bold title: readable in any notebook viewer."""
    body = "\n".join(f"> {line}" if line else ">" for line in content.split("\n"))
    return f"> **{title}**\n>\n{body}" if content else f"> **{title}**"


def folded(summary, content):
    """Folded content; Jupyter, Colab and GitHub show the summary and open it on a click."""
    return f"<details>\n<summary><b>{summary}</b></summary>\n\n{content}\n\n</details>"


def convert(page, root=ROOT):
    """The runnable notebook of one MyST page, as ``nbformat`` text."""
    page = Path(page).resolve()
    notebook = Converter(page, Path(root).resolve(), course_settings(root)).notebook()
    return nbformat.writes(notebook, version=4) + "\n"


def stale_notebooks(root=ROOT):
    """The pages whose committed notebook is missing or differs from a fresh conversion."""
    return [page for page in notebook_pages(root)
            if not notebook_path(page).exists()
            or notebook_path(page).read_text() != convert(page, root)]


def write_notebooks(root=ROOT):
    """Write every page's notebook that changed; return the paths written."""
    written = []
    for page in stale_notebooks(root):
        notebook_path(page).write_text(convert(page, root))
        written.append(notebook_path(page))
    return written


def main(arguments):
    root = Path.cwd()
    if not (root / "_toc.yml").exists():
        sys.exit("Run this from the repository root, where _toc.yml is.")
    try:
        if arguments == ["--check"]:
            stale = stale_notebooks(root)
            for page in stale:
                print(f"{notebook_path(page).relative_to(root)} is out of date")
            if stale:
                sys.exit("Regenerate them with: python _ext/lesson_notebooks.py")
            print("Every lesson notebook is up to date.")
        elif not arguments:
            for path in write_notebooks(root):
                print(f"wrote {path.relative_to(root)}")
        else:
            sys.exit("usage: python _ext/lesson_notebooks.py [--check]")
    except ConversionError as error:
        sys.exit(str(error))


if __name__ == "__main__":
    main(sys.argv[1:])

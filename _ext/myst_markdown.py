"""MyST Markdown translated into the plain Markdown that Jupyter, Colab and GitHub render.

The lessons are written in MyST, which the website renders with Sphinx; a notebook
renders CommonMark with ``$math$`` and some HTML, nothing more. A :class:`Translator`
rewrites the Markdown of one lesson for its notebooks (``lesson_notebooks.py`` decides
which cell goes into which notebook):

- directives: admonitions become quotes with a bold title, folded into ``<details>``
  when they have the class ``dropdown``; exercises are numbered as the website numbers
  them (2.1 in lesson 2); solutions get their title for instructors, or are left bare
  for the lesson notebook to fold; figures
  become embedded images with a numbered caption; ``{math}`` becomes ``$$``;
- roles: ``{term}`` and ``{abbr}`` become their text; ``{ref}`` and ``{numref}`` their
  text, or the exercise or section they name; ``{doc}`` and ``{download}`` links;
  ``{math}`` ``$...$``; ``{sub}`` and ``{sup}`` HTML; ``{glue:text}`` a field that the
  notebook fills in with the value of the learner's run (see :data:`FIELDS`);
- targets ``(label)=`` and comments ``% ...`` are left out; links to pages go to the
  website, links to files to the repository; local images are embedded.

markdown-it-py, with the mdit-py-plugins that MyST itself is built on, finds this
syntax, so that code blocks and code spans stay as they are (a role in backticks is an
example of one). The translator rewrites only the spans of the source that it
translates, placed by the tokens' line maps, and keeps everything else byte for byte
as written. Directive bodies are MyST too, and are translated the same way.

Syntax with no notebook form raises :class:`ConversionError`, with the file and the line.
"""

import base64
import itertools
import mimetypes
import re
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from markdown_it import MarkdownIt
from markdown_it.rules_inline import image, link
from mdit_py_plugins.colon_fence import colon_fence_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.myst_blocks import myst_block_plugin
from mdit_py_plugins.myst_role import myst_role_plugin
from mdit_py_plugins.myst_role.index import myst_role

# The admonitions Sphinx knows; each becomes a quote with its title in bold.
ADMONITIONS = {
    "admonition", "attention", "caution", "danger", "error", "hint", "important",
    "note", "seealso", "tip", "warning",
}
GLUE_ROLES = {"glue", "glue:text", "glue:md"}  # those that put a value in the text
# A result quoted with glue, in translated text ("\x00accuracy:.1%\x00"), until the
# paragraph becomes a cell that writes it with the value of the learner's run.
FIELDS = re.compile("\x00([^\x00]*)\x00")
# Blocks kept whole: a blank line inside one ends no paragraph.
WHOLE_BLOCKS = {"fence", "colon_fence", "code_block", "math_block", "math_block_label",
                "html_block"}
# MyST lines that a notebook has nothing to show for: targets and comments.
UNSHOWN = {"myst_target", "myst_line_comment"}


class ConversionError(ValueError):
    """A lesson uses syntax that has no plain-Markdown form here yet."""

    def __init__(self, path, line, message):
        super().__init__(f"{path}, line {line}: {message}")
        self.path, self.line = path, line


def located(rule):
    """An inline rule that notes in its token where the token starts and ends in the inline
    text: markdown-it gives positions to blocks only, and we rewrite the source in place."""

    def rule_that_notes_its_span(state, silent):
        start, count = state.pos, len(state.tokens)
        if not rule(state, silent):
            return False
        if not silent:
            token = next(token for token in state.tokens[count:] if token.type != "text")
            token.meta["span"] = (start, state.pos)
            if token.type in {"link_open", "image"}:
                token.meta["destination"] = destination(state, start)
        return True

    return rule_that_notes_its_span


def destination(state, start):
    """Where the destination of the link or image at ``start`` is in the inline text, and
    what it says: (start, end, target); None for a link to a reference definition."""
    is_image = state.src[start] == "!"
    label_end = state.md.helpers.parseLinkLabel(state, start + is_image, not is_image)
    position = label_end + 1
    if state.src[position:position + 1] != "(":
        return None
    position += 1
    while state.src[position] in " \t\n":
        position += 1
    found = state.md.helpers.parseLinkDestination(state.src, position, state.posMax)
    return (position, found.pos, found.str) if found.ok and found.pos > position else None


# What myst-parser parses, as the book configures it (_config.yml), less tables: left to the
# paragraph rule, a table's rows are whole lines, which places its roles by line like any
# other text's, and the notebook shows the table as written.
PARSER = (MarkdownIt("commonmark").use(myst_block_plugin).use(myst_role_plugin)
          .use(colon_fence_plugin).use(dollarmath_plugin))
for name, rule in [("myst_role", myst_role), ("link", link), ("image", image)]:
    PARSER.inline.ruler.at(name, located(rule))


def directive_of(token):
    """The name and argument of a directive, a fence whose info is ``{name} argument``; None
    for any other token."""
    info = token.info.strip()
    if token.type not in {"fence", "colon_fence"} or not info.startswith("{") or "}" not in info:
        return None
    name, _, argument = info[1:].partition("}")
    return name, argument.strip()


def code_lines(markdown):
    """The lines of ``markdown``, counted from 0, that are in code blocks, where MyST syntax
    is only an example."""
    return {number for token in PARSER.parse(markdown)
            if token.type == "code_block" or token.type == "fence" and not directive_of(token)
            for number in range(*token.map)}


def section_titles(texts):
    """Section titles by the ``(label)=`` targets before them, in Markdown ``texts``, for the
    ``{ref}`` roles that give no text of their own."""
    titles = {}
    for text in texts:
        tokens = PARSER.parse(text)
        for target, opening, heading in zip(tokens, tokens[1:], tokens[2:]):
            if target.type == "myst_target" and opening.type == "heading_open":
                titles[target.content] = heading.content
    return titles


def explicit(content):
    """A role's text and target, from content ``its text <target>``; (None, content) for
    content that is only a target."""
    text, bracket, target = content.rpartition("<")
    if bracket and len(target) > 1 and target.endswith(">") and ">" not in target[:-1]:
        return text.rstrip(), target[:-1]
    return None, content


def body_lines(token):
    """The lines between a fence's opening and closing lines (markdown-it ends the last one
    with a newline only when one follows it in the text)."""
    lines = token.content.split("\n")
    return lines[:-1] if lines[-1] == "" else lines


def indented(block, prefix):
    """``block`` in place of a directive written after ``prefix``, the indentation of a list
    item or the ``>`` of a quote; after the first line, a list marker becomes spaces."""
    following = "".join(character if character in "> \t" else " " for character in prefix)
    lines = block.split("\n")
    return "\n".join([prefix + lines[0] if lines[0] else prefix.rstrip()]
                     + [following + line if line else following.rstrip() for line in lines[1:]])


def rewritten(text, edits, start, end):
    """``text[start:end]`` with the edits (start, end, replacement) that fall in it made."""
    pieces, position = [], start
    for begin, stop, replacement in edits:
        if start <= begin and stop <= end:
            pieces += [text[position:begin], replacement]
            position = stop
    return "".join(pieces) + text[position:end]


def quoted(title, content):
    """A box as a Markdown quote with a bold title: readable in any notebook viewer."""
    body = "\n".join(f"> {line}" if line else ">" for line in content.split("\n"))
    return f"> **{title}**\n>\n{body}" if content else f"> **{title}**"


def folded(summary, content):
    """Folded content; Jupyter, Colab and GitHub show the summary and open it on a click."""
    return f"<details>\n<summary><b>{summary}</b></summary>\n\n{content}\n\n</details>"


class Translator:
    """Translates the Markdown of one MyST page, cell by cell in the page's order, and keeps
    what the page has numbered so far: exercises, figures, embedded images.

    :param page: the page's file, against which its links and images are resolved.
    :param settings: the course's ``repository``, ``branch`` and ``site`` addresses.
    :param chapter: the lesson's number, which numbers its exercises and figures (2.1).
    :param open_solutions: give each solution its title, open, for instructors; otherwise
        a solution is its bare text, which the lesson notebook folds under that title.
    :param metadata: the page's front matter: ``teaching`` and ``exercises`` minutes.
    :param titles: section titles by label (:func:`section_titles`).
    """

    def __init__(self, page, root, settings, chapter=None, open_solutions=False,
                 metadata=None, titles=None):
        self.page, self.root, self.settings = page, root, settings
        self.path = page.relative_to(root).as_posix()
        self.chapter, self.open_solutions = chapter, open_solutions
        self.metadata, self.titles = metadata or {}, titles or {}
        self.exercises = {}  # label -> number
        self.exercise_titles = {}  # number -> title
        self.current = None  # the number of the exercise translated last
        self.figures = 0
        self.images = {}  # file name -> {MIME type: base64}, for the cells' attachments
        self.opened = []  # the directives whose bodies are being translated: (name, line)
        self.uses_glue = False  # whether a text quotes a result
        self.has_solutions = False  # whether a solution came

    def fail(self, line, message):
        raise ConversionError(self.path, line, message)

    def numbered(self, number):
        """An exercise's or figure's number as the website shows it: 2.1 in lesson 2."""
        return f"{self.chapter}.{number}" if self.chapter else str(number)

    # --- texts ----------------------------------------------------------------

    def blocks(self, text, line):
        """A Markdown cell, whose first line is ``line`` of the page, translated block by block:
        (directive name, line, [(line, text)]) for each directive at its top level, and
        (None, line, paragraphs) for the text between them. Each block is translated when
        it is reached, so that :attr:`current` is the exercise it belongs to."""
        tokens = PARSER.parse(text)
        run, start = [], 0
        for token in tokens:
            directive = directive_of(token) if token.level == 0 else None
            if not directive:
                run.append(token)
                continue
            yield from self._text_block(text, run, line, start, token.map[0])
            where = line + token.map[0]
            yield directive[0], where, [(where, self.directive(token, line))]
            run, start = [], token.map[1]
        yield from self._text_block(text, run, line, start, text.count("\n") + 1)

    def _text_block(self, text, tokens, line, start, end):
        paragraphs = self.paragraphs(text, tokens, line, start, end)
        if paragraphs:
            yield None, paragraphs[0][0], paragraphs

    def markdown(self, text, line=1):
        """Markdown ``text``, whose first line is ``line`` of the page, translated."""
        paragraphs = self.paragraphs(text, PARSER.parse(text), line, 0, text.count("\n") + 1)
        return "\n\n".join(paragraph for _, paragraph in paragraphs)

    def paragraphs(self, text, tokens, line, start, end):
        """Lines ``start`` to ``end`` of ``text``, parsed into ``tokens``, translated and split
        at blank lines, so that a paragraph that quotes a result can become a cell of its
        own: [(line, paragraph)]. A paragraph that is indented continues a list item and
        stays with the one before it."""
        lines = text.split("\n")
        offsets = list(itertools.accumulate((len(part) + 1 for part in lines), initial=0))
        edits = self._edits(tokens, lines, offsets, line)
        whole = {number for token in tokens if token.type in WHOLE_BLOCKS
                 for number in range(*token.map)}
        unshown = {number for token in tokens if token.type in UNSHOWN
                   for number in range(*token.map)}

        def shown(number):
            return number in whole or lines[number].strip() != "" and number not in unshown

        paragraphs = []
        for is_shown, numbers in itertools.groupby(range(start, end), key=shown):
            numbers = list(numbers)
            if not is_shown:
                continue
            paragraph = rewritten(text, edits, offsets[numbers[0]],
                                  offsets[numbers[-1]] + len(lines[numbers[-1]]))
            if not paragraph.strip():
                continue
            if paragraphs and paragraph[:1] in {" ", "\t"}:
                first, before = paragraphs.pop()
                paragraph = f"{before}\n\n{paragraph}"
            else:
                first = line + numbers[0]
            paragraphs.append((first, paragraph))
        return paragraphs

    def _edits(self, tokens, lines, offsets, line):
        """What to replace in the text, as (start, end, replacement), in order: directives
        (those in list items and quotes too) and the roles, links and images of the text."""
        edits = []
        for token in tokens:
            if directive_of(token):
                first, last = token.map[0], token.map[1] - 1
                block = self.directive(token, line)
                prefix = lines[first][:lines[first].index(token.markup)]
                edits.append((offsets[first], offsets[last] + len(lines[last]),
                              indented(block, prefix)))
            elif token.type == "inline":
                edits += self._inline_edits(token, lines, offsets, line)
        return sorted(edits)

    def _inline_edits(self, token, lines, offsets, line):
        """The edits of an inline token, the text of a paragraph or a heading."""
        children = [child for child in token.children if "span" in child.meta]
        if not children:
            return []
        # Each line of a paragraph's or heading's text is the end of its line in the source,
        # after the indentation of a list item or the > of a quote, before the spaces at
        # the end of a paragraph or the #s at the end of a heading.
        starts = []
        for number, part in enumerate(token.content.split("\n"), start=token.map[0]):
            column = lines[number].rfind(part)
            if column < 0:
                self.fail(line + number, "markdown-it reads this line otherwise than it is "
                                         "written; indent it with spaces, not tabs")
            starts.append(offsets[number] + column)

        def place(position):
            """Where a position in the token's text is: (offset in the source, line)."""
            number = token.content.count("\n", 0, position)
            column = position - token.content.rfind("\n", 0, position) - 1
            return starts[number] + column, line + token.map[0] + number

        edits = []
        for child in children:
            start, where = place(child.meta["span"][0])
            if child.type == "myst_role":
                replacement = self.role(child.meta["name"], child.content, where)
                edits.append((start, place(child.meta["span"][1])[0], replacement))
            elif child.meta["destination"]:
                begin, end, target = child.meta["destination"]
                if child.type == "image" and not child.content.strip():
                    self.fail(where, f"the image {target} has no alt text")
                address = self.image_source(target, where) if child.type == "image" else (
                    self.link(target))
                if address != target:
                    edits.append((place(begin)[0], place(end)[0], address))
        return edits

    # --- directives -------------------------------------------------------------

    def directive(self, token, line):
        """A directive (``{name} argument`` on a fence), in the text whose first line is
        ``line`` of the page, as notebook Markdown."""
        name, argument = directive_of(token)
        where = line + token.map[0]
        options, body, body_line = self._options_and_body(token, name, where)
        classes = str(options.get("class", "")).split()

        def content():
            self.opened.append((name, where))
            translated = self.markdown("\n".join(body), body_line)
            self.opened.pop()
            return translated

        if name in ADMONITIONS:
            title = argument or name.capitalize()
            return (folded if "dropdown" in classes else quoted)(title, content())
        if name == "exercise":
            text = content()
            number = self.numbered(len(self.exercises) + 1)
            self.exercises[options.get("label", f"exercise-{number}")] = number
            self.exercise_titles[number] = argument
            self.current = number
            return quoted(f"Exercise {number}: {argument}" if argument else f"Exercise {number}",
                          text)
        if name == "solution":
            text = content()
            self.current = self._exercise(argument, where)
            self.has_solutions = True
            if self.open_solutions:
                return f"**Solution to exercise {self.current}**\n\n{text}"
            return text  # the lesson notebook folds it under its title
        if name == "solution-start":
            self.has_solutions = True
            self.current = self._exercise(argument, where)
            return f"**Solution to exercise {self.current}**" if self.open_solutions else ""
        if name == "solution-end":
            return ""
        if name == "lesson-overview":
            return quoted("Overview", self.timing(where))
        if name in {"figure", "image"}:
            return self.figure(argument, options, content(), where)
        if name == "math":
            return "$$\n" + "\n".join(body).strip() + "\n$$"
        if name in {"code-block", "code", "sourcecode"}:
            return f"```{argument}\n" + "\n".join(body) + "\n```"
        self.fail(where, f"the directive {{{name}}} has no notebook form; add one to "
                         "_ext/myst_markdown.py")

    def _options_and_body(self, token, name, where):
        """A directive's options, and the lines of its body with the line they start on."""
        if name == "code-cell":
            # jupytext makes a cell of every code-cell at the top level of the page.
            if self.opened:
                outer, opened_at = self.opened[0]
                self.fail(opened_at, f"the {{{outer}}} that opens here is not closed before "
                                     f"the code cell at line {where}")
            self.fail(where, "a code cell must be at the top level of the page, not in a "
                             "list or a quote")
        body = body_lines(token)
        if token.map[1] - token.map[0] != len(body) + 2:  # no closing line in the map
            self.fail(where, f"the block opened by {token.markup + token.info!r} is never "
                             "closed")
        options, count = self.options(body, where + 1)
        return options, body[count:], where + 1 + count

    def options(self, lines, line):
        """The options at the start of a directive's body, which starts at ``line``, and how many
        lines they take: YAML between two ``---`` lines, or lines ``:key: value``."""
        if lines and lines[0].strip() == "---":
            end = next((number for number in range(1, len(lines))
                        if lines[number].strip() == "---"), None)
            if end is None:
                self.fail(line, "the directive's options start with --- and have no --- "
                                "after them")
            try:
                return yaml.safe_load("\n".join(lines[1:end])) or {}, end + 1
            except yaml.YAMLError as error:
                self.fail(line, f"the directive's options are not YAML: {error}")
        options, count = {}, 0
        for text in lines:
            key, colon, value = text[1:].partition(":")
            if not (text.startswith(":") and colon and key.replace("-", "_").isidentifier()):
                break
            options[key] = value.strip()
            count += 1
        return options, count

    def timing(self, line):
        """The lesson's minutes from its front matter, as its overview box on the website
        gives them (see _ext/lesson_summaries.py)."""
        minutes = [self.metadata.get(key) for key in ("teaching", "exercises")]
        if not all(isinstance(value, int) and value >= 0 for value in minutes):
            self.fail(line, "a lesson-overview needs the lesson's minutes in its front matter, "
                            "'teaching: 40' and 'exercises: 20'")
        return f"**Teaching:** {minutes[0]} min · **Exercises:** {minutes[1]} min"

    def _exercise(self, label, line):
        if label not in self.exercises:
            self.fail(line, f"a solution refers to the exercise {label!r}, which does not come "
                            "before it")
        return self.exercises[label]

    def figure(self, path, options, caption, line):
        alt = str(options.get("alt", "")).strip()
        if not alt:
            self.fail(line, f"the image {path} has no alt text")
        image = f"![{alt}]({self.image_source(path, line)})"
        return f"{image}\n\n{self.caption(caption)}" if caption else image

    def caption(self, text):
        """A figure's caption, numbered as the website numbers it: Figure 2.1 in lesson 2."""
        self.figures += 1
        return f"*Figure {self.numbered(self.figures)}: {' '.join(text.split())}*"

    def image_source(self, path, line):
        """An image's address in the notebook: web images as they are, local ones embedded."""
        if urlsplit(path).scheme:
            return path
        file = (self.page.parent / path).resolve()
        if not file.is_file():
            self.fail(line, f"the image {path} does not exist")
        mime = mimetypes.guess_type(file.name)[0]
        if not mime or not mime.startswith("image/"):
            self.fail(line, f"{path} is not an image file")
        self.images[file.name] = {mime: base64.b64encode(file.read_bytes()).decode()}
        return f"attachment:{file.name}"

    def attachments(self, markdown):
        """The embedded images that translated ``markdown`` shows, for its cell."""
        return {name: image for name, image in self.images.items()
                if f"(attachment:{name})" in markdown}

    # --- roles and links --------------------------------------------------------

    def role(self, name, content, line):
        """A role, ``{name}`content```, as notebook Markdown."""
        text, target = explicit(content)
        if name.startswith("glue") and "::" in content:
            self.fail(line, "a notebook cannot quote a result of another page's run "
                            f"({content}): compute it on this page, or say it without "
                            "the number")
        if name in GLUE_ROLES:
            self.uses_glue = True
            return f"\x00{content}\x00"  # a field of the paragraph's result cell
        if name.startswith("glue"):
            self.fail(line, f"the role {{{name}}} has no notebook form: quote results with "
                            "{glue:text}")
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
            self.fail(line, f"give {{{name}}}`{content}` its own text: "
                            f"{{{name}}}`text <{content}>`")
        if name == "doc":
            return f"[{text or target}]({self.page_url(target)})"
        if name == "download":
            return f"[{text or target}]({self.file_url(target)})"
        self.fail(line, f"the role {{{name}}} has no notebook form; add one to "
                        "_ext/myst_markdown.py")

    def link(self, target):
        """Links between pages go to the website; links to files go to the repository."""
        if urlsplit(target).scheme or target.startswith("#"):
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

"""Sphinx extension: what a build of the site ran on, and where its data came from.

Two directives for the build report page, filled in at every build:

- ``package-versions``: the versions of the key packages in the Python that
  built the site (the lessons' kernels run in it too);
- ``data-sources``: for each lesson, every sentence its data loaders printed in
  this build (the first line printed by a cell with ``print(name.source)``), and whether the data were
  downloaded, read from the download cache, bundled, or an offline stand-in.
"""

import platform
import re
from importlib import metadata

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

import lesson_summaries

# (label, distributions to try): tensorflow-cpu is TensorFlow without GPU support.
PACKAGES = [
    ("dlcourse", ["dlcourse"]),
    ("TensorFlow", ["tensorflow", "tensorflow-cpu"]),
    ("Keras", ["keras"]),
    ("NumPy", ["numpy"]),
    ("pandas", ["pandas"]),
    ("scikit-learn", ["scikit-learn"]),
    ("scikit-image", ["scikit-image"]),
    ("Matplotlib", ["matplotlib"]),
    ("Jupyter Book", ["jupyter-book"]),
    ("Sphinx", ["sphinx"]),
    ("MyST-NB", ["myst-nb"]),
]
PRINTS_SOURCE = re.compile(r"^print\((\w+)\.source\)$", re.MULTILINE)


class package_versions(nodes.General, nodes.Element):
    """Where the table of versions goes."""


class data_sources(nodes.General, nodes.Element):
    """Where the table of data sources goes."""


def version(distributions):
    for name in distributions:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return "not installed"


def origin(sentence):
    """How a loader got its data, from the words ``dlcourse.data`` uses for each case."""
    if "downloaded now" in sentence:
        return "downloaded in this build"
    if "read from the download cache" in sentence:
        return "download cache"
    if "could not" in sentence.lower() or "stand-in" in sentence:
        return "offline stand-in"
    return "no download needed"


def _store(env):
    if not hasattr(env, "course_data_sources"):
        env.course_data_sources = {}    # lesson -> [(variable, sentence)]
        env.course_report_pages = set()  # pages showing the report
    return env


def collect(app, doctree):
    """Remember the sentences the page's ``print(x.source)`` cells printed in this build."""
    env = _store(app.env)
    if any(True for node in doctree.findall()
           if isinstance(node, (package_versions, data_sources))):
        env.course_report_pages.add(env.docname)
    found = []
    for cell in doctree.findall(nodes.container):
        if cell.get("nb_element") != "cell_code":
            continue
        blocks = list(cell.findall(nodes.literal_block))
        printed = PRINTS_SOURCE.search(blocks[0].astext()) if blocks else None
        # The lessons print the source first in its cell: it is the first line of
        # the cell's standard output (a sentence without line breaks).
        stdout = [block for block in blocks[1:] if "stream" in block["classes"]]
        if printed and stdout:
            found.append((printed.group(1), stdout[0].astext().splitlines()[0].strip()))
    if found:
        env.course_data_sources[env.docname] = found


def purge(app, env, docname):
    env = _store(env)
    env.course_data_sources.pop(docname, None)
    env.course_report_pages.discard(docname)


def merge(app, env, docnames, other):
    env, other = _store(env), _store(other)
    env.course_data_sources.update({name: value for name, value
                                    in other.course_data_sources.items() if name in docnames})
    env.course_report_pages |= other.course_report_pages & docnames


def reread_report(app, env, added, changed, removed):
    # Versions change without any page changing: read the report at every build.
    return sorted(_store(env).course_report_pages)


def _versions_table():
    rows = [["Python", platform.python_version()]]
    rows += [[label, version(names)] for label, names in PACKAGES]
    return lesson_summaries.table(["Package", "Version"], rows, [30, 20],
                                  classes=["package-versions"])


def _sources_table(app, env, docname):
    rows = []
    for lesson in lesson_summaries.numbered_lessons(env):
        for variable, sentence in env.course_data_sources.get(lesson, []):
            link = lesson_summaries.lesson_link(app, env, docname, lesson)
            rows.append([[link], [nodes.literal("", variable)], sentence, origin(sentence)])
    if not rows:
        return [nodes.paragraph("", "No lesson printed where its data came from.")]
    return [lesson_summaries.table(["Lesson", "Data", "Source, as printed in this build",
                                    "Origin"], rows, [20, 10, 55, 15],
                                   classes=["data-sources"])]


def fill(app, doctree, docname):
    env = _store(app.env)
    for node in list(doctree.findall(package_versions)):
        node.replace_self(_versions_table())
    for node in list(doctree.findall(data_sources)):
        node.replace_self(_sources_table(app, env, docname))


class PackageVersionsDirective(SphinxDirective):
    def run(self):
        return [package_versions()]


class DataSourcesDirective(SphinxDirective):
    def run(self):
        return [data_sources()]


def setup(app):
    app.add_node(package_versions)
    app.add_node(data_sources)
    app.add_directive("package-versions", PackageVersionsDirective)
    app.add_directive("data-sources", DataSourcesDirective)
    app.connect("doctree-read", collect)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("env-get-outdated", reread_report)
    app.connect("doctree-resolved", fill)

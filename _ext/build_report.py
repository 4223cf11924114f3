"""Sphinx extension: what a build of the site ran on, and where its data came from.

Two directives for the build report page, filled in at every build:

- ``package-versions``: the versions of the key packages in the Python that
  built the site (the lessons' kernels run in it too);
- ``data-sources``: for each lesson, where each of its data sets came from in
  this build: the sentence its loader wrote (``source``) and how it got the data
  (``origin``: downloaded, read from the download cache, no download needed, or an
  offline stand-in). The lessons glue both, read from the loader's result, under
  ``data_source_NAME`` in a hidden cell after ``print(NAME.source)``; nothing here
  reads the sentence's words.
"""

import ast
import json
import platform
from importlib import metadata
from pathlib import Path

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
DATA_SOURCE = "data_source_"  # the prefix of the glue keys the report reads
# The loaders' origins (dlcourse.data), as the report names them.
ORIGINS = {
    "download": "downloaded in this build",
    "cache": "download cache",
    "Debian package": "no download needed",
    "bundled": "no download needed",
    "generated": "no download needed",
    "offline subset": "offline stand-in",
    "offline photos": "offline stand-in",
    "none": "offline stand-in",  # no pretrained weights: random ones stand in
}


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


def glued_sources(glue_file):
    """``(name, source, origin)`` for each ``data_source_NAME`` a page glued, in the
    order its cells ran, from the glue data myst-nb keeps for the page."""
    if not glue_file.is_file():
        return []
    found = []
    for key, output in json.loads(glue_file.read_text()).items():
        if key.startswith(DATA_SOURCE):
            record = ast.literal_eval(output["data"]["text/plain"])  # a dict, as glued
            found.append((key[len(DATA_SOURCE):], record["source"], record["origin"]))
    return found


def _store(env):
    if not hasattr(env, "course_data_sources"):
        env.course_data_sources = {}    # lesson -> [(variable, sentence, origin)]
        env.course_report_pages = set()  # pages showing the report
    return env


def collect(app, doctree):
    """Remember the data sources the page glued in this build."""
    env = _store(app.env)
    if any(True for node in doctree.findall()
           if isinstance(node, (package_versions, data_sources))):
        env.course_report_pages.add(env.docname)
    # myst-nb writes a page's glue data beside its executed notebook, before this event.
    folder = Path(env.mystnb_config.output_folder)
    found = glued_sources(folder.joinpath(*env.docname.split("/")).with_suffix(".glue.json"))
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
        for variable, sentence, origin in env.course_data_sources.get(lesson, []):
            link = lesson_summaries.lesson_link(app, env, docname, lesson)
            rows.append([[link], [nodes.literal("", variable)], sentence,
                         ORIGINS.get(origin, origin)])
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

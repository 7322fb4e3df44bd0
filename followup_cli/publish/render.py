"""Templates to documents, for every document the tool writes (plan, review report, annual report, letters).

A context is plain Swedish text prepared in Python; the templates only place it. Text templates (Markdown,
HTML) run in Jinja's sandbox with undefined values as errors, HTML always autoescaped whatever the file is
called; Word templates run through docxtpl with autoescaping (without it, everything after an "&" vanishes).
A template in the workspace's own `templates/` folder is used instead of the shipped one of the same name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path

from followup_cli.errors import InputError


def template_dirs(own: Path | None) -> list[Path]:
    """Where templates are looked up: the workspace's own folder first, then the shipped templates."""
    from followup_cli.resources import resource_dir

    return [own, resource_dir("templates")] if own is not None and own.is_dir() else [resource_dir("templates")]


def find_template(name: str, folders: list[Path] | None = None) -> Path:
    return next(f / name for f in [*(folders or []), *template_dirs(None)] if (f / name).is_file())


def text_environment(fmt: str, folders: list[Path] | None = None):
    """The sandboxed Jinja environment for a text format: `md` escapes every value for Markdown, `html` for HTML."""
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    environment = SandboxedEnvironment(loader=FileSystemLoader(folders or template_dirs(None)), undefined=StrictUndefined,
                                       autoescape=fmt == "html", finalize=markdown_escape if fmt == "md" else None,
                                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    if fmt == "md":
        environment.filters["code"] = Code
    return environment


def render_text(context: dict, name: str, fmt: str, folders: list[Path] | None = None) -> str:
    """The template `name` rendered as `fmt` (md or html)."""
    from jinja2 import TemplateError

    try:
        return text_environment(fmt, folders).get_template(name).render(context)
    except TemplateError as exc:
        raise template_error(name, exc) from exc


def write_docx(context: dict, name: str, out: Path, folders: list[Path] | None = None, *, title: str = "",
               author: str = "", pictures: Mapping[str, Callable[[], tuple[bytes, float]]] | None = None) -> Path:
    """The Word template `name` rendered with `context`, written atomically to `out` with fixed properties.
    `pictures` (name → a function giving PNG bytes and width in cm) become pictures the template places as
    {{ name }} in the body; each is asked for once the text is rendered, so it may be drawn meanwhile."""
    from docx.shared import Cm
    from docxtpl import DocxTemplate
    from jinja2 import StrictUndefined, TemplateError
    from jinja2.sandbox import SandboxedEnvironment
    from markupsafe import Markup

    from followup_cli.publish.docx_xml import cells_follow_grid, picture_marker, place_picture, unplaced_pictures
    from followup_cli.publish.write import write_atomic

    template_path = find_template(name, folders)
    document = DocxTemplate(template_path)
    pictures = pictures or {}
    context = {**context, **{key: Markup(picture_marker(key)) for key in pictures}}
    try:
        # autoescape is not optional: without it docxtpl drops everything after an "&" in a value.
        document.render(context, SandboxedEnvironment(undefined=StrictUndefined), autoescape=True)
    except TemplateError as exc:
        raise template_error(name, exc) from exc
    if pictures and (elsewhere := unplaced_pictures(document.docx)):  # before waiting for any picture
        raise InputError(f"Mallen {name} har bilden {{{{ {elsewhere[0]} }}}} i ett sidhuvud, en sidfot eller en fotnot, där "
                         "followup inte kan placera bilder. Flytta den till dokumentets text.")
    for key, picture in pictures.items():
        png, width = picture()
        place_picture(document.docx, key, png, Cm(width))
    for table in document.docx.tables:
        cells_follow_grid(table)
    properties = document.docx.core_properties
    properties.title = title
    properties.author = author
    return write_atomic(out, document.save, inputs=[template_path])


def template_error(name: str, exc: Exception) -> InputError:
    """A sentence for a user's edited template: which file, which line, which value."""
    line = getattr(exc, "lineno", None)
    tb = exc.__traceback__
    while tb is not None:  # a render error: Jinja puts the template's own line into the traceback
        if tb.tb_frame.f_code.co_filename.endswith(name):
            line = tb.tb_lineno
        tb = tb.tb_next
    where = f" (rad {line})" if line and not name.endswith(".docx") else ""
    unknown = re.search(r"'([^']+)' is undefined|has no attribute '([^']+)'", str(exc))
    detail = f"värdet '{unknown.group(1) or unknown.group(2)}' finns inte (värdena står i README)" if unknown else str(exc)
    return InputError(f"Mallen {name}{where} kan inte användas: {detail}. Rätta mallen, eller hämta originalet från "
                      "followup_cli/templates i installationen.")


_ENTITY_START = re.compile(r"&(?=#|[A-Za-z][A-Za-z0-9]*;)")


class Code(str):
    """A value placed in a Markdown code block (`{{ line|code }}`): printed as written, since Markdown shows a code
    block's backslashes instead of reading them as escapes (the plan.themes YAML must paste as it reads)."""


def markdown_escape(value) -> str:
    """Every value placed in the Markdown is text: a '|' must not split a table, a '*' must not start emphasis,
    and an '&' must not start an entity ('Vård &copy; Omsorg' would render as '©'). An '&' that starts none stays
    as written, so 'Grönt & Skönt AB' reads as itself in the Markdown file too."""
    if isinstance(value, Code):
        return str(value)
    text = "" if value is None else _ENTITY_START.sub("&amp;", str(value))
    for ch in "\\`*_[]<>|#":
        text = text.replace(ch, "\\" + ch)
    return text.replace("\r", "").replace("\n", " ")

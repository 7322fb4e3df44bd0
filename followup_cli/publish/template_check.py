"""`followup check-template`: the values a user's edited template uses that its context lacks, and where they stand.

A template that names a value its context lacks stops the document only when it is rendered, with the data at
hand; this reads the template alone. The Jinja code is parsed into its syntax tree and every name, attribute
and item is followed through the context's key structure, with loop and `set` variables standing for what
they were taken from: in `{% for p in providers %}{{ p.namn }}`, `namn` is checked against the keys of one
element of `providers`. A Word template is read the way docxtpl renders it (its own XML patching, part by
part); each paragraph, table row and cell first gets a Jinja comment naming it, so a line of the patched
source leads back to "stycke 12" or "tabell 2, rad 3, kolumn 1".

Each kind of document registers the function that returns its context's key structure (a sample context:
dicts, lists with one example element, text; no data read), next to the function that builds the real context
in its publish module (publish/ is where the registry looks, and the domain may not import publish):

    @template_kind("plan", prefix="plan")
    def plan_context_keys() -> dict: ...
"""

from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from followup_cli.errors import InputError, UsageError
from followup_cli.text import fold


@dataclass(frozen=True)
class Kind:
    name: str
    prefix: str  # a template whose file name starts with this is of this kind
    keys: Callable[[], dict]


KINDS: dict[str, Kind] = {}


def template_kind(name: str, prefix: str):
    """Registers the decorated function as the key structure of the `name` templates (files named `prefix`…)."""
    def register(function):
        KINDS[name] = Kind(name, prefix, function)
        return function
    return register


def registered_kinds() -> dict[str, Kind]:
    """Every kind registered in a publish module; importing them is cheap, their heavy libraries load lazily."""
    import importlib
    import pkgutil

    import followup_cli.publish as publish

    for module in pkgutil.iter_modules(publish.__path__):
        importlib.import_module(f"{publish.__name__}.{module.name}")
    return dict(sorted(KINDS.items()))


def kind_of(template: Path, kind: str | None) -> Kind:
    """The kind named with --kind, else the one whose prefix the file name starts with."""
    kinds = registered_kinds()
    names = ", ".join(kinds)
    if kind is not None:
        if kind not in kinds:
            raise UsageError(f"Mallsorten {kind} finns inte; --kind kan vara {names}.")
        return kinds[kind]
    matching = [k for k in kinds.values() if fold(template.name).startswith(fold(k.prefix))]  # påminnelse too
    if not matching:
        prefixes = ", ".join(f"{k.prefix}… ({k.name})" for k in kinds.values())
        raise UsageError(f"Mallen {template.name} hör inte till någon känd sorts dokument: namnet börjar inte med "
                         f"{prefixes}. Ange sorten med --kind {'|'.join(kinds)}.")
    return max(matching, key=lambda k: len(k.prefix))


# --- the key structure ----------------------------------------------------------------------------------------------

class _Any:
    """A value whose structure is unknown (a macro argument, a method's result): anything may be taken from it."""

    def __repr__(self) -> str:
        return "ANY"


class _Text:
    """A ready string (or number, or flag): only its string methods can be taken from it."""

    def __repr__(self) -> str:
        return "TEXT"


ANY, TEXT = _Any(), _Text()


@dataclass(frozen=True)
class Items:
    """A list, by the structure of its elements."""

    item: object


def shape(value) -> object:
    """The key structure of a (sample or real) context: dicts by key, lists by the union of their elements."""
    if isinstance(value, dict):
        return {str(k): shape(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        item = ANY
        for element in value:
            item = merge(item, shape(element))
        return Items(item)
    return TEXT


def merge(a, b):
    """Two structures as one: a key either has is there (the contexts of two audiences, a list's elements)."""
    if a is ANY:
        return b
    if b is ANY:
        return a
    if isinstance(a, dict) and isinstance(b, dict):
        return {k: merge(a[k], b[k]) if k in a and k in b else a.get(k, b.get(k)) for k in {**a, **b}}
    if isinstance(a, Items) and isinstance(b, Items):
        return Items(merge(a.item, b.item))
    return a if type(a) is type(b) else ANY


# --- the result -----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Location:
    """Where in the template: a line of a text template, or a part, paragraph or table cell of a Word file."""

    line: int | None = None
    part: str | None = None  # "sidhuvud", "sidfot", "egenskapen title"; None for the body of a Word file
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    column: int | None = None
    text: str = ""  # the paragraph's text, shortened, for finding it in Word

    @property
    def where(self) -> str:
        if self.line is not None:
            return f"rad {self.line}"
        places = [self.part] if self.part else []
        if self.table is not None:
            places.append(f"tabell {self.table}")
            places += [f"rad {self.row}"] if self.row is not None else []
            places += [f"kolumn {self.column}"] if self.column is not None else []
        elif self.paragraph is not None:
            places.append(f"stycke {self.paragraph}")
        return ", ".join(places) or "dokumentet"


@dataclass(frozen=True)
class Missing:
    name: str  # as the template writes it: 'nämnd_okänd', 'p.namn'
    location: Location
    note: str = ""  # Swedish: what the name stands for and what is there instead

    def as_dict(self) -> dict:
        loc = self.location
        return {"name": self.name, "where": loc.where, "line": loc.line, "part": loc.part, "paragraph": loc.paragraph,
                "table": loc.table, "row": loc.row, "column": loc.column, "text": loc.text, "note": self.note}


@dataclass
class TemplateCheck:
    template: Path
    kind: str
    missing: list[Missing] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"template": str(self.template), "kind": self.kind, "missing": [m.as_dict() for m in self.missing]}


def check_template(template: Path, kind: str | None = None) -> TemplateCheck:
    """The values `template` uses that its kind's context lacks, in the order they stand in the template."""
    if not template.is_file():
        raise InputError(f"Mallen {template} finns inte. Ange sökvägen till en mall (.docx, .md.j2 eller .html.j2).")
    found = kind_of(template, kind)
    keys = shape(found.keys())
    sources = _docx_sources(template) if template.suffix.casefold() == ".docx" else [_text_source(template)]
    missing: list[Missing] = []
    for source in sources:
        missing += source.check(keys, template) + source.pictures_outside_the_text()
    return TemplateCheck(template, found.name, missing)


# --- sources: a text template, or the parts of a Word file ----------------------------------------------------------

@dataclass
class _Source:
    """One Jinja source and how its lines map back to places: `marks` is sorted (line, location)."""

    code: str
    marks: list[tuple[int, Location]]
    whole: Location | None  # a Word part's place before its first mark; None for a text template: its lines

    def locate(self, line: int | None) -> Location:
        if self.whole is None:
            lines = self.code.splitlines()
            return Location(line=line, text=_short(lines[line - 1]) if line and line <= len(lines) else "")
        if not self.marks:
            return self.whole
        index = bisect.bisect_right(self.marks, line or 0, key=lambda m: m[0]) - 1
        return self.marks[index][1] if index >= 0 else self.whole

    def check(self, keys: dict, template: Path) -> list[Missing]:
        from jinja2 import TemplateSyntaxError
        from jinja2.sandbox import SandboxedEnvironment

        try:
            tree = SandboxedEnvironment().parse(self.code)
        except TemplateSyntaxError as exc:
            where = self.locate(exc.lineno).where
            raise InputError(f"Mallen {template.name} har ett fel i en tagg i {where} ({exc.message}); rätta taggen "
                             "så att varje {{ … }} och {% … %} är hel och varje for/if har sin endfor/endif.") from exc
        checker = _Checker(keys)
        checker.visit_all(tree.body, _Scope(None))
        seen, result = set(), []
        for name, line, note in checker.missing:
            location = self.locate(line)
            if (name, location) not in seen:
                seen.add((name, location))
                result.append(Missing(name, location, note))
        return result


    def pictures_outside_the_text(self) -> list[Missing]:
        """A chart ({{ chart_… }}) in a Word file's header, footer or properties: the report places pictures in the
        document's text only (publish/render.write_docx), so there it has none."""
        if self.whole is None or self.whole.part is None:
            return []
        from jinja2 import nodes
        from jinja2.sandbox import SandboxedEnvironment

        found = {(n.name, self.locate(n.lineno)) for n in SandboxedEnvironment().parse(self.code).find_all(nodes.Name)
                 if n.name.startswith("chart_") and n.ctx == "load"}
        return [Missing(name, location, "diagram placeras bara i dokumentets text, inte i sidhuvud, sidfot eller "
                        "egenskaper: flytta det dit") for name, location in sorted(found, key=lambda f: f[0])]


def _text_source(template: Path) -> _Source:
    try:
        code = template.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"Mallen {template.name} är inte text i UTF-8 (byte {exc.start}); spara den som UTF-8, "
                         "eller ge den namnet .docx om den är ett Word-dokument.") from exc
    except OSError as exc:
        raise InputError(f"Mallen {template} går inte att läsa ({exc.strerror}).") from exc
    return _Source(code, [], None)


_MARK = re.compile(r"\{#@(\d+)#\}")
_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")  # those docxtpl renders


def _docx_sources(template: Path) -> list[_Source]:
    """The Jinja source of each part docxtpl renders (body, headers, footers, properties), as docxtpl patches it."""
    from docx import Document
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml
    from docxtpl import DocxTemplate

    try:
        document = Document(str(template))
    except Exception as exc:  # python-docx raises zipfile, KeyError and lxml errors alike for a broken file
        raise InputError(f"Mallen {template.name} går inte att öppna som Word-dokument ({type(exc).__name__}); "
                         "spara den i Word som .docx och försök igen.") from exc
    patcher = DocxTemplate(str(template))
    sources = [_marked(patcher, document.element.body, None)]
    for name, reltype in (("sidhuvud", RT.HEADER), ("sidfot", RT.FOOTER)):
        parts = [rel.target_part for rel in document.part.rels.values() if rel.reltype == reltype]
        for number, part in enumerate(parts, start=1):
            label = name if len(parts) == 1 else f"{name} {number}"
            sources.append(_marked(patcher, parse_xml(part.blob), label))
    properties = document.core_properties
    for prop in _PROPERTIES:
        value = getattr(properties, prop) or ""
        if "{" in value:
            sources.append(_Source(value, [], Location(part=f"egenskapen {prop}", text=_short(value))))
    return sources


def _marked(patcher, root, part: str | None) -> _Source:
    """The part's XML with a Jinja comment naming each paragraph, row and cell before it, patched by docxtpl."""
    from docx.oxml.ns import qn

    locations: list[Location] = []
    counts = {"p": 0, "tbl": 0}

    def mark(element, location: Location) -> None:
        text = f"\n{{#@{len(locations)}#}}"
        locations.append(location)
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + text
        else:
            element.getparent().text = (element.getparent().text or "") + text

    def walk(parent, cell: Location | None) -> None:
        for child in list(parent):
            if child.tag == qn("w:p"):
                if cell is None:
                    counts["p"] += 1
                text = _short("".join(t.text or "" for t in child.iter(qn("w:t"))))
                mark(child, Location(part=part, paragraph=counts["p"], text=text) if cell is None
                     else Location(part=part, table=cell.table, row=cell.row, column=cell.column, text=text))
            elif child.tag == qn("w:tbl") and cell is None:
                counts["tbl"] += 1
                for r, row in enumerate(child.findall(qn("w:tr")), start=1):
                    text = _short(" ".join(t.text or "" for t in row.iter(qn("w:t"))))  # a {%tr %} row's tag
                    mark(row, Location(part=part, table=counts["tbl"], row=r, text=text))
                    for c, tc in enumerate(row.findall(qn("w:tc")), start=1):
                        place = Location(part=part, table=counts["tbl"], row=r, column=c)
                        mark(tc, place)
                        walk(tc, place)
            elif child.tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:tbl"), qn("w:tr"), qn("w:tc")):
                walk(child, cell)  # content controls; a table inside a cell, whose tags are the outer cell's

    walk(root, None)
    code = patcher.patch_xml(patcher.xml_to_string(root))
    marks, line, position = [], 1, 0
    for match in _MARK.finditer(code):
        line += code.count("\n", position, match.start())
        position = match.start()
        marks.append((line, locations[int(match.group(1))]))
    return _Source(code, marks, Location(part=part))


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


# --- following names through the syntax tree ------------------------------------------------------------------------

_LOOP = {k: TEXT for k in ("index", "index0", "revindex", "revindex0", "first", "last", "length", "depth", "depth0")}
_LOOP.update({k: ANY for k in ("cycle", "changed", "previtem", "nextitem")})
_GLOBALS = {"range", "dict", "lipsum", "cycler", "joiner", "namespace"}
_STR_METHODS = {m for m in dir(str) if not m.startswith("_")}
_DICT_METHODS = {"items", "keys", "values", "get"}
_ITEM_FILTERS = {"first", "last", "random", "min", "max"}
_LIST_FILTERS = {"sort", "reverse", "unique", "list", "selectattr", "rejectattr", "select", "reject"}
_ATTRIBUTE_FILTERS = {"selectattr", "rejectattr", "groupby", "map", "sort", "sum", "join", "unique", "min", "max"}


class _Scope:
    """Names bound inside the template: by a for loop, set, with, a macro's arguments. (shape, what it stands for)"""

    def __init__(self, parent: _Scope | None):
        self.parent, self.names = parent, {}

    def get(self, name: str):
        scope = self
        while scope is not None:
            if name in scope.names:
                return scope.names[name]
            scope = scope.parent
        return None


class _Checker:
    def __init__(self, keys: dict):
        self.keys = keys
        self.missing: list[tuple[str, int, str]] = []  # (name as written, line, note)
        self.guarded: list[str] = []  # names inside {% if x is defined %}: used only when there

    def report(self, written: str, line: int, note: str) -> None:
        if written not in self.guarded:
            self.missing.append((written, line, note))

    # statements

    def visit_all(self, body, scope: _Scope) -> None:
        for node in body:
            self.visit(node, scope)

    def visit(self, node, scope: _Scope) -> None:
        from jinja2 import nodes

        handler = getattr(self, f"_{type(node).__name__}", None)
        if handler is not None:
            handler(node, scope)
        elif isinstance(node, nodes.Expr):
            self.expr(node, scope)
        else:
            for child in node.iter_child_nodes():
                self.visit(child, scope)

    def _Output(self, node, scope) -> None:
        for child in node.nodes:
            if type(child).__name__ != "TemplateData":
                self.expr(child, scope)

    def _If(self, node, scope) -> None:
        """`{% if x is defined %}` guards x in its body, `{% if x is undefined %}` in its else."""
        from jinja2 import nodes

        self.expr(node.test, scope)
        tests = [t for t in node.test.find_all(nodes.Test) if t.name in ("defined", "undefined")]
        if isinstance(node.test, nodes.Test):
            tests.insert(0, node.test)
        defined = [_written(t.node) for t in tests if t.name == "defined"]
        undefined = [_written(t.node) for t in tests if t.name == "undefined"]
        for body, names in ((node.body, defined), (node.else_, undefined)):
            self.guarded += names
            self.visit_all(body, scope)
            del self.guarded[len(self.guarded) - len(names):]
        for branch in node.elif_:
            self._If(branch, scope)

    def _For(self, node, scope) -> None:
        items = self.expr(node.iter, scope)
        inner = _Scope(scope)
        self.bind(node.target, _item(items), f"ett element i {_written(node.iter)}", inner)
        inner.names["loop"] = (_LOOP, "loop")
        if node.test is not None:
            self.expr(node.test, inner)
        self.visit_all(node.body, inner)
        self.visit_all(node.else_, scope)

    def _Assign(self, node, scope) -> None:
        value = self.expr(node.node, scope)
        self.bind(node.target, value, _written(node.node), scope)

    def _AssignBlock(self, node, scope) -> None:
        if node.filter is not None:
            self.expr(node.filter, scope)
        self.visit_all(node.body, scope)
        self.bind(node.target, TEXT, "", scope)

    def _Macro(self, node, scope) -> None:
        scope.names[node.name] = (ANY, node.name)
        for default in node.defaults:
            self.expr(default, scope)
        inner = _Scope(scope)
        for name in ("varargs", "kwargs", "caller"):
            inner.names[name] = (ANY, name)
        for arg in node.args:
            inner.names[arg.name] = (ANY, arg.name)
        self.visit_all(node.body, inner)

    def _CallBlock(self, node, scope) -> None:
        self.expr(node.call, scope)
        inner = _Scope(scope)
        for arg in node.args:
            inner.names[arg.name] = (ANY, arg.name)
        self.visit_all(node.body, inner)

    def _With(self, node, scope) -> None:
        inner = _Scope(scope)
        for target, value in zip(node.targets, node.values):
            self.bind(target, self.expr(value, scope), _written(value), inner)
        self.visit_all(node.body, inner)

    def _Import(self, node, scope) -> None:
        self.expr(node.template, scope)
        scope.names[node.target] = (ANY, node.target)

    def _FromImport(self, node, scope) -> None:
        self.expr(node.template, scope)
        for name in node.names:
            alias = name[1] if isinstance(name, tuple) else name
            scope.names[alias] = (ANY, alias)

    def bind(self, target, value, origin: str, scope: _Scope) -> None:
        kind = type(target).__name__
        if kind == "Name":
            scope.names[target.name] = (value, origin)
        elif kind == "Tuple":
            for element in target.items:
                self.bind(element, ANY, "", scope)
        elif kind == "NSRef":
            self.lookup(target.name, target.lineno, scope, optional=False)

    # expressions: each returns the structure of its value

    def expr(self, node, scope: _Scope, optional: bool = False):
        kind = type(node).__name__
        if kind == "Name":
            return self.lookup(node.name, node.lineno, scope, optional)
        if kind == "Getattr":
            return self.member(self.expr(node.node, scope, optional), node.attr, node, optional, scope)
        if kind == "Getitem":
            base = self.expr(node.node, scope, optional)
            arg = node.arg
            if type(arg).__name__ == "Const" and isinstance(arg.value, str):
                return self.member(base, arg.value, node, optional, scope)
            self.expr(arg, scope)
            return base.item if isinstance(base, Items) else ANY
        if kind == "Filter":
            return self.filtered(node, scope, optional)
        if kind == "Test":
            defined = node.name in ("defined", "undefined")
            if node.node is not None:
                self.expr(node.node, scope, optional or defined)
            self.arguments(node, scope)
            return TEXT
        if kind == "Call":
            self.expr(node.node, scope, optional)
            self.arguments(node, scope)
            return ANY
        for child in node.iter_child_nodes():
            if _is_expr(child):
                self.expr(child, scope, optional)
            else:
                self.visit(child, scope)
        return ANY

    def arguments(self, node, scope: _Scope) -> None:
        for arg in [*node.args, *(k.value for k in node.kwargs)]:
            self.expr(arg, scope)
        for arg in (node.dyn_args, node.dyn_kwargs):
            if arg is not None:
                self.expr(arg, scope)

    def filtered(self, node, scope: _Scope, optional: bool):
        if node.node is None:  # a {% filter %} block's filter
            self.arguments(node, scope)
            return ANY
        default = node.name in ("default", "d")
        value = self.expr(node.node, scope, optional or default)
        self.arguments(node, scope)
        if default:
            return ANY
        if node.name in _ATTRIBUTE_FILTERS and isinstance(value, Items):
            self.attribute_argument(node, value, scope)
        if node.name in _ITEM_FILTERS:
            return _item(value)
        if node.name in _LIST_FILTERS:
            return value
        if node.name == "map" and isinstance(value, Items):
            attribute = _attribute_argument(node)
            return Items(self.path(value.item, attribute, node)) if attribute else ANY
        return ANY if node.name in ("groupby", "batch", "slice", "dictsort", "items", "tojson", "attr") else TEXT

    def attribute_argument(self, node, items: Items, scope: _Scope) -> None:
        """`areas|selectattr("name")`, `rows|map(attribute="hours")`: the attribute is the elements' key."""
        attribute = _attribute_argument(node)
        if attribute:
            self.path(items.item, attribute, node)

    def path(self, value, dotted: str, node):
        for part in dotted.split("."):
            value = self.member(value, part, node, False, written=f"{_written(node.node)}|{node.name}('{dotted}')",
                                parent=f"ett element i {_written(node.node)}")
        return value

    def lookup(self, name: str, line: int, scope: _Scope, optional: bool):
        bound = scope.get(name)
        if bound is not None:
            return bound[0]
        if name in self.keys:
            return self.keys[name]
        if name in _GLOBALS:
            return ANY
        if not optional:
            close = difflib.get_close_matches(name, list(self.keys), n=1)
            self.report(name, line, f"menade du {close[0]}?" if close else "")
        return ANY

    def member(self, base, attr: str, node, optional: bool, scope: _Scope | None = None, written: str | None = None,
               parent: str | None = None):
        if base is ANY:
            return ANY
        if isinstance(base, Items) and attr.isdigit():  # rows.0 is rows[0]
            return base.item
        if isinstance(base, dict):
            if attr in base:
                return base[attr]
            if attr in _DICT_METHODS:
                return ANY
            known = list(base)
        elif base is TEXT and attr in _STR_METHODS:
            return ANY
        else:
            known = []
        if not optional:
            what = parent
            parent = _written(node.node)
            bound = scope.get(parent) if scope is not None and type(node.node).__name__ == "Name" else None
            what = what or (f"{parent} ({bound[1]})" if bound and bound[1] not in ("", parent) else parent)
            close = difflib.get_close_matches(attr, known, n=1)
            if close:
                note = f"menade du {parent}.{close[0]}?" if written is None else f"menade du '{close[0]}'?"
            elif isinstance(base, Items):
                note = f"{what} är en lista; ta värdena ur den med {{% for … in {parent} %}}"
            elif base is TEXT:
                note = f"{what} är text och har inga delvärden"
            else:
                note = f"{what} har " + ", ".join(known[:8]) + (" …" if len(known) > 8 else "")
            self.report(written or _written(node), node.lineno, note)
        return ANY


def _item(value):
    if isinstance(value, Items):
        return value.item
    return TEXT if value is TEXT or isinstance(value, dict) else ANY  # a dict iterates over its keys


def _attribute_argument(node) -> str | None:
    from jinja2 import nodes

    candidates = [k.value for k in node.kwargs if k.key == "attribute"]
    if node.name in ("selectattr", "rejectattr", "groupby") and node.args:
        candidates.append(node.args[0])
    return next((c.value for c in candidates if isinstance(c, nodes.Const) and isinstance(c.value, str)), None)


def _is_expr(node) -> bool:
    from jinja2 import nodes

    return isinstance(node, nodes.Expr)


def _written(node) -> str:
    """The expression as the template writes it, for names, attributes and constant items: 'p.namn', 'rows[0]'."""
    kind = type(node).__name__
    if kind == "Name":
        return node.name
    if kind == "Getattr":
        return f"{_written(node.node)}.{node.attr}"
    if kind == "Getitem":
        arg = node.arg
        inner = repr(arg.value) if type(arg).__name__ == "Const" else "…"
        return f"{_written(node.node)}[{inner}]"
    if kind == "Filter" and node.node is not None:
        return f"{_written(node.node)}|{node.name}"
    return "…"

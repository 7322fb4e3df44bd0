"""YAML settings read with bounds: size, nesting depth and alias expansion are limited, and a duplicate key is an error.

followup.yaml is written by hand and may come from anywhere. Plain
`yaml.safe_load` lets a 1 kB file of nested aliases (the "billion laughs")
expand into gigabytes once something walks it, recurses until Python gives up
on deep nesting, and silently keeps the last of two equal keys. Here every
bound is checked while the document is composed, before any value is used,
and a breach is one Swedish sentence (exit 3).

Dates are left as text (`2026-02-30` does not crash the reader); the settings
models decide which keys are dates.
"""

from __future__ import annotations

import functools
from pathlib import Path

from followup_cli.errors import InputError
from followup_cli.swedish import thousands

MAX_BYTES = 1_000_000
MAX_DEPTH = 40  # mappings and lists inside each other; the shipped defaults need 5
MAX_NODES = 100_000  # values after aliases are expanded; the shipped defaults have about 400


class _Refused(Exception):
    """A bound was breached; carries the sentence without the file name."""


@functools.cache
def _loader_class():
    import yaml

    class BoundedLoader(yaml.SafeLoader):
        def __init__(self, stream):
            super().__init__(stream)
            self._depth = 0

        def compose_node(self, parent, index):
            self._depth += 1
            if self._depth > MAX_DEPTH:
                line = self.peek_event().start_mark.line + 1
                raise _Refused(f"rad {line}: värdena är inbäddade i fler än {MAX_DEPTH} nivåer, vilket ingen inställning behöver. "
                               "Kontrollera indrag och hakparenteser.")
            try:
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1

        def get_single_node(self):
            node = super().get_single_node()
            if node is not None:
                _check_expansion(node)
            return node

        def construct_mapping(self, node, deep=False):
            seen: dict = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    first = seen.setdefault(key, key_node.start_mark.line + 1)
                except TypeError:
                    continue  # an unhashable key: the base class says so
                if first != key_node.start_mark.line + 1:
                    raise _Refused(f"rad {key_node.start_mark.line + 1}: nyckeln {key} finns redan på rad {first}. "
                                   "Ta bort den ena, annars är det oklart vilken som gäller.")
            return super().construct_mapping(node, deep)

    # Dates stay text: a date that does not exist (30 February) is then the settings' sentence, not a crash here.
    BoundedLoader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return BoundedLoader


def _check_expansion(root) -> None:
    """Refuse a document whose aliases expand to more than MAX_NODES values or MAX_DEPTH levels, or refer to themselves."""
    measured: dict[int, tuple[int, int]] = {}  # node → (values, levels) once expanded
    open_nodes: set[int] = set()

    def measure(node, depth: int) -> tuple[int, int]:
        key = id(node)
        if key in open_nodes:
            raise _Refused(f"rad {node.start_mark.line + 1}: ett alias (*) pekar på värdet det självt står i.")
        if key not in measured:
            if depth > MAX_DEPTH:
                raise _Refused(f"rad {node.start_mark.line + 1}: alias (*) bäddar in värdena i fler än {MAX_DEPTH} nivåer. "
                               "Skriv ut värdena i stället för att upprepa dem med alias.")
            open_nodes.add(key)
            count, height = 1, 0
            if isinstance(node.value, list):
                children = [n for item in node.value for n in (item if isinstance(item, tuple) else (item,))]
                for child in children:
                    c, h = measure(child, depth + 1)
                    count, height = count + c, max(height, h)
                    if count > MAX_NODES:
                        raise _Refused(f"rad {node.start_mark.line + 1}: alias (*) upprepar värden till fler än {thousands(MAX_NODES)} stycken. "
                                       "Skriv ut värdena i stället för att upprepa dem med alias.")
            open_nodes.discard(key)
            measured[key] = (count, height + 1)
        count, height = measured[key]
        if depth + height - 1 > MAX_DEPTH:
            raise _Refused(f"rad {node.start_mark.line + 1}: alias (*) bäddar in värdena i fler än {MAX_DEPTH} nivåer. "
                           "Skriv ut värdena i stället för att upprepa dem med alias.")
        return count, height

    measure(root, 1)


def load_yaml(path: Path, name: str | None = None):
    """The YAML document in `path`, within the bounds; `name` is how sentences call the file (default: its name)."""
    import yaml

    name = name or path.name
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{path} kan inte läsas: {exc}.") from exc
    if len(data) > MAX_BYTES:
        raise InputError(f"{name} är större än {MAX_BYTES // 1_000_000} MB, vilket ingen konfiguration behöver. "
                         "Kontrollera att det är rätt fil.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name} är inte sparad som UTF-8 (byte {exc.start}). Spara om den som UTF-8.") from exc
    try:
        return yaml.load(text, Loader=_loader_class())  # noqa: S506 – a SafeLoader subclass
    except _Refused as exc:
        raise InputError(f"{name} {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (rad {mark.line + 1})" if mark else ""
        raise InputError(f"{name}{where} är inte giltig YAML: {getattr(exc, 'problem', None) or exc}. "
                         "Kontrollera indrag och kolon.") from exc

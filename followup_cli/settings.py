"""Shipped defaults with the user's section of followup.yaml merged over them, then checked by a settings model.

The risk model and the plan keep every number in a defaults.yaml beside
their code, which is also their documentation. The merged result is checked
by a strict pydantic model (`*/settings.py`); the first failure becomes one
Swedish sentence naming the full key, with a suggestion for a misspelt key.
The callers keep the merged dict, so a valid setting reaches the domain code
exactly as written.
"""

from __future__ import annotations

import copy
import functools
import math
import types
import typing
from pathlib import Path

from followup_cli.errors import InputError
from followup_cli.text import fold, suggest


@functools.cache
def _defaults(path: Path) -> dict:
    from followup_cli.yamlfile import load_yaml

    return load_yaml(path)


def load_defaults(path: Path) -> dict:
    """A shipped defaults.yaml, read once per process; the caller gets its own copy."""
    return copy.deepcopy(_defaults(path))


def merge(base: dict, override) -> dict:
    """`override` laid over `base`: tables merge key by key, anything else replaces.

    An empty table keeps the defaults; an empty text setting is empty text. What
    does not fit (a number for a table, an unknown key) is left for the model to name.
    """
    if not isinstance(override, dict):
        return override
    result = copy.deepcopy(base)
    for key, value in override.items():
        default = base.get(key)
        if isinstance(default, dict) and (value is None or isinstance(value, dict)):
            result[key] = merge(default, value or {})
        elif isinstance(default, str) and value is None:
            result[key] = ""
        else:
            result[key] = value
    return result


def validated(model: type, data, section: str, source: str):
    """`data` checked by `model`; the first failure as one sentence naming `section`.key (exit 3)."""
    from pydantic import ValidationError

    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = sorted(exc.errors(include_url=False), key=lambda e: e["type"] == "missing")  # a misspelt key explains a missing one
        raise InputError(sentence(errors[0], model, section, source)) from None


def sentence(error: dict, model: type, section: str, source: str) -> str:
    """One pydantic error in Swedish: `source: key phrase (nu: value).`"""
    loc = tuple(error["loc"])
    kind, value, context = error["type"], error.get("input"), error.get("ctx") or {}
    if kind == "followup" and context.get("key"):
        loc = (*loc, *(int(p) if p.isdigit() else p for p in context["key"].split(".")))
    key = _key(section, loc)
    if kind == "extra_forbidden":
        known = _known_keys(model, loc[:-1])
        prefix = _key(section, loc[:-1])
        prefix = f"{prefix}." if prefix else ""
        near = suggest(str(loc[-1]), {fold(k): k for k in known})
        hint = (f" – menade du {prefix}{near}?" if near else
                f". Kända nycklar här: {', '.join(known)}." if known else ".")
        return f"{source}: okänd nyckel {key}{hint}"
    if kind == "followup":
        return f"{source}: {key} {error['msg']}."
    expected = _expected(model, loc)
    if kind == "missing":
        return f"{source}: {key} saknas" + (f"; den ska vara {expected}." if expected else ".")
    if kind == "less_than_equal" and context.get("le", 0) >= 2**63 - 1:
        return f"{source}: {key} är ett för stort tal (nu: {_shown(value)})."
    expected = expected or _PHRASES.get(kind, "något annat")
    return f"{source}: {key} ska vara {expected} (nu: {_shown(value)})."


_PHRASES = {"bool_type": "true eller false", "string_type": "text", "list_type": "en lista", "dict_type":
            "en tabell med nycklar", "model_type": "en tabell med nycklar", "tuple_type": "en lista",
            "int_type": "ett heltal", "float_type": "ett tal", "too_short": "en längre lista"}


def _key(section: str, loc: tuple) -> str:
    text = section
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _shown(value) -> str:
    """A value as the user wrote it in YAML."""
    if value is None:
        return "tomt"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


# --- what the model expects at a key -------------------------------------------------------------------------------

def _walk(model: type, loc: tuple):
    """The annotation and field info at `loc` in `model`, following models, lists and dicts."""
    from pydantic import BaseModel

    annotation, info = model, None
    for part in loc:
        annotation, found = _unwrap(annotation)
        info = found or info
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = _fields(annotation).get(str(part))
            if field is None:
                return None, None
            annotation, info = field.annotation, field
            continue
        origin, args = typing.get_origin(annotation), typing.get_args(annotation)
        if origin in (list, tuple) and args:
            annotation, info = args[0], None
        elif origin is dict and len(args) == 2:
            annotation, info = args[1], None
        else:
            return None, None
    annotation, found = _unwrap(annotation)
    return annotation, found or info


def _unwrap(annotation):
    """Annotated and Optional peeled off; the field info from Annotated, if any."""
    from pydantic.fields import FieldInfo

    info = None
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            args = typing.get_args(annotation)
            info = next((a for a in args[1:] if isinstance(a, FieldInfo)), info)
            annotation = args[0]
        elif origin in (typing.Union, types.UnionType):
            rest = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(rest) != 1:
                return annotation, info
            annotation = rest[0]
        else:
            return annotation, info


def _known_keys(model: type, loc: tuple) -> list[str]:
    from pydantic import BaseModel

    annotation, _ = _walk(model, loc)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(_fields(annotation))
    return []


def _fields(model: type) -> dict:
    """A model's fields by the key the file uses (the alias where there is one)."""
    return {field.alias or name: field for name, field in model.model_fields.items()}


def _expected(model: type, loc: tuple) -> str | None:
    """What the value at `loc` should be, in words: the field's description, else built from its type and bounds."""
    from pydantic import BaseModel

    annotation, info = _walk(model, loc)
    if info is not None and info.description:
        return info.description
    bounds = {}
    for item in info.metadata if info is not None else ():
        for name in ("gt", "ge", "lt", "le"):
            if getattr(item, name, None) is not None:
                bounds[name] = getattr(item, name)
    if annotation is bool:
        return "true eller false"
    if annotation in (int, float):
        noun = "ett heltal" if annotation is int else "ett tal"
        high = bounds.get("le")
        high = None if high is not None and high >= 2**63 - 1 else high
        if "ge" in bounds and high is not None:
            return f"{noun} {bounds['ge']}–{high}"
        if "gt" in bounds:
            return f"{noun} större än {bounds['gt']}"
        if "ge" in bounds:
            return f"{noun} ≥ {bounds['ge']}"
        return noun
    if annotation is str:
        return "text"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel) or typing.get_origin(annotation) is dict:
        return "en tabell med nycklar"
    if typing.get_origin(annotation) in (list, tuple):
        return "en lista"
    return None

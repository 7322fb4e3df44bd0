"""Shipped defaults with the user's section of followup.yaml merged in, checked key by key.

The risk model and the plan keep every number in a defaults.yaml beside
their code, which is also their documentation. An override with an unknown
key gets a suggestion, a wrong type a sentence naming the key.
"""

from __future__ import annotations

import copy
from pathlib import Path

from followup_cli.errors import InputError
from followup_cli.text import fold, suggest


def load_defaults(path: Path) -> dict:
    import yaml

    with path.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def merge_checked(base: dict, override, section: str, source: str, open_maps: set[tuple] = frozenset(),
                  path: tuple = ()) -> dict:
    """`override` merged into `base`. Keys must exist in base, except in the user's own tables
    (`open_maps`, paths below the section), where a new key takes the type of the existing entries."""
    if not isinstance(override, dict):
        raise InputError(f"{source}: {_key(section, path)} ska vara en tabell med nycklar.")
    result = copy.deepcopy(base)
    for key, value in override.items():
        where = (*path, str(key))
        if key not in base and path not in open_maps:
            near = suggest(str(key), {fold(k): k for k in base})
            raise InputError(f"{source}: okänd nyckel {_key(section, where)}" + (f" – menade du {_key(section, (*path, near))}?" if near
                             else f". Kända nycklar här: {', '.join(map(str, base))}."))
        default = base[key] if key in base else next(iter(base.values()), None)
        if isinstance(default, dict):
            result[key] = merge_checked(default, {} if value is None else value, section, source, open_maps, where)
        else:
            result[key] = checked_value(value, default, _key(section, where), source)
    return result


def checked_value(value, default, key: str, source: str):
    """`value` if it has the type of `default`; numbers must be ≥ 0."""
    if default is None or isinstance(default, (list, dict)) and isinstance(value, type(default)):
        return value
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise InputError(f"{source}: {key} ska vara true eller false (nu: {value!r}).")
        return value
    if isinstance(default, (int, float)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise InputError(f"{source}: {key} ska vara ett tal ≥ 0, t.ex. {default} (nu: {value!r}).")
        return value
    if isinstance(default, str):
        return "" if value is None else str(value)
    raise InputError(f"{source}: {key} ska vara {type(default).__name__} som standardvärdet {default!r} (nu: {value!r}).")


def _key(section: str, path: tuple) -> str:
    return ".".join((section, *path))

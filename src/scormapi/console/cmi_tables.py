"""A SCO's stored CMI values laid out for reading: the indexed
collections (interactions, objectives) as tables of their own, one row
per index, everything else as name and value."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

# cmi.interactions.3.result -> ("interactions", 3, "result"); 2004's
# nested collections (cmi.interactions.0.objectives.1.id) keep their tail.
_INDEXED = re.compile(r"^cmi\.(interactions|objectives)\.(\d+)\.(.+)$")


@dataclass
class Collection:
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


@dataclass(frozen=True)
class CmiTables:
    values: list[tuple[str, str]]
    interactions: Collection
    objectives: Collection


def cmi_tables(state: Mapping[str, str]) -> CmiTables:
    plain: list[tuple[str, str]] = []
    indexed: dict[str, dict[int, dict[str, str]]] = {"interactions": {}, "objectives": {}}
    for name in sorted(state):
        match = _INDEXED.match(name)
        if match:
            indexed[match[1]].setdefault(int(match[2]), {})[match[3]] = str(state[name])
        else:
            plain.append((name, str(state[name])))
    return CmiTables(plain, _collection(indexed["interactions"]), _collection(indexed["objectives"]))


def _collection(by_index: dict[int, dict[str, str]]) -> Collection:
    columns: list[str] = []
    for parts in by_index.values():
        columns.extend(name for name in parts if name not in columns)
    # "id" first: it names the row.
    columns.sort(key=lambda name: (name != "id", name))
    rows = [(index, [by_index[index].get(name, "") for name in columns]) for index in sorted(by_index)]
    return Collection(columns, rows)

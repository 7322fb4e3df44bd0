"""Evidence gathered sheet by sheet while the register is being read.

Kept apart from the analysis and free of heavy imports at module level, so
a command can create the collector before reading and pandas loads while
the first sheets already load in the background.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


class EvidenceCollector:
    """Works out each evidence factor as soon as the sheets it needs have been read.

    Given to `read_register(on_table=...)`, it runs the analysis while the
    largest sheets are still loading in the background; given nothing, the
    analysis feeds it every sheet itself. Either way the factors are the same
    pure functions of the tables.
    """

    def __init__(self, as_of: dt.date, model):
        self.as_of, self.model = as_of, model
        self.tables: dict[str, pd.DataFrame] = {}
        self.seen: set[str] = set()
        self.pending: list | None = None  # (factor, sheets) pairs, set on the first sheet
        self.rows: list[dict] = []
        self.reasons: dict[str, list] = {}  # provider → (sort key, Reason) per row, made while later sheets load
        self.ctx = None
        self.consequence = None  # (scores, warnings), once providers and the finding sheets are read

    def __call__(self, name: str, table) -> None:
        # Imported here, not at the top, so that pandas loads while the first sheets are already loading.
        import pandas as pd

        from followup_cli.risk import evidence
        from followup_cli.risk.consequence import (
            active_providers,
            add_reasons,
            consequence_scores,
        )

        if self.pending is None:
            self.pending = list(evidence.FACTORS)
        self.seen.add(name)
        if table is not None:
            self.tables[name] = table.data
        if name == "providers" and table is not None:
            self.ctx = evidence.Context(tables=self.tables, providers=active_providers(table.data),
                                        as_of=pd.Timestamp(self.as_of), model=self.model)
        if self.ctx is None:
            return
        for factor, needs in [f for f in self.pending if self.seen.issuperset(f[1])]:
            rows = factor(self.ctx)
            self.rows += rows
            add_reasons(self.reasons, rows)
            self.pending.remove((factor, needs))
        if self.consequence is None and self.seen.issuperset(evidence.FINDING_SHEETS):
            self.consequence = consequence_scores(self.ctx)

    def feed(self, register) -> EvidenceCollector:
        from followup_cli.schemas import register_schemas

        for name in register_schemas():
            if name not in self.seen:
                self(name, register.tables.get(name))
        return self

"""What a risk analysis returns: per provider the level, the coordinates and the reasons in words."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from followup_cli.risk.model import Matrix


@dataclass(frozen=True)
class Reason:
    factor: str
    dimension: str  # "likelihood" or "consequence"
    count: int
    contribution: float
    text: str
    area: str | None = None


@dataclass(frozen=True)
class Area:
    area: str
    area_id: str
    points: float


@dataclass(frozen=True)
class Cell:
    """The register cell a free text came from: a warning or a stop about the text sends the user there."""

    file: str
    sheet: str | None
    row: int
    column: str | None
    header: str | None = None


@dataclass(frozen=True)
class Adjustment:
    """A strategist's stated decision, shown beside the computed result, never instead of it."""

    action: str
    action_id: str
    reason: str
    decided_by: str | None
    date: str | None
    likelihood: int | None = None  # the adjusted result, for Höj/Sänk risk
    risk_value: int | None = None
    level: str | None = None
    level_id: str | None = None
    source: Cell | None = None  # the reason's cell (Justeringar, Motivering)

    def to_dict(self) -> dict:
        data = dict(self.__dict__)
        data["source"] = dict(self.source.__dict__) if self.source else None
        return data


@dataclass(frozen=True)
class ProviderRisk:
    rank: int
    provider_id: str
    name: str
    ownership: str | None
    service_area: str | None
    board: str | None
    reviewing_unit: str | None
    clients: int | None
    likelihood: int
    consequence: int
    likelihood_floor: int  # the least likelihood a serious signal gives (1: no floor)
    likelihood_points: float
    consequence_score: float
    score: float
    risk_value: int
    level: str
    level_id: str
    color: str
    unknown: bool
    missing: tuple[str, ...]
    last_review: str | None
    reasons: tuple[Reason, ...]
    areas: tuple[Area, ...]
    adjustment: Adjustment | None = None
    other_adjustments: tuple[Adjustment, ...] = ()

    @property
    def adjusted(self) -> bool:
        """Whether a strategist's Höj/Sänk risk sets the final level."""
        return bool(self.adjustment and self.adjustment.level)

    @property
    def final_value(self) -> int:
        return self.adjustment.risk_value if self.adjustment and self.adjustment.risk_value else self.risk_value

    @property
    def final_level(self) -> str:
        return self.adjustment.level if self.adjustment and self.adjustment.level else self.level

    @property
    def final_level_id(self) -> str:
        return self.adjustment.level_id if self.adjustment and self.adjustment.level_id else self.level_id

    def main_reasons(self) -> list[str]:
        """The likelihood reasons worth showing in a short list, largest first: those that moved the points
        noticeably (0.05 or more), and the mark of an unknown provider whatever its points."""
        return [r.text for r in self.reasons if r.dimension == "likelihood" and (r.contribution >= 0.05 or r.factor == "unknown")]

    def to_dict(self) -> dict:
        """As asdict(), written out: asdict's deep copy was a third of a second for a large city."""
        data = dict(self.__dict__)
        data["missing"] = list(self.missing)
        data["reasons"] = [dict(r.__dict__) for r in self.reasons]
        data["areas"] = [dict(a.__dict__) for a in self.areas]
        data["adjustment"] = self.adjustment.to_dict() if self.adjustment else None
        data["other_adjustments"] = [a.to_dict() for a in self.other_adjustments]
        return data


@dataclass(frozen=True)
class InactiveProvider:
    provider_id: str
    name: str
    service_area: str | None
    contract_end: str | None


@dataclass
class RiskAnalysis:
    as_of: dt.date
    matrix: Matrix
    providers: list[ProviderRisk]
    inactive: list[InactiveProvider]
    warnings: list[str] = field(default_factory=list)
    absent_sheets: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Plain dicts and lists, for library use."""
        data = self.json_ready()
        data["providers"] = [p.to_dict() for p in self.providers]
        data["inactive"] = [asdict(p) for p in self.inactive]
        return data

    def json_ready(self) -> dict:
        """The same as to_dict, with the providers still dataclasses: the CLI's JSON writer (orjson) writes
        them field by field itself, in the same shape, without the copy."""
        return {
            "as_of": self.as_of.isoformat(),
            "matrix": self.matrix.to_dict(),
            "providers": self.providers,
            "inactive": self.inactive,
            "warnings": list(self.warnings),
            "absent_sheets": list(self.absent_sheets),
        }

    def counts(self) -> list[list[int]]:
        """Known providers per matrix cell, [likelihood-1][consequence-1], at their computed coordinates.
        Unknown providers are left out: their likelihood is what little evidence gives, not a finding."""
        grid = [[0] * len(self.matrix.consequence) for _ in self.matrix.likelihood]
        for p in self.providers:
            if not p.unknown:
                grid[p.likelihood - 1][p.consequence - 1] += 1
        return grid

    def unknown_counts(self) -> list[int]:
        """Unknown providers per consequence column: the matrix's own 'Okänd' row."""
        row = [0] * len(self.matrix.consequence)
        for p in self.providers:
            if p.unknown:
                row[p.consequence - 1] += 1
        return row

    def level_counts(self) -> dict[str, tuple[int, int]]:
        """Per level id, lowest first: (providers at that final level, of which adjusted there by a strategist)."""
        out = {lv.id: [0, 0] for lv in self.matrix.levels}
        for p in self.providers:
            entry = out[p.final_level_id]
            entry[0] += 1
            entry[1] += p.adjusted
        return {k: (n, adjusted) for k, (n, adjusted) in out.items()}

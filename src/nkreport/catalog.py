"""The report's figures and tables, in the order they are numbered.

Each entry names the function that draws the figure (or builds the table) from the
loaded tables, and the caption the report prints under it. The number a reader sees
is the entry's position here, so numbering stays right when the order changes.
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module


@dataclass(frozen=True)
class Entry:
    id: str
    function: str  # "module:function" inside nkreport
    caption: str

    def __call__(self, tables):
        module, name = self.function.split(":")
        return getattr(import_module(f"nkreport.{module}"), name)(tables)


REPORT_TITLE = "Iran and the regional powers in the Nagorno-Karabakh conflict"
REPORT_SUBTITLE = (
    "Who said what, when, and on what evidence: a sourced reading of a 2013 commentary "
    "and the claim that Iran helped Azerbaijan in the war"
)

FIGURES: list[Entry] = [
    Entry("locator-map", "figures.locator:locator_map",
          "The South Caucasus: Armenia, Azerbaijan with Nakhchivan, the Nagorno-Karabakh area as "
          "held de facto before 2020, Georgia, and the neighbouring parts of Iran, Turkey and Russia."),
    Entry("actor-network", "figures.network:actor_network",
          "Actors and the relations the sources attribute to them. Solid lines are official "
          "positions; dashed lines are alleged ones; the label names who makes the claim."),
    Entry("timeline", "figures.timeline:timeline",
          "Periods of the conflict as bands and dated events as marks, 1988 to 2024."),
    Entry("positions", "figures.positions:positions_matrix",
          "Each actor's stance toward Armenia and toward Azerbaijan: official positions beside "
          "alleged ones, with who alleges them."),
    Entry("iran-stance", "figures.iran:iran_stance",
          "Iran's stance period by period: its official position, what others allege and who, "
          "and the commentary's own reading."),
    Entry("claim-chain", "figures.chain:claim_chain",
          "How the 2013 claim reached the reader: speaker, broadcaster, translator, reporter and "
          "commentator, with the claims that corroborate or dispute it."),
    Entry("recognition", "figures.recognition:recognition_matrix",
          "Recognition of Nagorno-Karabakh, Kosovo, Abkhazia, South Ossetia and Northern Cyprus "
          "by the five states of the region."),
    Entry("claim-grades", "figures.grades:claim_grades",
          "Claims by Admiralty grade: source reliability (A to F) against information "
          "credibility (1 to 6)."),
]

TABLES: list[Entry] = [
    Entry("actors", "tables:actors_table", "The actors: kind, role and a short description."),
    Entry("events", "tables:events_table", "Dated events, by period, with their sources."),
    Entry("positions", "tables:positions_table",
          "Official and alleged positions, derived from the claims: who claims what about whom."),
    Entry("interests", "tables:interests_table",
          "The regional powers' stated and alleged interests and motives, as the sources give them."),
    Entry("claim-2013", "tables:claim_2013_table",
          "The 2013 claim and the statements around it, with status and grade."),
    Entry("disputes", "tables:disputes_table",
          "Where the commentary and the article disagree, point by point."),
    Entry("recognition", "tables:recognition_table",
          "Recognition by state and entity, with dates and sources."),
    Entry("epilogue", "tables:epilogue_table", "Events after 2013, with their sources."),
    Entry("claims", "tables:claims_table",
          "The claims ledger: every statement coded, with its status, grade and the reason for the grade."),
    Entry("sources", "tables:sources_table", "The sources, as cited in this report."),
    Entry("dictionary", "tables:dictionary_table",
          "Data dictionary: every column of every table in data/, from datapackage.json."),
]


def number(kind: str, entry_id: str) -> int:
    entries = FIGURES if kind == "figure" else TABLES
    for i, e in enumerate(entries, start=1):
        if e.id == entry_id:
            return i
    raise KeyError(f"no {kind} {entry_id!r} in the catalogue (nkreport/catalog.py)")


def get(kind: str, entry_id: str) -> Entry:
    entries = FIGURES if kind == "figure" else TABLES
    return entries[number(kind, entry_id) - 1]


def anchor(kind: str, entry_id: str) -> str:
    return ("fig-" if kind == "figure" else "tab-") + entry_id

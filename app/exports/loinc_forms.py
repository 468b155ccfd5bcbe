"""The LOINC forms for PHQ-9 (panel 44249-1) and GAD-7 (69737-5): item codes, linkIds and answer codes.

Taken from the LOINC panels as published for FHIR (the NLM LHC-Forms Questionnaires built from LOINC): each item's
linkId is "/" + its LOINC code, and answers are LOINC answer codes (LA...). One quirk is kept on purpose: in the
LOINC form, GAD-7 item 2 (68509-9) answers "2" with LA18938-3 "More days than not", not LA6570-1; an EHR that
maps by answer code expects exactly that. Scores travel as the ordinal value of each answer.
"""
from dataclasses import dataclass, field
from types import MappingProxyType

from app.checkins.instruments import InstrumentCode

LOINC = "http://loinc.org"


@dataclass(frozen=True)
class LoincAnswer:
    code: str
    display: str


@dataclass(frozen=True)
class LoincItem:
    code: str
    display: str
    answer_overrides: dict[int, LoincAnswer] = field(default_factory=dict)

    @property
    def link_id(self) -> str:
        return f"/{self.code}"


@dataclass(frozen=True)
class LoincForm:
    panel: str
    panel_display: str
    total_code: str
    total_display: str
    items: tuple[LoincItem, ...]
    answers: tuple[LoincAnswer, ...]
    """Answer for score 0, 1, 2, 3, in order."""

    def answer(self, item_number: int, score: int) -> LoincAnswer:
        item = self.items[item_number - 1]
        return item.answer_overrides.get(score, self.answers[score])

    def item_options(self, item_number: int) -> list[tuple[int, LoincAnswer]]:
        return [(score, self.answer(item_number, score)) for score in range(len(self.answers))]

    @property
    def canonical(self) -> str:
        """The Questionnaire's canonical URL as LOINC publishes its forms."""
        return f"{LOINC}/q/{self.panel}"


FREQUENCY_ANSWERS = (
    LoincAnswer("LA6568-5", "Not at all"),
    LoincAnswer("LA6569-3", "Several days"),
    LoincAnswer("LA6570-1", "More than half the days"),
    LoincAnswer("LA6571-9", "Nearly every day"),
)

PHQ9_ITEM9_CODE = "44260-8"
"""PHQ-9 item 9 (thoughts of being better off dead or of hurting yourself), exported as its own Observation."""

PHQ9_FORM = LoincForm(
    panel="44249-1",
    panel_display="PHQ-9 quick depression assessment panel",
    total_code="44261-6",
    total_display="Patient health questionnaire 9 item total score",
    items=(
        LoincItem("44250-9", "Little interest or pleasure in doing things"),
        LoincItem("44255-8", "Feeling down, depressed, or hopeless"),
        LoincItem("44259-0", "Trouble falling or staying asleep, or sleeping too much"),
        LoincItem("44254-1", "Feeling tired or having little energy"),
        LoincItem("44251-7", "Poor appetite or overeating"),
        LoincItem("44258-2", "Feeling bad about yourself-or that you are a failure or have let yourself or your family down"),
        LoincItem("44252-5", "Trouble concentrating on things, such as reading the newspaper or watching television"),
        LoincItem("44253-3", "Moving or speaking so slowly that other people could have noticed. Or the opposite-being "
                             "so fidgety or restless that you have been moving around a lot more than usual"),
        LoincItem(PHQ9_ITEM9_CODE, "Thoughts that you would be better off dead, or of hurting yourself in some way"),
    ),
    answers=FREQUENCY_ANSWERS,
)

GAD7_FORM = LoincForm(
    panel="69737-5",
    panel_display="Generalized anxiety disorder 7 item (GAD-7)",
    total_code="70274-6",
    total_display="Generalized anxiety disorder 7 item (GAD-7) total score",
    items=(
        LoincItem("69725-0", "Feeling nervous, anxious or on edge"),
        LoincItem("68509-9", "Over the past 2 weeks have you not been able to stop or control worrying",
                  answer_overrides={2: LoincAnswer("LA18938-3", "More days than not")}),
        LoincItem("69733-4", "Worrying too much about different things"),
        LoincItem("69734-2", "Trouble relaxing"),
        LoincItem("69735-9", "Being so restless that it is hard to sit still"),
        LoincItem("69689-8", "Becoming easily annoyed or irritable"),
        LoincItem("69736-7", "Feeling afraid as if something awful might happen"),
    ),
    answers=FREQUENCY_ANSWERS,
)

LOINC_FORMS = MappingProxyType({InstrumentCode.PHQ9: PHQ9_FORM, InstrumentCode.GAD7: GAD7_FORM})

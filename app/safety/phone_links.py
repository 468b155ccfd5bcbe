"""Phone numbers as one-tap links: the `tel_href` filter for numbers the clinic typed, and the numbers found in
a patient's safety plan (parsed with `phonenumbers`; validating numbers on input is the account forms' job)."""
import re
from dataclasses import dataclass

import phonenumbers

PLAN_CONTACT_STEPS = ("help_contacts", "professionals", "distractions")
"""The safety-plan steps whose lines name people and services to call, in the order a patient in crisis needs."""


def tel_href(number: str) -> str:
    """A dialable URI part: digits and a leading plus only ("(555) 010-2000" -> "5550102000")."""
    cleaned = re.sub(r"[^0-9+]", "", number or "")
    return cleaned[:1] + cleaned[1:].replace("+", "")


@dataclass(frozen=True)
class PlanContact:
    label: str
    number: str
    dial: str


def plan_contacts(plan, region: str = "US") -> list[PlanContact]:
    """Every phone number in the plan's contact steps, labelled by the rest of its line ("Mum: 555-0100").
    Both call and text are offered: the patient knows which of their people can take a text."""
    found: list[PlanContact] = []
    seen: set[str] = set()
    for step in PLAN_CONTACT_STEPS:
        for line in (getattr(plan, step, "") or "").splitlines():
            for match in phonenumbers.PhoneNumberMatcher(line, region, leniency=phonenumbers.Leniency.POSSIBLE):
                dial = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
                if dial in seen:
                    continue
                seen.add(dial)
                label = (line[: match.start] + line[match.end :]).strip(" :-–—,;\t") or match.raw_string
                found.append(PlanContact(label=label[:80], number=match.raw_string, dial=dial))
    return found

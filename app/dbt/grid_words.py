"""Row names and answers of the therapist's week grid of diary cards (app/dbt/services.py `week_grid`).

Staff wording, marked for the catalogs: kept apart so the catalog test can tell staff-only text (English-first,
issue 21) from what patients read on their own diary card.
"""
from app.i18n.markers import N_

ACTED_ON_IT = N_("Acted on it")
SKILLS_USED = N_("Skills used (0-7)")
NOTES = N_("Notes")
YES = N_("yes")
NO = N_("no")

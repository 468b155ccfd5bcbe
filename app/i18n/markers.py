"""N_: marks a string in a data table for the catalogs without translating it there.

Built-in libraries (skill cards, activity ideas, thinking traps) keep their English text as data: it is compared,
stored and exported as written. `pybabel extract` picks up N_("...") (one of its default keywords), and pages show
the text through the `translated` filter, in the reader's language (English when a string has no translation).
"""


def N_(text: str) -> str:  # noqa: N802 - the gettext convention
    return text

"""The patient's own Progress page: how things are moving, in their words and numbers, without streaks or badges."""

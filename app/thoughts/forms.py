"""The thought record form (one calm page, a fieldset per column) and the therapist's comment form."""
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, SelectChoice, SelectMultipleField, StringField, TextAreaField
from wtforms.widgets import CheckboxInput, ListWidget
from flask_babel import lazy_gettext as _l

from app.forms import ScoreField
from app.models import ThoughtRecord
from app.thoughts.columns import MAX_EMOTIONS, EmotionRating
from app.thoughts.traps import THINKING_TRAPS


class EmotionRow(Form):
    name = StringField(_l("Emotion"), render_kw={"maxlength": 60, "autocomplete": "off"})
    intensity = ScoreField(_l("How strong (0-100 %)"), low=0, high=100)
    rerated = ScoreField(_l("How strong now (0-100 %)"), low=0, high=100)


class ThoughtRecordForm(FlaskForm):
    situation = TextAreaField(
        _l("What happened?"), description=_l("When, where, who was there. A few words is enough."),
        render_kw={"rows": 3},
    )
    automatic_thoughts = TextAreaField(
        _l("What went through your mind?"), description=_l("The thought that came up, in your own words."),
        render_kw={"rows": 3},
    )
    belief_before = ScoreField(_l("How much did you believe it? (0-100 %)"), low=0, high=100)
    emotions = FieldList(FormField(EmotionRow), min_entries=MAX_EMOTIONS, max_entries=MAX_EMOTIONS)
    traps = SelectMultipleField(
        _l("Thinking traps you notice (optional)"),
        choices=[SelectChoice(trap.slug, trap.label) for trap in THINKING_TRAPS],
        validate_choice=False,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    evidence_for = TextAreaField(_l("What supports the thought?"), description=_l("Facts, not feelings."), render_kw={"rows": 3})
    evidence_against = TextAreaField(
        _l("What doesn't fit the thought?"), description=_l("What would you tell a friend in your place?"), render_kw={"rows": 3}
    )
    balanced_thought = TextAreaField(
        _l("A more balanced thought"), description=_l("One that takes in all the evidence."), render_kw={"rows": 3}
    )
    belief_balanced = ScoreField(_l("How much do you believe the balanced thought? (0-100 %)"), low=0, high=100)

    def raw(self) -> dict:
        """What the rules validate: the columns by name, emotion rows, and trap slugs."""
        values = {name: self[name].data for name in (
            "situation", "automatic_thoughts", "belief_before", "evidence_for", "evidence_against",
            "balanced_thought", "belief_balanced")}
        values["emotions"] = [row.data for row in self.emotions]
        values["traps"] = self.traps.data or []
        return values

    def fill_from(self, record: ThoughtRecord, emotions: list[EmotionRating]) -> None:
        """Show a saved record (a draft to finish, or a record to edit)."""
        for name in ("situation", "automatic_thoughts", "evidence_for", "evidence_against", "balanced_thought"):
            self[name].data = getattr(record, name)
        for name in ("belief_before", "belief_balanced"):
            value = getattr(record, name)
            self[name].data = "" if value is None else str(value)
        self.traps.data = list(record.traps)
        for row, emotion in zip(self.emotions, emotions, strict=False):
            row.form.name.data = emotion.name
            row.form.intensity.data = "" if emotion.intensity is None else str(emotion.intensity)
            row.form.rerated.data = "" if emotion.rerated is None else str(emotion.rerated)


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Comment for the patient"), description=_l("The patient sees this with their record."),
                         render_kw={"rows": 3})

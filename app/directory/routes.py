"""The staff patient directory page."""
from flask import Blueprint, render_template, request
from flask_login import current_user

from app.db import get_db
from app.directory.listing import MATCHES, find_patients
from app.directory.search import DirectoryQuery, parse_query
from app.models.types import utcnow
from app.policy import clinic_team_required
from app.validation import FieldError

bp = Blueprint("directory", __name__)


@bp.get("/clinic/patients")
@clinic_team_required
def patients():
    """Search by name, MRN or date of birth; with no search, the newest patients (a new invite has no visit yet)."""
    typed = request.args.get("q", "")
    try:
        query = parse_query(typed)
    except FieldError as error:
        return render_template("directory/patients.html", rows=[], more=False, searched=True, typed=typed,
                               errors={"q": error.message}, limit=MATCHES), 400
    rows, more = find_patients(get_db(), current_user, query, now=utcnow())
    searched = query != DirectoryQuery(terms=(), birth_date=None)
    return render_template("directory/patients.html", rows=rows, more=more, searched=searched, typed=typed,
                           errors={}, limit=MATCHES)

"""DBT pages: skill cards with the "used it" log, the daily diary card, and the therapist's week grid."""
from flask import Blueprint

bp = Blueprint("dbt", __name__)

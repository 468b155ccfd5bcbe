"""Every page a role can open renders in Chromium under the strict CSP without a single violation."""
import pytest

from tests.browser.conftest import sign_in_page
from tests.requests.test_authorization_matrix import MATRIX, request_url
from tests.support.world import ROLES, build_world

NOT_HTML = {  # downloads and data, not pages
    "static", "tms.calendar_feed", "exports.my_data_json", "exports.patient_csv", "exports.patient_fhir",
    "exports.caseload_csv", "exports.fhir_questionnaire", "exports.fhir_code_system", "push.public_key", "pwa.manifest", "pwa.service_worker", "pwa.shell", "auth.healthz",
}


def _pages_for(role: str) -> list[str]:
    column = ROLES.index(role)
    return sorted(endpoint for (endpoint, method), row in MATRIX.items()
                  if method == "GET" and row[column] == 200 and endpoint not in NOT_HTML)


@pytest.mark.parametrize("role", ["anonymous", "patient_a", "therapist_a", "admin"])
def test_pages_raise_no_csp_violations(app, db, browser, live_server, role):
    world = build_world(db)
    context = browser.new_context(base_url=live_server)
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None)
    try:
        if role != "anonymous":
            sign_in_page(page, world.users[role].email)
        visited = []
        for endpoint in _pages_for(role):
            url = request_url(app, world, endpoint, "GET")
            response = page.goto(url)
            assert response.status == 200, url
            visited.append(url)
        assert visited and violations == []
    finally:
        context.close()

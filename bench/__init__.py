"""Benchmarks: each module's docstring says what it measures and how to run it from the repository root."""
import re


def signed_in_client(application, email: str, password: str, *, user_agent: str = "bench"):
    """A Flask test client signed in through the form, as a browser is (CSRF token from the page, and a
    server-side device session row behind the cookie)."""
    client = application.test_client()
    client.environ_base["HTTP_USER_AGENT"] = user_agent
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page)
    response = client.post("/login", data={"email": email, "password": password, "csrf_token": token.group(1)})
    if response.status_code != 302:
        raise SystemExit(f"could not sign in {email}: {response.status_code}")
    return client

"""Weight on a phone: every patient page's first load (HTML + CSS + JS, as transferred) fits in 50 KB, and nothing
is fetched from another host."""
from urllib.parse import urlsplit

from app.demo import DEMO_PASSWORD, seed
from tests.browser.conftest import PHONE, sign_in_page
from tests.browser.test_accessibility import PATIENT_AREA, page_types

BUDGET_BYTES = 50 * 1024
COUNTED = {"Document", "Stylesheet", "Script"}


def first_load_bytes(browser, live_server, state, url) -> tuple[int, set[str]]:
    """Transferred bytes (Chromium's encodedDataLength: headers and compressed body) on a fresh, empty cache."""
    context = browser.new_context(base_url=live_server, storage_state=state, **PHONE)
    page = context.new_page()
    hosts: set[str] = set()
    context.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    kinds: dict[str, str] = {}
    sizes: dict[str, int] = {}
    cdp.on("Network.responseReceived", lambda e: kinds.__setitem__(e["requestId"], e["type"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.goto(url, wait_until="networkidle")
    total = sum(size for request_id, size in sizes.items() if kinds.get(request_id) in COUNTED)
    context.close()
    return int(total), hosts


def test_each_patient_page_is_under_50kb_on_first_load_with_no_third_party_requests(browser, live_server, phone, db):
    seed(db)
    sign_in_page(phone, "dana@demo.clinic", DEMO_PASSWORD)
    urls = page_types(phone, "/today", PATIENT_AREA)
    state = phone.context.storage_state()
    own_host = urlsplit(live_server).netloc
    weights = {}
    for url in urls:
        weights[url], hosts = first_load_bytes(browser, live_server, state, url)
        assert hosts == {own_host}, (url, hosts)
    heavy = {url: size for url, size in weights.items() if size > BUDGET_BYTES}
    assert not heavy, heavy
    assert min(weights.values()) > 1000  # the measurement saw the page itself

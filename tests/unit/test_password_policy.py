"""The password policy (issue 19, finding 9): zxcvbn's estimate, a shipped list of 30,000 breached and common
passwords, and the README's demo password refused outside the demo clinic."""
import re
from pathlib import Path

import pytest

from app.auth import passwords
from app.auth.passwords import DEMO_PASSWORD, WeakPassword, check_password_policy
from tests.factories import TEST_PASSWORD

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.mark.parametrize("weak", ["qwertyuiopas", "therapytherapy", "Passw0rd!Passw0rd!", "password1234",
                                  "iloveyou1234", "1qaz2wsx3edc", "abcdefghijkl"])
def test_guessable_passwords_are_refused(weak):
    with pytest.raises(WeakPassword):
        check_password_policy(weak)


def test_the_readmes_demo_password_is_refused_outside_the_demo_clinic():
    assert f"`{DEMO_PASSWORD}`" in README.read_text()
    with pytest.raises(WeakPassword, match="demo password"):
        check_password_policy(DEMO_PASSWORD, email="someone@example.org")
    check_password_policy(DEMO_PASSWORD, email="pat@demo.example", demo=True)


def test_the_persons_own_name_and_email_make_a_password_weaker():
    check_password_policy("jordan.rivera1", email="x@example.org", name="Sam Lee")
    with pytest.raises(WeakPassword):
        check_password_policy("jordan.rivera1", email="jordan.rivera@example.org", name="Jordan Rivera")


@pytest.mark.parametrize("good", [TEST_PASSWORD, "a calm walk by the river", "blue kettle under the stairs",
                                  "plum violin cactus harbour"])
def test_passphrases_pass(good):
    check_password_policy(good, email="pat@example.org", name="Pat Example")


def test_the_shipped_breached_list_is_real_and_large():
    passwords._common_passwords.cache_clear()
    common = passwords._common_passwords()
    assert len(common) >= 10_000
    assert {"password", "123456", "qwerty", "dragon", "iloveyou"} <= common
    assert not any(re.match("#", entry) for entry in common)


def test_a_listed_long_password_is_refused_even_if_zxcvbn_would_pass_it():
    long_listed = sorted(p for p in passwords._common_passwords() if len(p) >= 12)
    assert long_listed
    for entry in long_listed[:20]:
        with pytest.raises(WeakPassword):
            check_password_policy(entry)

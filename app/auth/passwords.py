"""Password hashing (Argon2id, memory-hard) and the password policy: length, a shipped list of 30,000 breached and
common passwords, padded common words and repeats, and zxcvbn's estimate of how many guesses it would take."""
import re
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 128
MIN_STRENGTH = 3
"""zxcvbn score 0-4; 3 is 'safely unguessable: moderate protection from offline slow-hash attacks' (10^8 guesses)."""
DEMO_PASSWORD = "homework-demo-2026"
"""Printed in the README for the demo clinic (`flask seed-demo`); refused everywhere else."""
APP_WORDS = ("tms", "homework", "companion", "therapy", "therapist", "clinic", "patient", "demo")
_hasher = PasswordHasher()

BASE_WORDS = frozenset(
    "password passw0rd p@ssword qwerty qwertyuiop asdfgh asdfghjkl zxcvbnm letmein welcome iloveyou monkey dragon "
    "football baseball soccer sunshine princess shadow master superman batman trustno1 admin administrator login "
    "abc abcdef abcdefgh secret changeme homework therapy therapist clinic patient health".split()
)
"""Words that a few digits or symbols don't rescue: 'welcome2026!!' is as guessable as 'welcome' (ASVS 2.1.7)."""
_EDGES = re.compile(r"^[\d\W_]+|[\d\W_]+$")
_REPEATED_UNIT = re.compile(r"(.{1,6}?)\1+")


def is_pattern_password(lowered: str) -> bool:
    """A short unit repeated ('abcabcabcabc'), only digits and symbols, or a common word padded with them."""
    if _REPEATED_UNIT.fullmatch(lowered):
        return True
    core = _EDGES.sub("", lowered)
    return core == "" or core in BASE_WORDS


class WeakPassword(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.field = "password"
        self.message = message


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    path = Path(__file__).with_name("common_passwords.txt")
    return frozenset(
        line.strip().lower() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")
    )


def check_password_policy(password: str, *, email: str = "", name: str = "", demo: bool = False) -> None:
    """At least 12 characters, not a common or breached password, not the email address, hard to guess by zxcvbn's
    estimate given the person's own details, and not the README's demo password unless seeding the demo clinic
    (OWASP ASVS 2.1)."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"Use at least {MIN_LENGTH} characters. A few words strung together works well.")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"Use at most {MAX_LENGTH} characters.")
    lowered = password.lower()
    if lowered in _common_passwords() or len(set(lowered)) < 4 or is_pattern_password(lowered):
        raise WeakPassword("That password is too common or too easy to guess. Try a few unrelated words.")
    if email and lowered == email.lower():
        raise WeakPassword("Don't use your email address as your password.")
    if lowered == DEMO_PASSWORD and not demo:
        raise WeakPassword("That is the demo password printed in our instructions. Choose your own.")
    inputs = [*APP_WORDS, *(part for part in (email, *email.split("@"), *name.split()) if part)]
    if zxcvbn(password, user_inputs=inputs)["score"] < MIN_STRENGTH:
        raise WeakPassword("That password would be easy to guess. A few unrelated words strung together work well.")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant-time check; a missing hash (invite not yet accepted) never matches."""
    if not password_hash:
        _hasher.hash(password)  # spend the same time, so timing does not reveal the account state
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False

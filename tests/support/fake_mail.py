"""The mail server at the network edge: messages are collected in memory, never sent."""
import pytest


class FakeSMTP:
    """The network edge: collects messages instead of talking to a mail server."""

    sent: list = []

    def __init__(self, *args, **kwargs):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        pass

    def login(self, *args):
        pass

    def send_message(self, message):
        FakeSMTP.sent.append(message)


@pytest.fixture
def mailbox(app, monkeypatch):
    FakeSMTP.sent = []
    monkeypatch.setattr("app.mail.smtplib.SMTP", FakeSMTP)
    app.config.update(SMTP_HOST="smtp.example.org", MAIL_FROM="clinic@example.org")
    return FakeSMTP.sent

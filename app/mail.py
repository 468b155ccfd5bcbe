"""Optional email: when SMTP is not configured, links are shown to the staff member to pass on instead."""
import smtplib
from email.message import EmailMessage

from flask import current_app


def mail_configured() -> bool:
    return bool(current_app.config["SMTP_HOST"] and current_app.config["MAIL_FROM"])


def send_mail(to: str, subject: str, body: str) -> bool:
    """Send a plain-text email; returns False (and the caller shows the link) if SMTP is off or fails."""
    if not mail_configured():
        return False
    cfg = current_app.config
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = cfg["MAIL_FROM"], to, subject
    message.set_content(body)
    try:
        with smtplib.SMTP(cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=10) as smtp:
            smtp.starttls()
            if cfg["SMTP_USER"]:
                smtp.login(cfg["SMTP_USER"], cfg["SMTP_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        current_app.logger.warning("mail.send_failed")
        return False
    return True

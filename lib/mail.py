"""Sending one email from a background job, telling apart a refused address from a mail server that is down.

A refused address (a permanent 5xx) is that message's problem only: the caller logs it and goes on
with the others. A server that is unreachable, slow past EMAIL_TIMEOUT or answering 4xx raises
`MailServerUnavailable`: the caller puts its claim back and lets the job retry later, with backoff,
instead of waiting on the same server for every remaining message.
"""

import logging
import smtplib

from django.core.mail import EmailMessage

logger = logging.getLogger(__name__)


class MailServerUnavailable(Exception):
    pass


def deliver(message: EmailMessage) -> bool:
    """Send it; False if the server refused it for good (logged), MailServerUnavailable if it may work later."""
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as error:
        logger.warning("Email to %s refused: %s", message.to, error.recipients)
        return False
    except smtplib.SMTPResponseException as error:
        if error.smtp_code >= 500:
            logger.warning("Email to %s refused: %s %s", message.to, error.smtp_code, error.smtp_error)
            return False
        raise MailServerUnavailable(f"{error.smtp_code} {error.smtp_error!r}") from error
    except OSError as error:  # timeouts, refused connections, dropped sessions (smtplib's errors are OSErrors)
        raise MailServerUnavailable(str(error) or type(error).__name__) from error
    return True

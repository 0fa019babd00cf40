"""Optional e-mail to the clinic (consultation requests) through the SMTP settings."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from sqlalchemy.orm import Session

from kinechain.config import Settings
from kinechain.store.models import Athlete, Clinic, ConsultationRequest

log = logging.getLogger(__name__)


def consultation_message(
    settings: Settings, clinic: Clinic, athlete: Athlete, req: ConsultationRequest
) -> EmailMessage:
    """Return the e-mail telling a clinic about a consultation request (no health data, only a link)."""
    msg = EmailMessage()
    msg["Subject"] = f"kinechain: consultation request from {athlete.name}"
    msg["From"] = settings.smtp_from or ""
    msg["To"] = clinic.contact_email or ""
    link = f"{settings.public_url.rstrip('/')}/clinic#consultations"
    msg.set_content(f"{athlete.name} asked for a consultation.\n\nSee the request (sign in first): {link}\n")
    return msg


def notify_consultation(settings: Settings, session: Session, req: ConsultationRequest) -> bool:
    """E-mail the clinic about a request when SMTP is configured; True when sent.

    The request is already stored; a failed e-mail is logged and never loses it.
    """
    clinic = session.get(Clinic, req.clinic_id)
    athlete = session.get(Athlete, req.athlete_id)
    if not settings.smtp_enabled or clinic is None or athlete is None or not clinic.contact_email:
        return False
    msg = consultation_message(settings, clinic, athlete, req)
    try:
        with smtplib.SMTP(settings.smtp_host or "", settings.smtp_port, timeout=20) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password or "")
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("consultation request %s stored but not e-mailed: %s", req.id, exc)
        return False
    return True

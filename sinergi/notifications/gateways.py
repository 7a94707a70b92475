"""The SMS and WhatsApp gateway: an interface a deployment fills with its provider.

Sinergi ships no provider. ``settings.SINERGI_MESSAGE_GATEWAY`` names a class with the ``Gateway``
shape; the default, ``LogGateway``, writes the message to the log and answers ``logged``, so
nothing ever claims that a text message went out when it did not.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from sinergi.notifications.models import OutboundMessage

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Delivery:
    """What a channel did with one message: ``sent``, ``logged`` or ``failed`` (``OutboundMessage.Status``)."""

    status: str
    error: str = ""


class Gateway(Protocol):
    """Hands one short message to an SMS or WhatsApp provider.

    ``send`` answers ``sent`` only when the provider accepted the message, ``failed`` with the
    reason when it refused, and may raise on a transport error (the caller records it as failed).
    Implementations are built with no arguments and read their own settings.
    """

    name: str

    def send(self, *, channel: str, recipient: str, body: str) -> Delivery: ...


def mask_recipient(recipient: str) -> str:
    """A phone number with its middle hidden, for logs: ``+62812•••••789``."""
    if len(recipient) <= 7:
        return "•" * len(recipient)
    return f"{recipient[:6]}{'•' * (len(recipient) - 9)}{recipient[-3:]}"


class LogGateway:
    """The default gateway: it logs the message and records that it only logged it."""

    name = "log"

    def send(self, *, channel: str, recipient: str, body: str) -> Delivery:
        logger.info("%s message to %s not sent (no gateway configured): %s", channel, mask_recipient(recipient), body)
        return Delivery(status=OutboundMessage.Status.LOGGED)


def get_gateway() -> Gateway:
    """The gateway ``settings.SINERGI_MESSAGE_GATEWAY`` names."""
    gateway: Gateway = import_string(settings.SINERGI_MESSAGE_GATEWAY)()
    return gateway

"""The digest that comes to the user: what is new (postings, late money, pay dates, tax and health
insurance), by e-mail and/or a chat webhook, each item sent once per channel.

- tracker.alerts.compose: the items and their Korean text;
- tracker.alerts.channels: SMTP (STARTTLS when offered, or smtps) and the webhook POST;
- tracker.alerts.digest: one run (`python -m tracker digest [--dry-run]`), remembered in digest_log.
"""
from tracker.alerts.channels import (
    ChannelError,
    SmtpConfig,
    build_message,
    chat_safe,
    mask_address,
    parse_smtp_url,
    send_email,
    send_webhook,
    webhook_body,
    webhook_host,
)
from tracker.alerts.compose import SECTIONS, Item, collect, render
from tracker.alerts.digest import NO_CHANNEL, NOTHING_NEW, Channel, Outcome, channel_status, run

__all__ = [
    "NO_CHANNEL", "NOTHING_NEW", "SECTIONS", "Channel", "ChannelError", "Item", "Outcome", "SmtpConfig",
    "build_message", "channel_status", "chat_safe", "collect", "mask_address", "parse_smtp_url", "render", "run",
    "send_email", "send_webhook", "webhook_body", "webhook_host",
]

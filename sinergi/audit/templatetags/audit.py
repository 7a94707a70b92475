from django import template

from sinergi.audit.labels import action_label
from sinergi.audit.models import AuditEvent

register = template.Library()


@register.filter(name="action_label")
def action_label_filter(event: AuditEvent) -> str:
    """``{{ event|action_label }}``: "Organisation: created" for registry.organisation.create."""
    return action_label(event.action, event.object_type)

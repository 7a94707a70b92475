from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "sinergi.registry"
    label = "registry"
    verbose_name = _("Register of organisations")

    def ready(self) -> None:
        from sinergi.registry import checks  # noqa: F401 - registers the system checks

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "sinergi.cases"
    label = "cases"
    verbose_name = _("Aspirations and complaints")

    def ready(self) -> None:
        from sinergi.cases import reference

        reference.connect_signals()

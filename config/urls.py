from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from ninja.openapi.views import openapi_json, openapi_view

from config.api import api
from sinergi.core import views as core_views

urlpatterns = [
    path("health", core_views.health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", api.urls),
    path("api/docs", openapi_view, {"api": api}, name="api-docs"),
    path("api/openapi.json", openapi_json, {"api": api}, name="api-openapi"),
    path("", include("sinergi.core.urls")),
    path("akun/", include("sinergi.accounts.urls")),
    path("wilayah/", include("sinergi.territory.urls")),
    path("audit/", include("sinergi.audit.urls")),
    path("register/", include("sinergi.registry.urls")),
    path("notifikasi/", include("sinergi.notifications.urls")),
    path("privasi/", include("sinergi.privacy.urls")),
    path("kegiatan/", include("sinergi.events.urls")),
    path("aspirasi/", include("sinergi.cases.urls")),
    path("informasi/", include("sinergi.announcements.urls")),
    path("kewaspadaan/", include("sinergi.earlywarning.urls")),
    path("evaluasi/", include("sinergi.evaluation.urls")),
    path("data/", include("sinergi.opendata.urls")),
]

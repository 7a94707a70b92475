from sinergi.events import urls_after, urls_day, urls_plan

app_name = "events"
urlpatterns = [*urls_plan.urlpatterns, *urls_day.urlpatterns, *urls_after.urlpatterns]

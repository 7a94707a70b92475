from django.http import HttpRequest


def is_htmx(request: HttpRequest) -> bool:
    """Whether htmx made the request, so a view answers with a partial."""
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-History-Restore-Request") != "true"

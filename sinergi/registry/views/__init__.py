"""The register's pages: lists, the organisation page, its forms, persons, expiry lists and self-service.

Every view reads through the user's scope (``visible_to`` or a selector built on it), so what does
not exist and what lies outside the scope both answer 404; a page the user may see but not change
answers 403 to the change. Each change calls one service in ``services``, which checks the rules
and writes the audit log; the API calls the same services.
"""

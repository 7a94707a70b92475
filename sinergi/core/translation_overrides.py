"""Messages of Django itself that Sinergi translates in its own catalogue.

Nothing imports this module: it exists so that ``makemessages`` copies these msgids into
locale/<lang>/LC_MESSAGES/django.po. The project's catalogues (LOCALE_PATHS) come before Django's,
so their translations replace Django's Indonesian ones, which say "sandi" where Sinergi says
"kata sandi" everywhere else, mistranslate the login error, or are still missing. Each msgid must
stay exactly as Django writes it (curly apostrophes included), or it no longer matches.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# django.db.models.fields: the empty choice of a select (new in Django 6.1, not yet in its catalogue).
MODEL_FIELDS = (gettext_noop("- Select an option -"),)

# django.contrib.auth.forms: the login, password change and password reset forms.
AUTH_FORMS = (
    gettext_noop("Password"),
    gettext_noop("Password confirmation"),
    gettext_noop("Old password"),
    gettext_noop("New password"),
    gettext_noop("New password confirmation"),
    gettext_noop("Enter the same password as before, for verification."),
    gettext_noop("The two password fields didn’t match."),
    gettext_noop("Your old password was entered incorrectly. Please enter it again."),
    gettext_noop("Please enter a correct %(username)s and password. Note that both fields may be case-sensitive."),
    gettext_noop("This account is inactive."),
)

# django.contrib.auth.password_validation: the validators in AUTH_PASSWORD_VALIDATORS.
PASSWORD_VALIDATORS = (
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("This password is too common."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("Your password can’t be entirely numeric."),
)

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.utils import translation
from django.utils.cache import patch_vary_headers

from jinzang.offline import OWNER_HEADER, owner_token

SEEN_KEY = "_jinzang_seen"


class LanguageMiddleware:
    """Simplified Chinese unless the user chose otherwise with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language; a
    community's shared office computer or a volunteer's English-language phone
    should still show the committee's language until someone switches.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response


# Renew a session's expiry at most this often, so that a request does not always write it.
SESSION_RENEW_SECONDS = 60


class SessionIdleMiddleware:
    """A logged-in session ends SESSION_COOKIE_AGE after the last request (idle timeout).

    Django renews a session's expiry, in the cookie and in the store, whenever the
    session is saved; marking it seen at most once a minute keeps it alive while it is
    used, without a write on every request (which SESSION_SAVE_EVERY_REQUEST would do).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if SESSION_KEY in session:
            now = int(time.time())
            if now - session.get(SEEN_KEY, 0) >= SESSION_RENEW_SECONDS:
                session[SEEN_KEY] = now
        return self.get_response(request)


def mark_session_seen(sender, request, user, **kwargs):
    """On login: the new session counts as seen now (no renewal write on the next request)."""
    if request is not None and hasattr(request, "session"):
        request.session[SEEN_KEY] = int(time.time())


class OfflineOwnerMiddleware:
    """Says on every response whose pages these are (`jinzang.offline.owner_token`: the
    signed-in account, or nobody), read from the session without loading the user. The
    service worker drops the pages a phone kept for one account as soon as a page says
    another account, or nobody, is signed in, whichever way they signed in (the login
    page, an access letter, an SMS code): docs/domain.md, "Recording with no signal"."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault(OWNER_HEADER, owner_token(request.session))
        return response

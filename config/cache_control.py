"""No copy of a page or an API answer is kept: not by the browser's cache (a shared desk, the back button after
signing out), not by a proxy between the user and the site. Signed-in pages carry reviews, vendors' contacts and
Legal's reasons; the vendor contact's pages, opened by a link, carry the questionnaire; the API carries the
approved list's scope. No page of the application gains from being cached, so every response Django makes says
so; static files are served before this (WhiteNoise) and keep their long caching.

Imports no app (config/ never does)."""

from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "no-store" not in response.get("Cache-Control", ""):  # a view that said it already is left as is
            # Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private (and Expires now).
            add_never_cache_headers(response)
        return response
